package org.collegedb.internal.run;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.plan.Plan;
import org.collegedb.internal.value.Bindings;

/**
 * Moves the rows of an UPDATE that changes their shard key ({@link Plan.KeyMove}), in one atomic transaction over
 * the shards the UPDATE's WHERE clause reaches and the new key's shard (two-phase where the shards can prepare; in a
 * transaction, a savepoint on each undoes the whole statement if a step fails):
 * <ol>
 * <li>the caller's UPDATE runs on its WHERE clause's shards, as on one database: its count is the statement's;</li>
 * <li>on each of those shards but the new key's, the rows now holding the new key (only this UPDATE can have put it
 * there) are read, deleted, and inserted on the new key's shard, column by column as read.</li>
 * </ol>
 * A unique key already taken on the new shard fails the INSERT, which undoes the whole statement. Rows of other tables
 * that refer to the old key stay where their own key places them.
 */
final class KeyMove {
  private final StatementRunner runner;

  KeyMove(StatementRunner runner) {
    this.runner = runner;
  }

  /** Runs the move; the UPDATE's count. */
  long move(Plan.KeyMove plan, Bindings bindings) throws SQLException {
    if (plan.refusal() != null) {
      throw new SQLFeatureNotSupportedException(plan.refusal(), SqlStates.NOT_SUPPORTED);
    }
    String column = plan.guard().update().setColumns().get(plan.guard().assignment());
    Object key = bindings.value(plan.guard().update().setValues().get(plan.guard().assignment()));
    if (key == null || plan.target() < 0) {
      throw new SQLException("UPDATE sets the shard key '" + column + "' to NULL", SqlStates.NOT_NULL);
    }
    Session session = runner.session();
    int[] from = plan.from().shards();
    int target = plan.target();
    int[] shards = withTarget(from, target);
    String table = plan.guard().update().table().name();
    return session.shards().atomically(shards, () -> {
      runner.write(plan.from(), plan.guard().tokens(), GeneratedKeysRequest.NONE);
      long count = runner.outcome().count();
      for (int s : from) {
        if (s != target) {
          moveRows(table, column, key, session.shards().name(s), session.shards().name(target));
        }
      }
      return count;
    });
  }

  private void moveRows(String table, String column, Object key, String shard, String target) throws SQLException {
    ParameterStore byKey = new ParameterStore();
    byKey.set(1, ParameterStore.Setter.OBJECT, key);
    List<String> columns = new ArrayList<>();
    List<Object[]> rows = new ArrayList<>();
    try (StatementRunner read = runner.child(hint(shard) + "SELECT * FROM " + table + " WHERE " + column + " = ?",
        byKey, GeneratedKeysRequest.NONE); ResultSet rs = read.outcome().rows()) {
      ResultSetMetaData md = rs.getMetaData();
      for (int c = 1; c <= md.getColumnCount(); c++) {
        columns.add(md.getColumnName(c));
      }
      while (rs.next()) {
        Object[] row = new Object[columns.size()];
        for (int c = 0; c < row.length; c++) {
          row[c] = rs.getObject(c + 1);
        }
        rows.add(row);
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    try (StatementRunner delete = runner.child(hint(shard) + "DELETE FROM " + table + " WHERE " + column + " = ?",
        byKey, GeneratedKeysRequest.NONE)) {
      if (delete.outcome().count() != rows.size()) {
        throw new SQLException("moving rows of '" + table + "' from shard '" + shard + "': read " + rows.size()
            + " row(s) with the new key, deleted " + delete.outcome().count(), SqlStates.GENERAL);
      }
    }
    String insert = hint(target) + "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
        + "?, ".repeat(columns.size() - 1) + "?)";
    for (Object[] row : rows) {
      ParameterStore values = new ParameterStore();
      for (int c = 0; c < row.length; c++) {
        values.set(c + 1, ParameterStore.Setter.OBJECT, row[c]);
      }
      try (StatementRunner ignored = runner.child(insert, values, GeneratedKeysRequest.NONE)) {
        // one row inserted on the new key's shard
      }
    }
  }

  private static String hint(String shard) {
    return "/*+ collegedb shard(" + shard + ") */ ";
  }

  private static int[] withTarget(int[] from, int target) {
    for (int s : from) {
      if (s == target) {
        return from;
      }
    }
    int[] all = java.util.Arrays.copyOf(from, from.length + 1);
    all[from.length] = target;
    java.util.Arrays.sort(all);
    return all;
  }
}
