package org.collegedb.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * EXPLAIN COLLEGEDB returns CollegeDB's plan as rows (and with ANALYZE runs it); shard hints run a statement on
 * exactly the shards they name; the backends' own EXPLAIN ANALYZE and MariaDB's ANALYZE of a write run as that write,
 * on its key's shard only, or are refused. Every effect is checked on the shards directly.
 */
class ExplainAndHintsTest {
  private static final int USERS = 24;

  private static TestShards shards(Backend backend) throws Exception {
    TestShards shards = ShardSets.of(backend, ExplainAndHintsTest.class);
    Schema.reset(shards);
    try (Connection c = Schema.connect(shards);
         PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name, age) VALUES (?, ?, ?)")) {
      for (int id = 1; id <= USERS; id++) {
        ps.setLong(1, id);
        ps.setString(2, "u" + id);
        ps.setInt(3, id % 5);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return shards;
  }

  private static List<String> lines(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      assertThat(rs.getMetaData().getColumnCount()).isEqualTo(1);
      assertThat(rs.getMetaData().getColumnLabel(1)).isEqualToIgnoringCase("plan");
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The ids of users on each shard, read directly. */
  private static Map<String, List<Long>> idsPerShard(TestShards shards) throws SQLException {
    Map<String, List<Long>> out = new HashMap<>();
    for (int i = 0; i < shards.count(); i++) {
      List<Long> ids = new ArrayList<>();
      try (Connection c = shards.direct(i); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT id FROM users ORDER BY id")) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      out.put(shards.names().get(i), ids);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"H2", "SQLITE", "POSTGRES", "MARIADB"})
  void explainCollegeDbShowsThePlanAndTouchesNoShard(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    Map<String, List<Long>> before = idsPerShard(shards);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      String owner = c.unwrap(CollegeConnection.class).shardOf("users", 7L);
      assertThat(lines(s.executeQuery("EXPLAIN COLLEGEDB SELECT name FROM users WHERE id = 7")))
          .containsExactly("read [" + owner + "]", "  sql: SELECT name FROM users WHERE id = 7");
      assertThat(lines(s.executeQuery("EXPLAIN COLLEGEDB DELETE FROM users WHERE id = 7")))
          .containsExactly("write [" + owner + "]", "  sql: DELETE FROM users WHERE id = 7");
      assertThat(lines(s.executeQuery("EXPLAIN COLLEGEDB SELECT id FROM users ORDER BY id LIMIT 2 OFFSET 3")))
          .first().isEqualTo("read [s1,s2,s3,s4]");
      List<String> crossShard = lines(s.executeQuery(
          "EXPLAIN COLLEGEDB SELECT u.id FROM users u JOIN orders o ON o.amount = u.age"));
      assertThat(crossShard.get(0)).startsWith("cross-shard: ");
      assertThat(crossShard.get(1)).startsWith("  not pushed down: the join of [users, orders] spans shards");
      List<String> refused = lines(s.executeQuery("EXPLAIN COLLEGEDB UPDATE users SET id = id + 1"));
      assertThat(refused).hasSize(1);
      assertThat(refused.get(0)).startsWith("refused 0A000 UPDATE would change the shard key 'id'");
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN COLLEGEDB SELECT name FROM users WHERE id = ?")) {
        ps.setLong(1, 9);
        assertThat(lines(ps.executeQuery())).first()
            .isEqualTo("read [" + c.unwrap(CollegeConnection.class).shardOf("users", 9L) + "]");
      }
    }
    assertThat(idsPerShard(shards)).as("EXPLAIN without ANALYZE changes nothing").isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"H2", "SQLITE", "POSTGRES", "MARIADB"})
  void explainCollegeDbAnalyzeRunsTheStatementAndSaysWhatItDid(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      List<String> read = lines(s.executeQuery("EXPLAIN COLLEGEDB ANALYZE SELECT id FROM users WHERE age = 1"));
      assertThat(read.get(0)).isEqualTo("read [s1,s2,s3,s4]");
      assertThat(read).anySatisfy(l -> assertThat(l).matches("ran: 5 row\\(s\\) read in [0-9.]+ ms on \\[s1, s2, s3, s4\\]"));
      String owner = c.unwrap(CollegeConnection.class).shardOf("users", 11L);
      List<String> delete = lines(s.executeQuery("EXPLAIN COLLEGEDB ANALYZE DELETE FROM users WHERE id = 11"));
      assertThat(delete).anySatisfy(l -> assertThat(l).startsWith("ran: 1 row(s) changed in ").endsWith("on [" + owner + "]"));
      c.setReadOnly(true);
      assertThatThrownBy(() -> s.executeQuery("EXPLAIN COLLEGEDB ANALYZE DELETE FROM users WHERE id = 12"))
          .isInstanceOf(SQLException.class).hasFieldOrPropertyWithValue("SQLState", "25006");
    }
    Map<String, List<Long>> after = idsPerShard(shards);
    assertThat(after.values().stream().mapToInt(List::size).sum()).isEqualTo(USERS - 1);
    assertThat(after.values()).noneSatisfy(ids -> assertThat(ids).contains(11L));
    assertThat(after.values()).anySatisfy(ids -> assertThat(ids).contains(12L));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"H2", "SQLITE", "POSTGRES", "MARIADB"})
  void hintsRunOnExactlyTheNamedShardsUnmerged(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    Map<String, List<Long>> placed = idsPerShard(shards);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("/*+ collegedb shard(s2) */ SELECT COUNT(*) FROM users")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(placed.get("s2").size());
      }
      List<Long> total = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("/*+ collegedb shard(s1,s3) */ SELECT COUNT(*) FROM users")) {
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
        assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("collegedb_shard");
        while (rs.next()) {
          assertThat(rs.getLong(1)).isEqualTo(placed.get(rs.getString(2)).size());
          total.add(rs.getLong(1));
        }
      }
      assertThat(total).hasSize(2);
      int rows = 0;
      try (ResultSet rs = s.executeQuery("/*+ collegedb all_shards */ SELECT id FROM users")) {
        while (rs.next()) {
          assertThat(placed.get(rs.getString("collegedb_shard"))).contains(rs.getLong("id"));
          rows++;
        }
      }
      assertThat(rows).isEqualTo(USERS);
      // A hinted write changes only the named shard, even where the key would send it elsewhere.
      assertThat(s.executeUpdate("/*+ collegedb shard(s1) */ DELETE FROM users")).isEqualTo(placed.get("s1").size());
      // The hint applies to the statement it prefixes only.
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(USERS - placed.get("s1").size());
      }
      assertThatThrownBy(() -> s.executeQuery("/*+ collegedb shard(s9) */ SELECT 1"))
          .isInstanceOf(SQLException.class).hasFieldOrPropertyWithValue("SQLState", "42704")
          .hasMessageContaining("s9");
      assertThatThrownBy(() -> s.executeQuery("/*+ collegedb somewhere */ SELECT 1"))
          .isInstanceOf(SQLException.class).hasFieldOrPropertyWithValue("SQLState", "42000");
    }
    Map<String, List<Long>> after = idsPerShard(shards);
    assertThat(after.get("s1")).isEmpty();
    for (String other : List.of("s2", "s3", "s4")) {
      assertThat(after.get(other)).isEqualTo(placed.get(other));
    }
    try (Connection c = Schema.connect(shards, "shardHint", "shard(s3)"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
      rs.next();
      assertThat(rs.getLong(1)).as("the connection's shardHint").isEqualTo(placed.get("s3").size());
    }
  }

  @Test
  void postgresExplainAnalyzeOfAWriteRunsOnItsKeysShardOnly() throws Exception {
    TestShards shards = shards(Backend.POSTGRES);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      String owner = c.unwrap(CollegeConnection.class).shardOf("users", 103L);
      try (ResultSet rs = s.executeQuery("EXPLAIN ANALYZE INSERT INTO users (id, name, age) VALUES (103, 'x', 1)")) {
        assertThat(rs.next()).isTrue(); // the backend's plan
      }
      try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE) UPDATE users SET name = 'y' WHERE id = 103")) {
        assertThat(rs.next()).isTrue();
      }
      assertThatThrownBy(() -> s.executeQuery("EXPLAIN ANALYZE UPDATE users SET name = 'z'"))
          .isInstanceOf(SQLException.class).hasFieldOrPropertyWithValue("SQLState", "0A000");
      c.setReadOnly(true);
      assertThatThrownBy(() -> s.executeQuery("EXPLAIN ANALYZE DELETE FROM users WHERE id = 103"))
          .isInstanceOf(SQLException.class).hasFieldOrPropertyWithValue("SQLState", "25006");
      c.setReadOnly(false);
      Map<String, List<Long>> after = idsPerShard(shards);
      for (Map.Entry<String, List<Long>> e : after.entrySet()) {
        assertThat(e.getValue().contains(103L)).as("key 103 on %s", e.getKey()).isEqualTo(e.getKey().equals(owner));
      }
      for (int i = 0; i < shards.count(); i++) {
        try (Connection d = shards.direct(i); Statement ds = d.createStatement();
             ResultSet rs = ds.executeQuery("SELECT COUNT(*) FROM users WHERE name IN ('y', 'z')")) {
          rs.next();
          assertThat(rs.getLong(1)).as("renamed rows on %s", shards.names().get(i))
              .isEqualTo(shards.names().get(i).equals(owner) ? 1 : 0);
        }
      }
    }
    try (Connection c = Schema.connect(shards, "unparsedReads", "all-shards"); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("SELECT * INTO copy_of_users FROM users"))
          .isInstanceOf(SQLException.class).hasFieldOrPropertyWithValue("SQLState", "42000");
    }
    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i);
           ResultSet rs = d.getMetaData().getTables(null, null, "copy_of_users", null)) {
        assertThat(rs.next()).as("SELECT INTO created a table on %s", shards.names().get(i)).isFalse();
      }
    }
  }

  @Test
  void mariaDbAnalyzeOfAWriteRunsOnItsKeysShardOnly() throws Exception {
    TestShards shards = shards(Backend.MARIADB);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      String owner = c.unwrap(CollegeConnection.class).shardOf("users", 5L);
      try (ResultSet rs = s.executeQuery("ANALYZE UPDATE users SET name = 'analyzed' WHERE id = 5")) {
        assertThat(rs.next()).isTrue();
      }
      assertThatThrownBy(() -> s.executeQuery("ANALYZE DELETE FROM users"))
          .isInstanceOf(SQLException.class).hasFieldOrPropertyWithValue("SQLState", "0A000");
      for (int i = 0; i < shards.count(); i++) {
        try (Connection d = shards.direct(i); Statement ds = d.createStatement();
             ResultSet rs = ds.executeQuery("SELECT COUNT(*) FROM users WHERE name = 'analyzed'")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(shards.names().get(i).equals(owner) ? 1 : 0);
        }
      }
      assertThat(idsPerShard(shards).values().stream().mapToInt(List::size).sum()).isEqualTo(USERS);
    }
  }
}
