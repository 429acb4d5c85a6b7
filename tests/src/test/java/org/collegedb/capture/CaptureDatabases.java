package org.collegedb.capture;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/** Databases for the capture tests, created once per backend, test class and size per JVM. */
final class CaptureDatabases {
  private static final Map<String, TestShards> SETS = new ConcurrentHashMap<>();

  private CaptureDatabases() {
  }

  static TestShards of(Backend backend, Class<?> owner, int count) throws Exception {
    String key = backend + "/" + owner.getSimpleName() + "/" + count;
    TestShards shards = SETS.get(key);
    if (shards == null) {
      shards = TestShards.create(backend, "cap_" + owner.getSimpleName(), count);
      SETS.put(key, shards);
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
