package org.collegedb.internal.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.DirectorySpec;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.execute.BackendDrivers;
import org.collegedb.internal.route.ShardMap;

/**
 * Refuses a schema change (CREATE/ALTER/DROP TABLE or INDEX, TRUNCATE) while a reshard runs. The reshard reads each
 * sharded table's columns, creates the tables on joining shards and installs change capture with those columns when
 * it starts, then copies rows and changes with them until its cleanup: a table created meanwhile is neither captured
 * nor moved (its rows in moving ranges would stay on their old shard and be lost to readers after the switch), a
 * column added is not copied or caught up (the moved rows lose its values), a table dropped breaks the copy, and an
 * index reaches the shards the statement runs on but not a table the reshard creates from what it read. A reshard
 * is running from its first step until it is done or aborted: its row in {@code collegedb_operations} (directory
 * database) is {@code running}; from the copy to the cleanup the session's map also has ranges in motion.
 */
final class ReshardGuard {
  private ReshardGuard() {
  }

  /** Throws when a reshard is running; else returns. One read of the directory database. */
  static void refuseDdl(Cluster cluster, ShardMap map) throws SQLException {
    String running = null;
    if (map != null && map.inMotion()) {
      running = "a reshard is moving ranges (shard map version " + map.version() + ")";
    } else {
      String[] op = runningReshard(cluster.config().directory());
      if (op != null) {
        running = "reshard '" + op[0] + "' is running (step " + op[1] + ")";
      }
    }
    if (running != null) {
      throw new SQLException("schema changes are refused while a reshard runs: " + running + ". The reshard copies "
          + "each table with the columns and indexes it read when it started, so a table created, altered, dropped or "
          + "truncated now could be left different between shards, or lose rows or values. Run the statement once "
          + "the reshard is done (collegedb reshard <config> finishes it; collegedb status shows it), or abort the "
          + "reshard first (collegedb reshard <config> --abort, before its switch)", SqlStates.OBJECT_IN_USE);
    }
  }

  /** The id and step of the running reshard recorded in the directory database, or null. */
  private static String[] runningReshard(DirectorySpec directory) throws SQLException {
    String url = directory.url();
    if (url == null) {
      return null;
    }
    if (url.startsWith("jdbc:sqlite:") && !url.contains(":memory:")) {
      String path = url.substring("jdbc:sqlite:".length()).replaceFirst("^file:", "").replaceFirst("\\?.*$", "");
      if (!Files.exists(Path.of(path))) {
        return null; // no directory database yet: no reshard ever ran (and none is created by looking)
      }
    }
    Connection opened;
    try {
      opened = BackendDrivers.connect(new ShardSpec("directory", url, directory.user(), directory.password(),
          new Properties(), null, 0));
    } catch (SQLException e) {
      throw new SQLException("a schema change checks that no reshard is running, in the directory database, which "
          + "could not be reached: " + e.getMessage(), e.getSQLState(), e);
    }
    try (Connection c = opened) {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, step FROM collegedb_operations "
          + "WHERE kind = 'reshard' AND state = 'running' ORDER BY updated_at DESC");
           ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
      } catch (SQLException e) {
        return null; // no operations table: no reshard ever ran
      }
    }
  }
}
