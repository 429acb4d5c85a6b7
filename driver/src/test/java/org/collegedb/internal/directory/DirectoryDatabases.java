package org.collegedb.internal.directory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/** Fresh, empty databases to hold a directory in driver tests: SQLite and H2 files, a PostgreSQL database. */
final class DirectoryDatabases {
  private DirectoryDatabases() {
  }

  static String url(String kind, String name) throws Exception {
    switch (kind) {
      case "sqlite" -> {
        return "jdbc:sqlite:" + Files.createTempDirectory("cdb-dir").resolve(name + ".db");
      }
      case "h2" -> {
        Path dir = Files.createTempDirectory("cdb-dir");
        return "jdbc:h2:file:" + dir.resolve(name);
      }
      case "postgres" -> {
        String db = org.collegedb.support.TestDatabases.PREFIX + "_" + name.toLowerCase();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement s = c.createStatement()) {
          s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
          s.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
          String message = "PostgreSQL is not reachable on 127.0.0.1:5432: " + e.getMessage();
          if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: a missing server is a failure)", e);
          }
          Assumptions.abort(message);
        }
        return "jdbc:postgresql://127.0.0.1:5432/" + db;
      }
      default -> throw new IllegalArgumentException(kind);
    }
  }

  static String user(String kind) {
    return kind.equals("postgres") ? "postgres" : null;
  }
}
