package org.collegedb.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.collegedb.fixtures.AllBackends;
import org.collegedb.fixtures.Rows;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shard map: kept in {@code collegedb_shard_map} on every shard, authoritative over the configuration, the same
 * for every connection and every listing order, and a fixed function of the key (the expected shards below are
 * hard-coded: a change to the hashing contract fails this test).
 */
class ShardMapTest {
  /** Where keys of {@code users} (BIGINT) and {@code accounts} (VARCHAR) live with four shards s1..s4. */
  private static final Map<Long, String> INTEGER_KEYS = new LinkedHashMap<>();
  private static final Map<String, String> TEXT_KEYS = new LinkedHashMap<>();

  static {
    INTEGER_KEYS.put(1L, "s4");
    INTEGER_KEYS.put(2L, "s3");
    INTEGER_KEYS.put(3L, "s4");
    INTEGER_KEYS.put(7L, "s1");
    INTEGER_KEYS.put(42L, "s4");
    INTEGER_KEYS.put(1000L, "s2");
    INTEGER_KEYS.put(-3L, "s1");
    INTEGER_KEYS.put(5_000_000_000L, "s3");
    TEXT_KEYS.put("alice@example.com", "s4");
    TEXT_KEYS.put("7", "s1");
    TEXT_KEYS.put("ünïcödé", "s2");
  }

  @TempDir
  Path dir;

