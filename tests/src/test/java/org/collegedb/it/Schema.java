package org.collegedb.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.collegedb.testing.TestShards;

/**
 * The tables the integration tests share: {@code users} sharded by its primary key {@code id}, {@code orders}
 * sharded by {@code user_id} (co-located with its user) and {@code countries} copied whole to every shard.
 */
final class Schema {
  /** The settings that go with these tables. */
  static final String[] SETTINGS = {"tables.orders.key", "user_id", "tables.countries.broadcast", "true"};

  static final List<String> TABLES = List.of(
      "CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(100), age INT)",
      "CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, amount DECIMAL(10,2), "
          + "status VARCHAR(20))",
      "CREATE TABLE countries (code VARCHAR(2) PRIMARY KEY, name VARCHAR(100))");

  private Schema() {
  }

  /** A CollegeDB connection over {@code shards} with the tables' settings and {@code extra} ones. */
  static Connection connect(TestShards shards, String... extra) throws SQLException {
    String[] all = new String[SETTINGS.length + extra.length];
    System.arraycopy(SETTINGS, 0, all, 0, SETTINGS.length);
    System.arraycopy(extra, 0, all, SETTINGS.length, extra.length);
    return shards.connect(all);
  }

  /** Drops and creates the tables, through CollegeDB on the shards and directly on the reference database. */
  static void reset(TestShards shards) throws SQLException {
    try (Connection c = connect(shards)) {
      recreate(c);
    }
    try (Connection ref = shards.reference()) {
      recreate(ref);
    }
  }

  private static void recreate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String table : List.of("orders", "users", "countries")) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
      for (String ddl : TABLES) {
        s.execute(ddl);
      }
    }
  }
}
