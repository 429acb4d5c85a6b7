package org.collegedb.directory;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.collegedb.testing.TestShards;

/** Fresh directory databases for tests: an embedded SQLite or H2 file, or a PostgreSQL database. */
final class DirectoryUrls {
  enum Kind { SQLITE, H2, POSTGRES }

  private DirectoryUrls() {
  }

  /** Settings naming a fresh, empty directory of this kind; {@code name} keeps test classes apart. */
  static Properties fresh(Kind kind, String name) throws Exception {
    Properties p = new Properties();
    switch (kind) {
      case SQLITE -> p.setProperty("directory.url", "jdbc:sqlite:"
          + Files.createTempDirectory("cdb-dir").resolve(name + ".db"));
      case H2 -> p.setProperty("directory.url", "jdbc:h2:file:"
          + Files.createTempDirectory("cdb-dir").resolve(name));
      case POSTGRES -> {
        String db = org.collegedb.testing.TestShards.DB_PREFIX + "_" + name.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_dir";
        TestShards.requireServer("PostgreSQL", () -> {
          try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres",
              "")) {
            return c.isValid(2);
          } catch (SQLException e) {
            return false;
          }
        });
        p.setProperty("directory.url", TestShards.emptyPostgres(db));
        p.setProperty("directory.user", "postgres");
      }
      default -> throw new IllegalArgumentException(kind.toString());
    }
    return p;
  }
}
