package org.collegedb.internal.execute;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Tells a shard, on each physical connection, which shard map version the session routes with, so that the fence
 * triggers the reshard tool installs can refuse a write planned with an older map than the shard's own (see
 * {@code org.collegedb.internal.reshard.Fence}). PostgreSQL: the setting {@code collegedb.map_version}; MariaDB/MySQL and H2:
 * the user variable {@code @collegedb_map_version}; SQLite: the function {@code collegedb_map_version()} registered
 * on the connection, which reads the session's version when a trigger calls it.
 */
public final class MapVersionDeclaration {
  /** The text every fence refusal carries, whatever the backend's SQLState. */
  public static final String STALE_MARKER = "collegedb_stale_map";

  private MapVersionDeclaration() {
  }

  /** Whether {@code e} (or a cause) is a fence's refusal of a write planned with an older shard map. */
  public static boolean isStale(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(STALE_MARKER)) {
        return true;
      }
      if (t instanceof SQLException s && s.getNextException() != null && s.getNextException() != t
          && isStale(s.getNextException())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the backend of {@code url} keeps the declaration in a function registered on the connection. */
  static boolean byFunction(String url) {
    return url.toLowerCase(Locale.ROOT).startsWith("jdbc:sqlite:");
  }

  /** Registers SQLite's {@code collegedb_map_version()}, answering {@code version} at each call. */
  static void register(Connection c, LongSupplier version) throws SQLException {
    org.sqlite.Function.create(c.unwrap(org.sqlite.SQLiteConnection.class), "collegedb_map_version",
        new org.sqlite.Function() {
          @Override
          protected void xFunc() throws SQLException {
            long v = version.getAsLong();
            if (v <= 0) {
              result();
            } else {
              result(v);
            }
          }
        });
  }

  /** Registers SQLite's {@code collegedb_map_version()} answering NULL: a tool's connection that the fence lets by. */
  public static void registerUndeclared(Connection c) throws SQLException {
    register(c, () -> 0);
  }

  /**
   * Declares {@code version} on a server or H2 connection that is in no transaction of the session's. A connection
   * left in manual-commit mode is committed at once, so that a later rollback cannot take the setting back.
   */
  static void declare(Connection c, String url, long version) throws SQLException {
    String u = url.toLowerCase(Locale.ROOT);
    String sql;
    if (u.startsWith("jdbc:postgresql:")) {
      sql = "SELECT set_config('collegedb.map_version', '" + version + "', false)";
    } else if (u.startsWith("jdbc:h2:") || u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
      sql = "SET @collegedb_map_version = " + version;
    } else {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }
}
