package org.collegedb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** split, status, unshard as commands on SQLite files: exit statuses and what they print. */
class MigrateCommandsTest {
  @TempDir
  Path dir;

  private String source() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("app.db");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
      s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, total INTEGER)");
      c.setAutoCommit(false);
      try (PreparedStatement u = c.prepareStatement("INSERT INTO users VALUES (?, ?)");
           PreparedStatement o = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)")) {
        for (int i = 1; i <= 500; i++) {
          u.setInt(1, i);
          u.setString(2, "user " + i);
          u.addBatch();
          o.setInt(1, i);
          o.setInt(2, 1 + i % 100);
          o.setInt(3, i);
          o.addBatch();
        }
        u.executeBatch();
        o.executeBatch();
      }
      c.commit();
    }
    return url;
  }

  private String config() throws Exception {
    StringBuilder b = new StringBuilder("shards:\n");
    for (int i = 1; i <= 4; i++) {
      b.append("  s").append(i).append(":\n    url: jdbc:sqlite:${configDir}/s").append(i).append(".db\n");
    }
    b.append("tables:\n  orders:\n    key: user_id\n");
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, b.toString());
    return file.toString();
  }

  private static long count(String url, String table) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void splitStatusUnshard() throws Exception {
    String source = source();
    String config = config();
    AdminCommandsTest.Run help = AdminCommandsTest.run("split", "--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("--dry-run", "--finish", "--abort");

    AdminCommandsTest.Run plan = AdminCommandsTest.run("split", source, config, "--dry-run");
    assertThat(plan.status()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("table users: 500 rows", "table orders: 500 rows", "to move, per shard:");
    assertThat(Files.exists(dir.resolve("s1.db"))).as("a dry run creates no shard").isFalse();

    AdminCommandsTest.Run split = AdminCommandsTest.run("split", source, config, "--no-progress");
    assertThat(split.status()).as(split.err()).isZero();
    assertThat(split.out()).contains("verified 1,000 rows of 2 table(s)", "ready", "--finish");
    long onShards = 0;
    for (int i = 1; i <= 4; i++) {
      onShards += count("jdbc:sqlite:" + dir.resolve("s" + i + ".db"), "users");
    }
    assertThat(onShards).isEqualTo(500);

    AdminCommandsTest.Run status = AdminCommandsTest.run("status", config);
    assertThat(status.status()).as(status.err()).isZero();
    assertThat(status.out()).contains("operations in progress: 1", "split:" + source + " ready",
        "1,000 of 1,000 rows copied", "skew");

    AdminCommandsTest.Run finish = AdminCommandsTest.run("split", source, config, "--finish", "--no-progress");
    assertThat(finish.status()).as(finish.err()).isZero();
    assertThat(finish.out()).contains(": done");
    assertThat(AdminCommandsTest.run("status", config).out()).contains("operations in progress: none");

    String target = "jdbc:sqlite:" + dir.resolve("merged.db");
    AdminCommandsTest.Run unshard = AdminCommandsTest.run("unshard", config, target, "--finish", "--no-progress");
    assertThat(unshard.status()).as(unshard.err()).isZero();
    assertThat(count(target, "users")).isEqualTo(500);
    assertThat(count(target, "orders")).isEqualTo(500);
  }

  @Test
  void aTableWithoutAKeyFailsWithStatusOne() throws Exception {
    String source = source();
    try (Connection c = DriverManager.getConnection(source); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE log (at INTEGER, line TEXT)");
    }
    AdminCommandsTest.Run r = AdminCommandsTest.run("split", source, config(), "--dry-run");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("log: no shard key", "[SQLState 0A000]");
  }
}