  private static TestShards shards(Backend backend) throws Exception {
    TestShards shards = ShardSets.of(backend, ShardMapTest.class);
    Schema.reset(shards);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS accounts");
      s.execute("CREATE TABLE accounts (email VARCHAR(100) PRIMARY KEY, name VARCHAR(50))");
    }
    return shards;
  }

  private static List<List<Object>> storedMap(TestShards shards, Connection direct) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> r : Rows.query(direct, "SELECT version, range_start, shard FROM "
        + shards.internalTable("collegedb_shard_map") + " "
        + "ORDER BY version, range_start")) {
      rows.add(List.of(((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue(), r.get(2)));
    }
    return rows;
  }

  @AllBackends
  void theMapIsStoredOnEveryShard(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    List<List<Object>> expected = List.of(List.of(1L, Long.MIN_VALUE, "s1"), List.of(1L, Long.MIN_VALUE / 2, "s2"),
        List.of(1L, 0L, "s3"), List.of(1L, Long.MAX_VALUE / 2 + 1, "s4"));
    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i)) {
        assertThat(storedMap(shards, d)).as(shards.names().get(i)).isEqualTo(expected);
      }
    }
  }

  @AllBackends
  void keysLiveOnFixedShards(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection c = Schema.connect(shards)) {
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, 'fixed')")) {
        for (long key : INTEGER_KEYS.keySet()) {
          ps.setLong(1, key);
          ps.executeUpdate();
          assertThat(college.shardOf("users", key)).as("user %d", key).isEqualTo(INTEGER_KEYS.get(key));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (email, name) VALUES (?, 'fixed')")) {
        for (String key : TEXT_KEYS.keySet()) {
          ps.setString(1, key);
          ps.executeUpdate();
          assertThat(college.shardOf("accounts", key)).as("account %s", key).isEqualTo(TEXT_KEYS.get(key));
        }
      }
    }
    for (int i = 0; i < shards.count(); i++) {
      String name = shards.names().get(i);
      try (Connection d = shards.direct(i)) {
        List<Long> users = Rows.query(d, "SELECT id FROM users").stream().map(r -> ((Number) r.get(0)).longValue())
            .toList();
        assertThat(users).as(name).containsExactlyInAnyOrderElementsOf(INTEGER_KEYS.entrySet().stream()
            .filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).toList());
        List<Object> accounts = Rows.query(d, "SELECT email FROM accounts").stream().map(r -> r.get(0)).toList();
        assertThat(accounts).as(name).containsExactlyInAnyOrderElementsOf(TEXT_KEYS.entrySet().stream()
            .filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).toList());
      }
    }
  }

  /** The shards' settings as a YAML file listing them in {@code order}, with a setting that makes a new runtime. */
  private Path yaml(TestShards shards, List<String> order, String extra) throws Exception {
    StringBuilder y = new StringBuilder(extra).append("\nshards:\n");
    Properties p = shards.properties();
    for (String name : order) {
      y.append("  ").append(name).append(":\n    url: \"").append(p.getProperty("shards." + name + ".url"))
          .append("\"\n");
      if (p.getProperty("shards." + name + ".user") != null) {
        y.append("    user: ").append(p.getProperty("shards." + name + ".user")).append('\n');
      }
    }
    Path file = dir.resolve("order-" + String.join("-", order) + ".yaml");
    Files.writeString(file, y.toString());
    return file;
  }

  @AllBackends
  void placementIsTheSameAcrossReconnectsAndListingOrders(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    Map<Long, String> placed = new LinkedHashMap<>();
    try (Connection c = Schema.connect(shards)) {
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      try (Statement s = c.createStatement()) {
        for (long id = 1; id <= 40; id++) {
          s.executeUpdate("INSERT INTO users (id, name) VALUES (" + id + ", 'n" + id + "')");
          placed.put(id, college.shardOf("users", id));
        }
      }
    }
    int variant = 0;
    for (List<String> order : List.of(List.of("s4", "s3", "s2", "s1"), List.of("s2", "s4", "s1", "s3"))) {
      Path file = yaml(shards, order, "planCacheSize: " + (100 + variant++));
      try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + file, new Properties());
           PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
        CollegeConnection college = c.unwrap(CollegeConnection.class);
        assertThat(college.shardNames()).containsExactly("s1", "s2", "s3", "s4");
        for (Map.Entry<Long, String> e : placed.entrySet()) {
          assertThat(college.shardOf("users", e.getKey())).isEqualTo(e.getValue());
          ps.setLong(1, e.getKey());
          assertThat(Rows.read(ps.executeQuery())).containsExactly(List.of("n" + e.getKey()));
          assertThat(college.lastExecution().shards()).containsExactly(e.getValue());
        }
      }
    }
  }

  @AllBackends
  void renamingRemovingOrAddingAShardInTheConfigurationAloneFails(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    Properties base = shards.properties();
    Properties renamed = new Properties();
    base.forEach((k, v) -> renamed.setProperty(k.toString().replace("shards.s4.", "shards.s5."), v.toString()));
    Properties removed = new Properties();
    base.forEach((k, v) -> {
      if (!k.toString().startsWith("shards.s4.")) {
        removed.setProperty(k.toString(), v.toString());
      }
    });
    Properties added = new Properties();
    added.putAll(base);
    TestShards extra = TestShards.create(shards.backend(), "it_ShardMapTest_extra", 1); // shards of one product
    added.setProperty("shards.s5.url", extra.url(0));
    SQLException lost = catchThrowableOfType(SQLException.class,
        () -> DriverManager.getConnection("jdbc:collegedb:", removed).close());
    assertThat((Throwable) lost).as("connecting with %s", removed.stringPropertyNames()).isNotNull();
    assertThat(lost.getSQLState()).isEqualTo("HY024");
    assertThat(lost.getMessage()).contains("collegedb_shard_map", "gives keys to shard 's4'", "shards.s4.url");
    // An added shard joins: accepted, but it owns no keys until the reshard command gives it some.
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", added)) {
      assertThat(c.unwrap(CollegeConnection.class).shardOf("users", 1000L)).isEqualTo("s2");
    }
    // A renamed shard, and two shards whose URLs were swapped, are caught by the name each shard records.
    Properties swapped = new Properties();
    base.forEach((k, v) -> swapped.setProperty(k.toString().replace("shards.s1.", "shards.tmp.")
        .replace("shards.s2.", "shards.s1.").replace("shards.tmp.", "shards.s2."), v.toString()));
    for (Properties p : List.of(renamed, swapped)) {
      SQLException e = catchThrowableOfType(SQLException.class,
          () -> DriverManager.getConnection("jdbc:collegedb:", p).close());
      assertThat((Throwable) e).as("connecting with %s", p).isNotNull();
      assertThat(e.getSQLState()).isEqualTo("HY024");
      assertThat(e.getMessage()).contains("collegedb_shard_identity", "wrong databases");
    }
    // The original configuration still works, and the map is unchanged.
    try (Connection c = Schema.connect(shards)) {
      assertThat(c.unwrap(CollegeConnection.class).shardOf("users", 1000L)).isEqualTo("s2");
    }
    try (Connection d = shards.direct(0)) {
      assertThat(Rows.count(d, "SELECT MAX(version) FROM " + shards.internalTable("collegedb_shard_map")))
          .isEqualTo(1);
    }
  }

  @Test
  void theStoredMapDecidesOverAFreshComputation() throws Exception {
    TestShards shards = TestShards.create(Backend.H2, "it_ShardMapTest_stored", 4);
    Schema.reset(shards);
    // A later map version, as a rebalancing would store it: every range moves to the next shard.
    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i); Statement s = d.createStatement()) {
        s.executeUpdate("INSERT INTO " + shards.internalTable("collegedb_shard_map")
            + " (version, range_start, shard) VALUES (2, "
            + Long.MIN_VALUE + ", 's2'), (2, " + Long.MIN_VALUE / 2 + ", 's3'), (2, 0, 's4'), (2, "
            + (Long.MAX_VALUE / 2 + 1) + ", 's1')");
      }
    }
    try (Connection c = Schema.connect(shards, "planCacheSize", "77")) {
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      for (Map.Entry<Long, String> e : INTEGER_KEYS.entrySet()) {
        int v1 = Integer.parseInt(e.getValue().substring(1));
        assertThat(college.shardOf("users", e.getKey())).isEqualTo("s" + (v1 % 4 + 1));
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO users (id, name) VALUES (7, 'seven')");
      }
      try (Connection d = shards.direct(1)) { // s2: key 7 was on s1 in version 1
        assertThat(Rows.count(d, "SELECT COUNT(*) FROM users WHERE id = 7")).isEqualTo(1);
      }
    }
  }
}
