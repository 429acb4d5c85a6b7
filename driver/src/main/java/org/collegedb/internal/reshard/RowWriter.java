package org.collegedb.internal.reshard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Row-level work of the mover on one database: reads a table in primary-key order after a key, and writes rows in
 * one transaction as "delete the key, insert the row" (idempotent: a batch applied twice leaves one row), or deletes
 * keys.
 */
final class RowWriter {
  private RowWriter() {
  }

  /** Up to {@code limit} rows of {@code t} after {@code after} (null: from the start), in primary-key order. */
  static List<Map<String, Object>> readAfter(Connection c, TableShape t, Object[] after, int limit)
      throws SQLException {
    String sql = "SELECT " + t.columnList() + " FROM " + t.name + (after == null ? "" : " WHERE " + t.keyAfter())
        + " ORDER BY " + t.keyList() + " LIMIT " + limit;
    List<Map<String, Object>> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (after != null) {
        for (int i = 0; i < after.length; i++) {
          ps.setObject(i + 1, after[i]);
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** One operation on a row: delete its key, then (when {@code row} is not null) insert it. */
  record Op(TableShape table, Object[] key, Map<String, Object> row) {
  }

  /**
   * Applies {@code ops} as if in order, in one transaction: only the last operation of each key counts (each one
   * replaces the key's row), so the keys are deleted in one batch and the surviving rows inserted in another.
   */
  static void apply(Connection c, List<Op> ops) throws SQLException {
    if (ops.isEmpty()) {
      return;
    }
    Map<List<Object>, Op> last = new LinkedHashMap<>();
    for (Op op : ops) {
      List<Object> id = new ArrayList<>();
      id.add(op.table().name);
      for (Object k : op.key()) {
        id.add(k instanceof Number n && !(k instanceof java.math.BigDecimal) ? (Object) n.longValue() : k);
      }
      last.remove(id);
      last.put(id, op);
    }
    Map<String, List<Op>> byTable = new LinkedHashMap<>();
    for (Op op : last.values()) {
      byTable.computeIfAbsent(op.table().name, k -> new ArrayList<>()).add(op);
    }
    c.setAutoCommit(false);
    try {
      for (List<Op> list : byTable.values()) {
        TableShape t = list.get(0).table();
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + t.name + " WHERE " + t.keyMatch());
             PreparedStatement ins = c.prepareStatement("INSERT INTO " + t.name + " (" + t.columnList()
                 + ") VALUES (" + "?, ".repeat(t.columns.size() - 1) + "?)")) {
          for (Op op : list) {
            for (int i = 0; i < op.key().length; i++) {
              del.setObject(i + 1, op.key()[i]);
            }
            del.addBatch();
          }
          del.executeBatch();
          boolean any = false;
          for (Op op : list) {
            if (op.row() != null) {
              for (int i = 0; i < t.columns.size(); i++) {
                ins.setObject(i + 1, op.row().get(t.columns.get(i)));
              }
              ins.addBatch();
              any = true;
            }
          }
          if (any) {
            ins.executeBatch();
          }
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Deletes the keys {@code keys} of {@code t} in one transaction, in batches. */
  static void delete(Connection c, TableShape t, List<Object[]> keys) throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.name + " WHERE " + t.keyMatch())) {
      for (Object[] key : keys) {
        for (int i = 0; i < key.length; i++) {
          ps.setObject(i + 1, key[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
