package org.collegedb.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Real databases for the driver's unit tests. PostgreSQL ones are schemas of one database of the local server, named
 * with {@code COLLEGEDB_TEST_DB_PREFIX} and made once (creating a database is slow on a busy server); each test run
 * drops the schemas the previous run left. A test that cannot reach the server is skipped, except under
 * {@code CI=true}, where that is a failure.
 */
public final class TestDatabases {
  /**
   * The prefix of every server database the driver's tests make: {@code COLLEGEDB_TEST_DB_PREFIX} (default
   * {@code cdb}), so that two checkouts can share the servers, and the test JVM's name ({@code f1}, {@code f2}: the
   * build's {@code collegedb.test.fork}), so that the module's two test JVMs never share one.
   */
  public static final String PREFIX = System.getenv().getOrDefault("COLLEGEDB_TEST_DB_PREFIX", "cdb")
      + System.getProperty("collegedb.test.fork", "");
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private static String postgresDatabase;

  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static boolean mariadbCleaned;

  private TestDatabases() {
  }

  /**
   * A connection to a new MariaDB database named {@code <prefix>_unit_<name>} on the local server (user root);
   * databases an earlier run left are dropped on first use.
   */
  public static Connection mariadb(String name) throws SQLException {
    String prefix = PREFIX + "_unit_";
    try (Connection c = DriverManager.getConnection(MARIADB, "root", "");
         Statement s = c.createStatement()) {
      synchronized (TestDatabases.class) {
        if (!mariadbCleaned) {
          List<String> old = new ArrayList<>();
          try (ResultSet rs = s.executeQuery("SHOW DATABASES LIKE '" + prefix.replace("_", "\\_") + "%'")) {
            while (rs.next()) {
              old.add(rs.getString(1));
            }
          }
          for (String db : old) {
            s.execute("DROP DATABASE `" + db + "`");
          }
          mariadbCleaned = true;
        }
      }
      s.execute("CREATE DATABASE " + prefix + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
    } catch (SQLException e) {
      unreachable("MariaDB", "127.0.0.1:3306", e);
    }
    return DriverManager.getConnection(MARIADB + prefix + name, "root", "");
  }

  private static void unreachable(String product, String where, SQLException e) {
    String message = product + " is not reachable on " + where + ": " + e.getMessage();
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + " (CI=true: a missing server is a failure)", e);
    }
    Assumptions.abort(message);
  }

  /** A connection to a new schema {@code schema} (lower case letters, digits and {@code _}) of the test database. */
  public static Connection postgresSchema(String schema) throws SQLException {
    String db = postgresDatabase();
    try (Connection c = DriverManager.getConnection(SERVER + db, "postgres", "");
         Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return DriverManager.getConnection(SERVER + db + "?currentSchema=" + schema, "postgres", "");
  }

  /** The test database, with the C collation (the text order CollegeDB reproduces), made on first use. */
  private static synchronized String postgresDatabase() {
    if (postgresDatabase != null) {
      return postgresDatabase;
    }
    String db = PREFIX + "_unit";
    try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
         Statement s = c.createStatement()) {
      boolean exists;
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        s.execute("CREATE DATABASE " + db + " LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
      }
    } catch (SQLException e) {
      unreachable("PostgreSQL", "127.0.0.1:5432", e);
    }
    try (Connection c = DriverManager.getConnection(SERVER + db, "postgres", "");
         Statement s = c.createStatement()) {
      List<String> old = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
          + "AND nspname NOT IN ('public', 'information_schema')")) {
        while (rs.next()) {
          old.add(rs.getString(1));
        }
      }
      for (String schema : old) {
        s.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
      }
    } catch (SQLException e) {
      throw new AssertionError("cannot clean the test database " + db + ": " + e.getMessage(), e);
    }
    postgresDatabase = db;
    return db;
  }
}
