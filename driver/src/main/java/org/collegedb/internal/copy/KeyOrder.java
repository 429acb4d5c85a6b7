package org.collegedb.internal.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Reads a table in primary-key order, a batch at a time after a key: the read side of every row copy. */
public final class KeyOrder {
  /** Told each row of a table. */
  public interface RowSink {
    void row(Object[] row) throws SQLException;
  }

  private KeyOrder() {
  }

  /** Up to {@code limit} rows of {@code t} after {@code after} (null: from the start), in primary-key order. */
  public static List<Object[]> after(Connection c, CopyTable t, Object[] after, int limit) throws SQLException {
    return after(c, t, after, null, limit);
  }

  /**
   * Up to {@code limit} rows of {@code t} after {@code after} (null: from the start) and up to {@code upTo} (null: no
   * end), in primary-key order.
   */
  public static List<Object[]> after(Connection c, CopyTable t, Object[] after, Object[] upTo, int limit)
      throws SQLException {
    String where = after == null ? "" : t.keyAfter();
    if (upTo != null) {
      where = where.isEmpty() ? t.keyUpTo() : where + " AND " + t.keyUpTo();
    }
    String sql = "SELECT " + t.columnList() + " FROM " + t.readName() + (where.isEmpty() ? "" : " WHERE " + where)
        + " ORDER BY " + t.keyList() + " LIMIT " + limit;
    List<Object[]> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int p = 1;
      for (Object[] bound : new Object[][] {after, upTo}) {
        if (bound != null) {
          for (Object v : bound) {
            ps.setObject(p++, v);
          }
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        int n = t.columns().size();
        while (rs.next()) {
          Object[] row = new Object[n];
          for (int i = 0; i < n; i++) {
            row[i] = t.types() == null ? rs.getObject(i + 1) : value(rs, i + 1, t.types()[i]);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** The primary key of the last row of {@code t} in primary-key order, or null when it has none. */
  public static Object[] lastKey(Connection c, CopyTable t) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + t.keyList() + " FROM " + t.readName()
        + " ORDER BY " + t.keyListDescending() + " LIMIT 1");
         ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      Object[] key = new Object[t.keyIndexes().length];
      for (int i = 0; i < key.length; i++) {
        key[i] = t.types() == null ? rs.getObject(i + 1) : value(rs, i + 1, t.types()[t.keyIndexes()[i]]);
      }
      return key;
    }
  }

  /** Every row of {@code t}, in primary-key order, read {@code batch} rows at a time. */
  public static void each(Connection c, CopyTable t, int batch, RowSink sink) throws SQLException {
    Object[] last = null;
    while (true) {
      List<Object[]> rows = after(c, t, last, batch);
      for (Object[] row : rows) {
        sink.row(row);
      }
      if (rows.size() < batch) {
        return;
      }
      last = t.keyOf(rows.get(rows.size() - 1));
    }
  }

  /** A column's value as read for copying: binary as bytes, CLOB as text, the rest as the driver gives it. */
  public static Object value(ResultSet rs, int i, int jdbcType) throws SQLException {
    switch (jdbcType) {
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
        return rs.getBytes(i);
      case Types.CLOB, Types.NCLOB:
        return rs.getString(i);
      default:
        return rs.getObject(i);
    }
  }
}
