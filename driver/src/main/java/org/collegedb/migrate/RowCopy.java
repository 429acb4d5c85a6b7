package org.collegedb.migrate;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies one table's rows from a database into a sink (a CollegeDB connection, whose batched INSERTs route
 * themselves, or a plain database) in primary-key order, in batches after a given key, each batch one transaction
 * of the sink's. Idempotent: a batch that meets rows already there (copied before a crash, after the last saved key)
 * is written again row by row as delete-then-insert.
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
    List<String> cols = t.columnNames();
    String insert = insertSql(t);
    Object[] last = after == null ? null : decodeKey(t, after);
    int[] keyIdx = t.keyIndexes();
    boolean auto = sink.getAutoCommit();
    sink.setAutoCommit(false);
    try {
      while (true) {
        List<Object[]> rows = read(from, t, cols, last, batch);
        if (rows.isEmpty()) {
          return;
        }
        write(sink, t, insert, rows);
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

  static List<Object[]> read(Connection from, SourceTable t, List<String> cols, Object[] last, int batch)
      throws SQLException {
    List<String> keys = t.primaryKey();
    StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", cols)).append(" FROM ")
        .append(t.name());
    if (last != null) {
      sql.append(" WHERE (").append(String.join(", ", keys)).append(") > (")
          .append("?, ".repeat(keys.size() - 1)).append("?)");
    }
    sql.append(" ORDER BY ").append(String.join(", ", keys)).append(" LIMIT ").append(batch);
    List<Object[]> rows = new ArrayList<>();
    try (PreparedStatement ps = from.prepareStatement(sql.toString())) {
      if (last != null) {
        for (int i = 0; i < last.length; i++) {
          ps.setObject(i + 1, last[i]);
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Object[] row = new Object[cols.size()];
          for (int i = 0; i < row.length; i++) {
            row[i] = value(rs, i + 1, t.columns().get(i));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** A column's value as read for copying: binary as bytes, the rest as the driver gives it. */
  static Object value(ResultSet rs, int i, Column c) throws SQLException {
    switch (c.jdbcType()) {
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
        return rs.getBytes(i);
      case Types.CLOB, Types.NCLOB:
        return rs.getString(i);
      default:
        return rs.getObject(i);
    }
  }

  static String insertSql(SourceTable t) {
    List<String> cols = t.columnNames();
    return "INSERT INTO " + t.key() + " (" + String.join(", ", cols) + ") VALUES ("
        + "?, ".repeat(cols.size() - 1) + "?)";
  }

  static String deleteSql(SourceTable t) {
    List<String> eq = new ArrayList<>();
    for (String k : t.primaryKey()) {
      eq.add(k + " = ?");
    }
    return "DELETE FROM " + t.key() + " WHERE " + String.join(" AND ", eq);
  }

  private static void write(Connection sink, SourceTable t, String insert, List<Object[]> rows) throws SQLException {
    try (PreparedStatement ps = sink.prepareStatement(insert)) {
      for (Object[] row : rows) {
        bind(ps, row, 0);
        ps.addBatch();
      }
      ps.executeBatch();
      sink.commit();
      return;
    } catch (SQLException e) {
      sink.rollback();
      if (!duplicate(e)) {
        throw e;
      }
    }
    // rows of this batch are there already (copied before a crash): replace them one by one
    int[] keyIdx = t.keyIndexes();
    try (PreparedStatement del = sink.prepareStatement(deleteSql(t));
         PreparedStatement ins = sink.prepareStatement(insert)) {
      for (Object[] row : rows) {
        for (int i = 0; i < keyIdx.length; i++) {
          del.setObject(i + 1, row[keyIdx[i]]);
        }
        del.executeUpdate();
        bind(ins, row, 0);
        ins.executeUpdate();
      }
      sink.commit();
    } catch (SQLException e) {
      sink.rollback();
      throw e;
    }
  }

  /** Whether a failure is a key that is there already (SQLite's own driver gives no SQLState). */
  static boolean duplicate(SQLException e) {
    for (Throwable x = e; x != null; x = x.getCause()) {
      if (x instanceof java.sql.SQLIntegrityConstraintViolationException) {
        return true;
      }
      if (x instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
        return true;
      }
      String m = x.getMessage() == null ? "" : x.getMessage().toLowerCase(java.util.Locale.ROOT);
      if (m.contains("unique constraint") || m.contains("primary key") || m.contains("duplicate")) {
        return true;
      }
    }
    return false;
  }

  static void bind(PreparedStatement ps, Object[] row, int offset) throws SQLException {
    for (int i = 0; i < row.length; i++) {
      if (row[i] == null) {
        ps.setNull(offset + i + 1, Types.NULL);
      } else {
        ps.setObject(offset + i + 1, row[i]);
      }
    }
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
