package org.collegedb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reshard command: dry run, a fifth shard added, verify at the end, exit statuses. */
class ReshardCommandTest {
  @TempDir
  Path dir;

  private Path config(TestShards shards, int count, String extra) throws Exception {
    StringBuilder b = new StringBuilder("shards:\n");
    for (int i = 0; i < count; i++) {
      b.append("  s").append(i + 1).append(":\n    url: ").append(shards.url(i)).append('\n');
    }
    b.append(extra);
    b.append("tables:\n  orders:\n    key: user_id\n");
    Path file = dir.resolve("app" + count + ".yaml");
    Files.writeString(file, b.toString());
    return file;
  }

  @Test
  void dryRunThenAddAFifthShardAndVerify() throws Exception {
    TestShards shards = TestShards.create(Backend.SQLITE, "cli_reshard", 5);
    Path four = config(shards, 4, "");
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + four); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(40))");
      s.execute("CREATE TABLE orders (id BIGINT, user_id BIGINT, total INT, PRIMARY KEY (user_id, id))");
      c.setAutoCommit(false);
      try (PreparedStatement u = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)");
           PreparedStatement o = c.prepareStatement("INSERT INTO orders (id, user_id, total) VALUES (?, ?, ?)")) {
        for (long id = 1; id <= 200; id++) {
          u.setLong(1, id);
          u.setString(2, "u" + id);
          u.executeUpdate();
          o.setLong(1, 1);
          o.setLong(2, id);
          o.setInt(3, 5);
          o.executeUpdate();
        }
      }
      c.commit();
    }
    Path five = config(shards, 5, "");
    AdminCommandsTest.Run dry = AdminCommandsTest.run("reshard", five.toString(), "--dry-run");
    System.out.println(dry.out()); // shown in the README
    assertThat(dry.status()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("shard map version 1 -> 2", "joining: [s5]", "ranges moving:", "s4 -> s5",
        "rows and bytes to move, per shard:", "s1: ");
    AdminCommandsTest.Run run = AdminCommandsTest.run("reshard", five.toString(), "--no-progress");
    assertThat(run.status()).as(run.err()).isZero();
    System.out.println(run.out());
    assertThat(run.out()).contains("resharded: shard map version 1 -> 2", "verify: 400 rows checked, 0 difference(s)");
    try (Connection d = shards.direct(4); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
      rs.next();
      assertThat(rs.getLong(1)).isBetween(20L, 70L);
    }
    AdminCommandsTest.Run again = AdminCommandsTest.run("reshard", five.toString(), "--no-progress");
    assertThat(again.status()).isZero();
    assertThat(again.out()).contains("already matches the configuration");
    AdminCommandsTest.Run abort = AdminCommandsTest.run("reshard", five.toString(), "--abort");
    assertThat(abort.out()).contains("nothing to abort");
    AdminCommandsTest.Run badBy = AdminCommandsTest.run("reshard", five.toString(), "--rebalance", "--by", "colour");
    assertThat(badBy.status()).isEqualTo(1);
    assertThat(badBy.err()).contains("--by must be rows or size");
    AdminCommandsTest.Run lost = AdminCommandsTest.run("reshard", four.toString() + "x");
    assertThat(lost.status()).isEqualTo(1);
  }
}
