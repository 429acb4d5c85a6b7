package org.collegedb.internal.copy;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The write side of every row copy, idempotent: rows replace their key's row (delete the key, insert the row), so a
 * batch or a change applied twice leaves one row. Each call is one transaction of the connection's.
 */
public final class Replace {
  private Replace() {
  }

  /** One operation on a row: delete {@code key}, then (when {@code row} is not null) insert {@code row}. */
  public record Op(CopyTable table, Object[] key, Object[] row) {
  }

  /**
   * Applies {@code ops} as if in order: only the last operation of each key counts (each one replaces the key's
   * row), so per table the keys are deleted in one batch and the surviving rows inserted in another.
   */
  public static void apply(Connection c, List<Op> ops) throws SQLException {
    if (ops.isEmpty()) {
      return;
    }
    Map<List<Object>, Op> last = new LinkedHashMap<>();
    for (Op op : ops) {
      List<Object> id = new ArrayList<>();
      id.add(op.table().writeName());
      for (Object k : op.key()) {
        id.add(identity(k));
      }
      last.remove(id);
      last.put(id, op);
    }
    Map<String, List<Op>> byTable = new LinkedHashMap<>();
    for (Op op : last.values()) {
      byTable.computeIfAbsent(op.table().writeName(), k -> new ArrayList<>()).add(op);
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      for (List<Op> list : byTable.values()) {
        CopyTable t = list.get(0).table();
        try (PreparedStatement del = c.prepareStatement(t.deleteSql());
             PreparedStatement ins = c.prepareStatement(t.insertSql())) {
          for (Op op : list) {
            bind(del, op.key());
            del.addBatch();
          }
          del.executeBatch();
          boolean any = false;
          for (Op op : list) {
            if (op.row() != null) {
              bind(ins, op.row());
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
      c.setAutoCommit(auto);
    }
  }

  /**
   * Inserts {@code rows} of {@code t} in one batch; when some are there already (copied before a crash), the batch
   * is rolled back and written again as delete-then-insert ({@link #apply}). Suits a sink where a delete by primary key
   * costs more than an insert (a CollegeDB connection, when the primary key is not the shard key).
   */
  public static void insertOrReplace(Connection c, CopyTable t, List<Object[]> rows) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement ps = c.prepareStatement(t.insertSql())) {
        for (Object[] row : rows) {
          bind(ps, row);
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
        return;
      } catch (SQLException e) {
        c.rollback();
        if (!duplicate(e)) {
          throw e;
        }
      }
      List<Op> ops = new ArrayList<>(rows.size());
      for (Object[] row : rows) {
        ops.add(new Op(t, t.keyOf(row), row));
      }
      apply(c, ops); // delete the batch's keys, insert its rows: one transaction
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** Deletes the keys {@code keys} of {@code t} in one transaction, in one batch. */
  public static void delete(Connection c, CopyTable t, List<Object[]> keys) throws SQLException {
    List<Op> ops = new ArrayList<>();
    for (Object[] k : keys) {
      ops.add(new Op(t, k, null));
    }
    apply(c, ops);
  }

  /** Whether a failure is a key that is there already (SQLite's own driver gives no SQLState). */
  public static boolean duplicate(SQLException e) {
    for (Throwable x = e; x != null; x = x.getCause()) {
      if (x instanceof java.sql.SQLIntegrityConstraintViolationException) {
        return true;
      }
      if (x instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
        return true;
      }
      String m = x.getMessage() == null ? "" : x.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("unique constraint") || m.contains("primary key") || m.contains("duplicate")) {
        return true;
      }
    }
    return false;
  }

  /** Binds {@code values} from parameter 1; a null as an untyped NULL. */
  public static void bind(PreparedStatement ps, Object[] values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        ps.setNull(i + 1, Types.NULL);
      } else {
        ps.setObject(i + 1, values[i]);
      }
    }
  }

  /** A key value for telling keys apart: whole numbers of any Java type as one. */
  private static Object identity(Object k) {
    if (k instanceof Long || k instanceof Integer || k instanceof Short || k instanceof Byte) {
      return ((Number) k).longValue();
    }
    if (k instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    if (k instanceof byte[] b) {
      return java.util.HexFormat.of().formatHex(b);
    }
    return k;
  }
}
