package org.collegedb.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import org.collegedb.ExecutionInfo;
import org.collegedb.fixtures.AllBackends;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * The plan a statement ran by is shown with where it ran ({@code ExecutionInfo.plan()}): the same text the golden
 * plan files hold, with the shards' names, and it matches where the rows really went.
 */
class ExecutionPlanTest {

  private static TestShards shards(Backend backend) throws Exception {
    TestShards shards = ShardSets.of(backend, ExecutionPlanTest.class);
    Schema.reset(shards);
    return shards;
  }

  @AllBackends
  void aPointSelectShowsItsOneShardAndText(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection c = Schema.connect(shards);
         PreparedStatement insert = c.prepareStatement("INSERT INTO users (id, name, age) VALUES (?, ?, ?)");
         PreparedStatement read = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      insert.setLong(1, 42);
      insert.setString(2, "ann");
      insert.setInt(3, 30);
      insert.executeUpdate();
      String owner = college.shardOf("users", 42L);
      assertThat(college.lastExecution().plan()).isEqualTo("write [" + owner + "]\n"
          + "  sql: INSERT INTO users (id, name, age) VALUES (?, ?, ?)\n");
      read.setLong(1, 42);
      try (ResultSet rs = read.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("ann");
      }
      ExecutionInfo info = college.lastExecution();
      assertThat(info.shards()).containsExactly(owner);
      assertThat(info.plan()).isEqualTo("read [" + owner + "]\n  sql: SELECT name FROM users WHERE id = ?\n");
    }
  }

  @AllBackends
  void aFanOutShowsTheWidenedLimitAndTheMerge(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      for (int id = 1; id <= 40; id++) {
        s.executeUpdate("INSERT INTO users (id, name, age) VALUES (" + id + ", 'u" + id + "', " + (id % 7) + ")");
      }
      try (ResultSet rs = s.executeQuery("SELECT id FROM users ORDER BY id LIMIT 3 OFFSET 5")) {
        for (int expected = 6; expected <= 8; expected++) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(expected);
        }
        assertThat(rs.next()).isFalse();
      }
      String plan = c.unwrap(CollegeConnection.class).lastExecution().plan();
      assertThat(plan).startsWith("read [s1,s2,s3,s4]\n")
          .contains("  each: SELECT id FROM users ORDER BY id LIMIT 8\n")
          .contains("  merge ordered order=[1")
          .endsWith(" offset=5 limit=3\n");
    }
  }

  @AllBackends
  void aRefusalIsItsPlanAndTouchesNoShard(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("UPDATE users SET id = id + 1"))
          .isInstanceOf(SQLFeatureNotSupportedException.class)
          .hasFieldOrPropertyWithValue("SQLState", "0A000");
      assertThat(c.unwrap(CollegeConnection.class).lastExecution()).isNull();
    }
  }
}
