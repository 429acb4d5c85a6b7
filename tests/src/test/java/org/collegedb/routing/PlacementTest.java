package org.collegedb.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.collegedb.ExecutionInfo;
import org.collegedb.fixtures.AllBackends;
import org.collegedb.fixtures.Rows;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * Every row lands on exactly one shard, the one {@link CollegeConnection#shardOf} names; multi-row inserts are split
 * per shard; co-located tables follow their key; broadcast tables are whole on every shard. Checked by reading each
 * shard directly.
 */
class PlacementTest {

  private static TestShards shards(Backend backend) throws Exception {
    TestShards shards = ShardSets.of(backend, PlacementTest.class);
    Schema.reset(shards);
    return shards;
  }

  /** The ids in {@code table} (column {@code column}) on each shard, read directly. */
  private static List<Set<Long>> idsPerShard(TestShards shards, String table, String column) throws SQLException {
    List<Set<Long>> out = new ArrayList<>();
    for (int i = 0; i < shards.count(); i++) {
      Set<Long> ids = new TreeSet<>();
      try (Connection c = shards.direct(i); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table)) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      out.add(ids);
    }
    return out;
  }

  @AllBackends
  void everyRowLandsOnExactlyTheShardThatShardOfNames(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection c = Schema.connect(shards)) {
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name, age) VALUES (?, ?, ?)")) {
        for (long id = 1; id <= 120; id++) {
          ps.setLong(1, id);
          ps.setString(2, "user" + id);
          ps.setInt(3, (int) (id % 50));
          assertThat(ps.executeUpdate()).isEqualTo(1);
        }
      }
      StringBuilder multi = new StringBuilder("INSERT INTO users (id, name, age) VALUES ");
      for (long id = 121; id <= 180; id++) {
        multi.append(id == 121 ? "" : ", ").append("(").append(id).append(", 'user").append(id).append("', 1)");
      }
      try (Statement s = c.createStatement()) {
        assertThat(s.executeUpdate(multi.toString())).isEqualTo(60);
      }
      List<Set<Long>> perShard = idsPerShard(shards, "users", "id");
      for (long id = 1; id <= 180; id++) {
        String owner = college.shardOf("users", id);
        for (int i = 0; i < shards.count(); i++) {
          boolean here = perShard.get(i).contains(id);
          assertThat(here).as("user %d on shard %s (owner %s)", id, shards.names().get(i), owner)
              .isEqualTo(shards.names().get(i).equals(owner));
        }
      }
      assertThat(perShard.stream().mapToInt(Set::size).sum()).isEqualTo(180);
      assertThat(perShard).allSatisfy(ids -> assertThat(ids).hasSizeGreaterThan(20)); // spread over all four
    }
  }

  @AllBackends
  void multiRowInsertIsSplitIntoOneStatementPerShardWithOnlyItsRows(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      StringBuilder sql = new StringBuilder("INSERT INTO users (id, name) VALUES ");
      for (long id = 1001; id <= 1016; id++) {
        sql.append(id == 1001 ? "" : ", ").append("(").append(id).append(", 'n").append(id).append("')");
      }
      assertThat(s.executeUpdate(sql.toString())).isEqualTo(16);
      ExecutionInfo info = college.lastExecution();
      Map<String, Set<Long>> expected = new HashMap<>();
      for (long id = 1001; id <= 1016; id++) {
        expected.computeIfAbsent(college.shardOf("users", id), k -> new TreeSet<>()).add(id);
      }
      assertThat(info.shards()).containsExactlyInAnyOrderElementsOf(expected.keySet());
      Pattern row = Pattern.compile("\\((\\d+), 'n");
      for (int i = 0; i < info.shards().size(); i++) {
        Set<Long> inText = new TreeSet<>();
        Matcher m = row.matcher(info.shardSql().get(i));
        while (m.find()) {
          inText.add(Long.parseLong(m.group(1)));
        }
        assertThat(inText).as("rows sent to %s", info.shards().get(i)).isEqualTo(expected.get(info.shards().get(i)));
      }
      List<Set<Long>> perShard = idsPerShard(shards, "users", "id");
      for (int i = 0; i < shards.count(); i++) {
        assertThat(perShard.get(i)).isEqualTo(expected.getOrDefault(shards.names().get(i), Set.of()));
      }
    }
  }

  @AllBackends
  void ordersLiveWithTheirUser(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection c = Schema.connect(shards);
         PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, user_id, amount, status) VALUES "
             + "(?, ?, ?, 'open'), (?, ?, ?, 'open')")) {
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      for (int n = 0; n < 30; n++) {
        long user = n % 13;
        ps.setLong(1, 2L * n);
        ps.setLong(2, user);
        ps.setBigDecimal(3, java.math.BigDecimal.valueOf(n));
        ps.setLong(4, 2L * n + 1);
        ps.setLong(5, user + 100);
        ps.setBigDecimal(6, java.math.BigDecimal.ONE);
        assertThat(ps.executeUpdate()).isEqualTo(2);
      }
      for (int i = 0; i < shards.count(); i++) {
        try (Connection d = shards.direct(i); Statement s = d.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, user_id FROM orders")) {
          while (rs.next()) {
            long user = rs.getLong(2);
            assertThat(college.shardOf("orders", user)).as("order %d of user %d", rs.getLong(1), user)
                .isEqualTo(shards.names().get(i)).isEqualTo(college.shardOf("users", user));
          }
        }
      }
      List<Set<Long>> perShard = idsPerShard(shards, "orders", "id");
      assertThat(perShard.stream().mapToInt(Set::size).sum()).isEqualTo(60);
    }
  }

  @AllBackends
  void broadcastTableIsWholeOnEveryShard(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("INSERT INTO countries (code, name) VALUES ('de', 'Germany'), ('fr', 'France'), "
          + "('it', 'Italy'), ('es', 'Spain')")).isEqualTo(4);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO countries (code, name) VALUES (?, ?)")) {
        ps.setString(1, "pt");
        ps.setString(2, "Portugal");
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      assertThat(s.executeUpdate("UPDATE countries SET name = 'Deutschland' WHERE code = 'de'")).isEqualTo(1);
      assertThat(s.executeUpdate("DELETE FROM countries WHERE code = 'es'")).isEqualTo(1);
      List<List<Object>> expected = List.of(List.of("de", "Deutschland"), List.of("fr", "France"),
          List.of("it", "Italy"), List.of("pt", "Portugal"));
      for (int i = 0; i < shards.count(); i++) {
        try (Connection d = shards.direct(i)) {
          assertThat(Rows.query(d, "SELECT code, name FROM countries ORDER BY code")).as(shards.names().get(i))
              .isEqualTo(expected);
        }
      }
      assertThat(Rows.sorted(Rows.query(c, "SELECT code, name FROM countries"))).isEqualTo(expected);
    }
  }
}
