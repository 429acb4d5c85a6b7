package org.collegedb.capture;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * Databases for the capture tests: two per backend (and TestShards' reference database, unused), created once per JVM (creating server databases costs more
 * than the tests). The single-database tests use the first; each test drops what it creates and uninstalls capture
 * before it starts.
 */
final class CaptureDatabases {
  private static final Map<String, TestShards> SETS = new ConcurrentHashMap<>();

  private CaptureDatabases() {
  }

  static final int COUNT = 2;

  static synchronized TestShards of(Backend backend) throws Exception {
    TestShards shards = SETS.get(backend.name());
    if (shards == null) {
      shards = TestShards.create(backend, "capture", COUNT);
      SETS.put(backend.name(), shards);
    }
    return shards;
  }

  /** The backend's name of a binary column type. */
  static String binary(Backend backend) {
    return switch (backend) {
      case POSTGRES -> "BYTEA";
      case SQLITE -> "BLOB";
      default -> "VARBINARY(16)";
    };
  }

  /** The backend's name of a date-and-time column type (MariaDB's TIMESTAMP updates itself). */
  static String timestamp(Backend backend) {
    return backend == Backend.MARIADB ? "DATETIME(6)" : "TIMESTAMP";
  }

  static void exec(Connection c, String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }
}
