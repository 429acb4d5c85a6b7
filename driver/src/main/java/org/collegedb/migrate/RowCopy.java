package org.collegedb.migrate;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.internal.copy.CopyTable;
import org.collegedb.internal.copy.KeyOrder;
import org.collegedb.internal.copy.Replace;

/**
 * Copies one table's rows from a database into a sink (a CollegeDB connection, whose batched INSERTs route
 * themselves, or a plain database) in primary-key order, in batches after a given key, each batch one transaction
 * of the sink's. Idempotent: a batch that meets rows already there (copied before a crash, after the last saved key)
 * is written again as delete-then-insert. The reading and writing are {@code internal.copy}'s (the
 * reshard's too); this class adds the saved key between batches.
 */
final class RowCopy {
  /** Told after each committed batch: the batch's last key and its number of rows. */
  interface BatchDone {
    void done(List<Object> lastKey, int rows) throws SQLException;
  }

  private RowCopy() {
  }

  static long count(Connection c, SourceTable t) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + t.name())) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void copy(Connection from, SourceTable t, Connection sink, List<Object> after, int batch, BatchDone done)
      throws SQLException {
    CopyTable table = table(t);
    Object[] last = after == null ? null : decodeKey(t, after);
    int[] keyIdx = t.keyIndexes();
    boolean auto = sink.getAutoCommit();
    sink.setAutoCommit(false);
    try {
      while (true) {
        List<Object[]> rows = read(from, t, last, batch);
        if (rows.isEmpty()) {
          return;
        }
        Replace.insertOrReplace(sink, table, rows);
        Object[] end = rows.get(rows.size() - 1);
        last = new Object[keyIdx.length];
        List<Object> lastKey = new ArrayList<>();
        for (int i = 0; i < keyIdx.length; i++) {
          last[i] = end[keyIdx[i]];
          lastKey.add(encode(last[i]));
        }
        done.done(lastKey, rows.size());
        if (rows.size() < batch) {
          return;
        }
      }
    } finally {
      sink.setAutoCommit(auto);
    }
  }

  static List<Object[]> read(Connection from, SourceTable t, Object[] last, int batch)
      throws SQLException {
    return KeyOrder.after(from, table(t), last, batch);
  }

  /** The table as {@code internal.copy} sees it: read by its own name, written by its lower-case name. */
  static CopyTable table(SourceTable t) {
    int[] types = new int[t.columns().size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = t.columns().get(i).jdbcType();
    }
    return new CopyTable(t.name(), t.key(), t.columnNames(), t.primaryKey(), types);
  }

  /** A column's value as read for copying: binary as bytes, CLOB as text, the rest as the driver gives it. */
  static Object value(ResultSet rs, int i, Column c) throws SQLException {
    return KeyOrder.value(rs, i, c.jdbcType());
  }

  /** A key value as the operation's JSON detail keeps it. */
  static Object encode(Object v) {
    if (v == null || v instanceof Number || v instanceof String || v instanceof Boolean) {
      return v instanceof Float f ? Double.valueOf(f) : v;
    }
    if (v instanceof byte[] b) {
      return "x" + java.util.HexFormat.of().formatHex(b);
    }
    return v.toString();
  }

  /** A saved key back as values to bind, by the key columns' types. */
  static Object[] decodeKey(SourceTable t, List<Object> saved) {
    Object[] key = new Object[saved.size()];
    for (int i = 0; i < key.length; i++) {
      Object v = saved.get(i);
      Column c = t.column(t.primaryKey().get(i));
      if (v instanceof String s) {
        switch (c.jdbcType()) {
          case Types.DATE -> v = java.sql.Date.valueOf(s);
          case Types.TIMESTAMP -> v = java.sql.Timestamp.valueOf(s.replace('T', ' '));
          case Types.TIME -> v = java.sql.Time.valueOf(s);
          case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
              v = java.util.HexFormat.of().parseHex(s.substring(1));
          default -> { }
        }
      } else if (v instanceof BigDecimal d && (c.jdbcType() == Types.DOUBLE || c.jdbcType() == Types.REAL
          || c.jdbcType() == Types.FLOAT)) {
        v = d.doubleValue();
      }
      key[i] = v;
    }
    return key;
  }
}
