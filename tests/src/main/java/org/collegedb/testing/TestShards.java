package org.collegedb.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Sets of real databases to use as shards in tests: H2 in memory, SQLite files, PostgreSQL and MariaDB databases on
 * the local servers. Each set also has a "reference" database that holds all rows unsharded, for differential tests.
 *
 * <p>A server that cannot be reached fails the test with a clear message when {@code CI=true}, and makes it skip
 * (JUnit assumption) elsewhere: see {@link #requireServer}.
 */
public final class TestShards {
  /** The backends tests run on. */
  public enum Backend { H2, SQLITE, POSTGRES, MARIADB }

  /**
   * The prefix of the server databases tests create: {@code cdb} unless {@code COLLEGEDB_TEST_DB_PREFIX} is set, so
   * that two checkouts can run their suites against the same servers at once, followed by the name of the test JVM
   * ({@code f1}, {@code f2}, ...: {@code collegedb.test.fork}, which the build's surefire sets because it runs
   * test classes in two JVMs at once), so that no two JVMs ever share a server database.
   */
  public static final String DB_PREFIX = System.getenv().getOrDefault("COLLEGEDB_TEST_DB_PREFIX", "cdb")
      + System.getProperty("collegedb.test.fork", "");

  private final Backend backend;
  private final String name;
  private final List<String> urls;
  private final String referenceUrl;
  private final String user;
  private final boolean counting;

  private TestShards(Backend backend, String name, List<String> urls, String referenceUrl, String user) {
    this(backend, name, urls, referenceUrl, user, false);
  }

  private TestShards(Backend backend, String name, List<String> urls, String referenceUrl, String user,
      boolean counting) {
    this.backend = backend;
    this.name = name;
    this.urls = urls;
    this.referenceUrl = referenceUrl;
    this.user = user;
    this.counting = counting;
  }

  /**
   * The same shards, configured for CollegeDB through {@link CountingDriver} ({@code jdbc:counting:<url>}), so that
   * a test can count what runs on each shard; {@link #url}, {@link #direct} and {@link #reference} stay uncounted.
   */
  public TestShards counting() {
    return new TestShards(backend, name, urls, referenceUrl, user, true);
  }

  /**
   * {@code count} fresh, empty shards plus an empty reference database. {@code name} keeps test classes apart
   * (use the test class's simple name): server databases of the same name are emptied (PostgreSQL, see
   * {@link #emptyPostgres}) or dropped and created again (MariaDB).
   */
  public static TestShards create(Backend backend, String name, int count) throws Exception {
    return create(backend, name, count, true);
  }

  /**
   * As {@link #create(Backend, String, int)}; without {@code reference} no reference database is made (for suites
   * that compare with none).
   */
  public static TestShards create(Backend backend, String name, int count, boolean reference) throws Exception {
    String n = name.toLowerCase().replaceAll("[^a-z0-9_]", "_");
    List<String> urls = new ArrayList<>();
    switch (backend) {
      case H2 -> {
        String run = Long.toHexString(System.nanoTime());
        for (int i = 1; i <= count; i++) {
          urls.add("jdbc:h2:mem:" + n + "_" + run + "_s" + i + ";DB_CLOSE_DELAY=-1");
        }
        return new TestShards(backend, n, urls, "jdbc:h2:mem:" + n + "_" + run + "_ref;DB_CLOSE_DELAY=-1", null);
      }
      case SQLITE -> {
        Path dir = Files.createTempDirectory("cdb-" + n);
        for (int i = 1; i <= count; i++) {
          urls.add("jdbc:sqlite:" + dir.resolve("s" + i + ".db"));
        }
        return new TestShards(backend, n, urls, "jdbc:sqlite:" + dir.resolve("ref.db"), null);
      }
      case POSTGRES -> {
        requireServer("PostgreSQL", () -> canConnect("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres"));
        for (int i = 1; i <= count; i++) {
          urls.add(emptyPostgres(DB_PREFIX + "_" + n + "_s" + i));
        }
        return new TestShards(backend, n, urls, reference ? emptyPostgres(DB_PREFIX + "_" + n + "_ref") : null,
            "postgres");
      }
      case MARIADB -> {
        requireServer("MariaDB", () -> canConnect("jdbc:mariadb://127.0.0.1:3306/", "root"));
        for (int i = 1; i <= count; i++) {
          urls.add(recreateMariaDb(DB_PREFIX + "_" + n + "_s" + i));
        }
        return new TestShards(backend, n, urls, reference ? recreateMariaDb(DB_PREFIX + "_" + n + "_ref") : null,
            "root");
      }
      default -> throw new IllegalArgumentException(backend.toString());
    }
  }

  /**
   * The URL of an empty PostgreSQL database {@code db} on the local server: made when missing, otherwise kept and
   * emptied (other sessions ended, prepared transactions rolled back, every schema dropped and {@code public} made
   * again). The result is the same as DROP and CREATE DATABASE, but it takes a tenth of the time and, unlike them,
   * does not slow down with the server's load (a new database copies its template through the write-ahead log:
   * 1-6 s each on the 2-core CI machine while the suite runs).
   */
  public static String emptyPostgres(String db) throws SQLException {
    String url = "jdbc:postgresql://127.0.0.1:5432/" + db;
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
         Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
        if (!rs.next()) {
          s.execute("CREATE DATABASE " + db);
          return url;
        }
      }
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");
    }
    try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
      List<String> work = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")) {
        while (rs.next()) {
          work.add("ROLLBACK PREPARED '" + rs.getString(1).replace("'", "''") + "'");
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
          + "AND nspname <> 'information_schema'")) {
        while (rs.next()) {
          work.add("DROP SCHEMA \"" + rs.getString(1) + "\" CASCADE");
        }
      }
      work.add("CREATE SCHEMA public");
      for (String sql : work) {
        s.execute(sql);
      }
    }
    return url;
  }

  private static String recreateMariaDb(String db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
         Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db);
      s.execute("CREATE DATABASE " + db);
    }
    return "jdbc:mariadb://127.0.0.1:3306/" + db;
  }

  private static boolean canConnect(String url, String user) {
    try (Connection c = DriverManager.getConnection(url, user, "")) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Fails (under {@code CI=true}) or skips (elsewhere) when a server is not reachable, saying which and where.
   */
  public static void requireServer(String server, Supplier<Boolean> reachable) {
    if (reachable.get()) {
      return;
    }
    String message = server + " is not reachable on 127.0.0.1; tests that need it cannot run";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + " (CI=true: a missing server is a failure)");
    }
    org.junit.jupiter.api.Assumptions.abort(message);
  }

  public Backend backend() {
    return backend;
  }

  public int count() {
    return urls.size();
  }

  /**
   * The name to query one of CollegeDB's own tables by, directly on a shard: in the schema {@code collegedb_internal}
   * on databases with schemas (PostgreSQL, H2), unqualified elsewhere.
   */
  public String internalTable(String table) {
    return backend == Backend.POSTGRES || backend == Backend.H2 ? "collegedb_internal." + table : table;
  }

  /** The shard names: s1, s2, ... */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= urls.size(); i++) {
      names.add("s" + i);
    }
    return names;
  }

  public String url(int shard) {
    return urls.get(shard);
  }

  /** Connection properties for {@code jdbc:collegedb:} with these shards; add table settings to them. */
  public Properties properties() {
    Properties p = new Properties();
    for (int i = 0; i < urls.size(); i++) {
      p.setProperty("shards.s" + (i + 1) + ".url", counting ? CountingDriver.wrap(urls.get(i)) : urls.get(i));
      if (user != null) {
        p.setProperty("shards.s" + (i + 1) + ".user", user);
      }
    }
    return p;
  }

  /** A CollegeDB connection over these shards with extra settings, e.g. {@code "tables.orders.key", "user_id"}. */
  public Connection connect(String... settings) throws SQLException {
    Properties p = properties();
    for (int i = 0; i + 1 < settings.length; i += 2) {
      p.setProperty(settings[i], settings[i + 1]);
    }
    return DriverManager.getConnection("jdbc:collegedb:", p);
  }

  /** A direct connection to shard {@code shard} (0-based), bypassing CollegeDB. */
  public Connection direct(int shard) throws SQLException {
    return user == null ? DriverManager.getConnection(urls.get(shard))
        : DriverManager.getConnection(urls.get(shard), user, "");
  }

  /** A direct connection to the unsharded reference database. */
  public Connection reference() throws SQLException {
    return user == null ? DriverManager.getConnection(referenceUrl)
        : DriverManager.getConnection(referenceUrl, user, "");
  }

  @Override
  public String toString() {
    return backend + " x" + urls.size();
  }
}
