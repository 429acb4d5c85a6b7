package org.collegedb.internal.run;

import java.sql.SQLException;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.DirectorySpec;
import org.collegedb.internal.route.ShardMap;

/**
 * Refuses a schema change (CREATE/ALTER/DROP TABLE or INDEX, TRUNCATE) while a reshard runs. The reshard reads each
 * sharded table's columns, creates the tables on joining shards and installs change capture with those columns when
 * it starts, then copies rows and changes with them until its cleanup: a table created meanwhile is neither captured
 * nor moved (its rows in moving ranges would stay on their old shard and be lost to readers after the switch), a
 * column added is not copied or caught up (the moved rows lose its values), a table dropped breaks the copy, and an
 * index reaches the shards the statement runs on but not a table the reshard creates from what it read. A reshard
 * is running from its first step until it is done or aborted: its row in {@code collegedb_operations} (directory
 * database) is {@code running}; from the copy to the cleanup the session's map also has ranges in motion. A schema
 * change that is let through records itself there while it runs, and a starting reshard waits for it.
 */
final class ReshardGuard {
  private ReshardGuard() {
  }

  /** A schema change's row in {@code collegedb_operations}, removed when it ends. */
  interface Ticket extends AutoCloseable {
    @Override
    void close() throws SQLException;
  }

  /** The kind of a schema change's row in {@code collegedb_operations}. */
  public static final String DDL_KIND = "ddl";

  /**
   * Records a schema change in flight, or refuses it (55006) when a reshard runs; the caller runs it and closes the
   * ticket. The row ({@value #DDL_KIND}, {@code running}) is committed in the directory database before the check
   * reads whether a reshard runs, and a reshard commits its own row before it waits for the schema changes in flight
   * ({@code internal.reshard.Reshard}, step prepare): of a schema change and a reshard that start together, at least
   * one sees the other's row, so a schema change either is refused or ends before the reshard reads the tables.
   * Without a directory database no reshard can run: nothing is recorded.
   */
  static Ticket enterDdl(Cluster cluster, ShardMap map, String sql) throws SQLException {
    if (map != null && map.inMotion()) {
      refuse("a reshard is moving ranges (shard map version " + map.version() + ")");
    }
    DirectorySpec directory = cluster.config().directory();
    if (directory.url() == null) {
      return () -> { };
    }
    org.collegedb.migrate.OperationStore store;
    try {
      store = org.collegedb.migrate.OperationStore.open(directory);
    } catch (SQLException e) {
      throw new SQLException("a schema change is recorded in the directory database while it runs (a reshard waits "
          + "for it), which could not be reached: " + e.getMessage(), e.getSQLState(), e);
    }
    String id = DDL_KIND + "-" + java.util.UUID.randomUUID();
    try {
      String text = sql == null ? "" : sql.strip();
      store.record(id, DDL_KIND, "running", text.length() > 180 ? text.substring(0, 180) : text, java.util.Map.of());
      org.collegedb.migrate.Operation op = store.running("reshard");
      if (op != null) {
        refuse("reshard '" + op.id() + "' is running (step " + op.step() + ")");
      }
    } catch (SQLException | RuntimeException e) {
      try (store) {
        store.delete(id);
      } catch (SQLException ignored) {
        // the row of a refused change: a reshard ignores it once it is old
      }
      throw e;
    }
    return () -> {
      try (store) {
        store.delete(id);
      }
    };
  }

  private static void refuse(String running) throws SQLException {
    throw new SQLException("schema changes are refused while a reshard runs: " + running + ". The reshard copies "
        + "each table with the columns and indexes it read when it started, so a table created, altered, dropped or "
        + "truncated now could be left different between shards, or lose rows or values. Run the statement once "
        + "the reshard is done (collegedb reshard <config> finishes it; collegedb status shows it), or abort the "
        + "reshard first (collegedb reshard <config> --abort, before its switch)", SqlStates.OBJECT_IN_USE);
  }
}
