package org.collegedb.admin;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.directory.ShardSizes;
import org.collegedb.internal.execute.BackendDrivers;
import org.collegedb.internal.route.ShardMapStore;

/**
 * Checks every shard on a connection of its own, all at once, each within a time limit: a shard that is down or
 * does not answer is reported, never thrown.
 */
final class HealthCheck {
  private static final int MAX_THREADS = 32;
  private HealthCheck() {
  }

  static List<ShardHealth> check(List<ShardSpec> shards, long timeoutMillis) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(MAX_THREADS, shards.size())), r -> {
      Thread t = new Thread(r, "collegedb-health");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<ShardHealth>> futures = new ArrayList<>();
      for (ShardSpec spec : shards) {
        futures.add(pool.submit(() -> one(spec)));
      }
      List<ShardHealth> out = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      for (int i = 0; i < shards.size(); i++) {
        String name = shards.get(i).name();
        try {
          out.add(futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          futures.get(i).cancel(true);
          out.add(down(name, "shard '" + name + "' did not answer within " + timeoutMillis + " ms"));
        } catch (ExecutionException e) {
          out.add(down(name, "shard '" + name + "': " + e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.add(down(name, "shard '" + name + "': interrupted while checking it"));
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static ShardHealth down(String name, String error) {
    return new ShardHealth(name, false, -1, -1, null, null, null, null, error);
  }

  private static ShardHealth one(ShardSpec spec) {
    String name = spec.name();
    long started = System.nanoTime();
    Connection c;
    try {
      c = BackendDrivers.connect(spec);
    } catch (SQLException | RuntimeException e) {
      return down(name, "shard '" + name + "' (" + spec.url() + ") cannot be reached: " + e.getMessage());
    }
    try (c) {
      long connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      long roundTrip;
      try (Statement s = c.createStatement()) {
        trivial(s); // the first one may prepare or load things
        long t = System.nanoTime();
        trivial(s);
        roundTrip = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t);
      }
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      String prefix = product.contains("postgres") || product.equals("h2") ? ShardMapStore.SCHEMA + "." : "";
      Long version = optionalLong(c, "SELECT MAX(version) FROM " + prefix + ShardMapStore.TABLE);
      String identity = optionalString(c, "SELECT name FROM " + prefix + ShardMapStore.IDENTITY_TABLE);
      Long bytes;
      try {
        bytes = ShardSizes.bytes(spec.url(), c);
      } catch (java.io.IOException | SQLException e) {
        bytes = null;
      }
      Long rows = estimatedRows(c, product);
      String error = null;
      if (version == null) {
        error = "shard '" + name + "' holds no shard map (a new database, or CollegeDB never connected to it)";
      } else if (identity != null && !identity.equals(name)) {
        error = "shard '" + name + "' records itself as shard '" + identity + "': the configuration points it at "
            + "another shard's database";
      }
      return new ShardHealth(name, true, roundTrip, connectMillis, bytes, rows, version, identity, error);
    } catch (SQLException | RuntimeException e) {
      return down(name, "shard '" + name + "' failed while being checked: " + e.getMessage());
    }
  }

  private static void trivial(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
    }
  }

  private static Long estimatedRows(Connection c, String product) {
    String sql;
    if (product.contains("postgres")) {
      sql = "SELECT CAST(COALESCE(SUM(n_live_tup), 0) AS BIGINT) FROM pg_stat_user_tables "
          + "WHERE relname NOT LIKE 'collegedb%'";
    } else if (product.contains("mariadb") || product.contains("mysql")) {
      sql = "SELECT COALESCE(SUM(table_rows), 0) FROM information_schema.tables WHERE table_schema = DATABASE() "
          + "AND table_name NOT LIKE 'collegedb%'";
    } else if (product.equals("h2")) {
      sql = "SELECT COALESCE(SUM(ROW_COUNT_ESTIMATE), 0) FROM INFORMATION_SCHEMA.TABLES "
          + "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'COLLEGEDB_INTERNAL')";
    } else {
      return null; // SQLite keeps no row counts: only counting would tell
    }
    return optionalLong(c, sql);
  }

  /** The single value of a query, or null when it has none or fails (a table that does not exist). */
  private static Long optionalLong(Connection c, String sql) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (rs.next()) {
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
      return null;
    } catch (SQLException e) {
      return null;
    }
  }

  private static String optionalString(Connection c, String sql) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      return null;
    }
  }
}
