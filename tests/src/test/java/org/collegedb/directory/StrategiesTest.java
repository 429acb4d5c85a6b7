package org.collegedb.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.ShardChooser;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.api.Test;

class StrategiesTest {
  /** Puts every new key on the last eligible shard. */
  public static final class LastShard implements ShardChooser {
    @Override
    public String choose(String table, List<Object> key, List<String> eligible) {
      return eligible.get(eligible.size() - 1);
    }
  }

  private TestShards shards;
  private String directory;

  private Connection open(String... settings) throws Exception {
    List<String> all = new ArrayList<>(List.of("directory.url", directory, "tables.orders.key", "user_id"));
    all.addAll(List.of(settings));
    return shards.connect(all.toArray(String[]::new));
  }

  private void setUp(TestShards.Backend backend) throws Exception {
    shards = TestShards.create(backend, "StrategiesTest", 3);
    directory = "jdbc:sqlite:" + Files.createTempDirectory("cdb-st").resolve("dir.db");
  }

  private void schema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(50))");
      s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT, item VARCHAR(50))");
    }
  }

  private static void insertUser(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, "u" + id);
      ps.executeUpdate();
    }
  }

  private static void insertOrder(Connection c, long id, long user) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, user_id, item) VALUES (?, ?, 'x')")) {
      ps.setLong(1, id);
      ps.setLong(2, user);
      ps.executeUpdate();
    }
  }

  /** The shard (name) that physically holds the row of {@code table} with this id, or null. */
  private String where(String table, String column, long id) throws SQLException {
    String found = null;
    for (int s = 0; s < shards.count(); s++) {
      try (Connection d = shards.direct(s); Statement st = d.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = " + id)) {
        rs.next();
        if (rs.getInt(1) > 0) {
          assertThat(found).as("row %s of %s on one shard only", id, table).isNull();
          found = shards.names().get(s);
        }
      }
    }
    return found;
  }

  private long placements() throws SQLException {
    try (Connection d = DriverManager.getConnection(directory); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM collegedb_dir_placement")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String readName(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static List<String> lastShards(Connection c) throws SQLException {
    return c.unwrap(CollegeConnection.class).lastExecution().shards();
  }

  @Test
  void roundRobinIsGlobalAcrossInstancesAndChildrenFollowTheirParent() throws Exception {
    setUp(TestShards.Backend.SQLITE);
    try (Connection a = open("strategy", "round-robin"); Connection b = open("strategy", "round-robin",
        "fanoutThreads", "1")) {
      schema(a);
      for (long id = 1; id <= 9; id++) {
        insertUser(id % 2 == 0 ? a : b, id);
      }
      int[] perShard = new int[3];
      for (long id = 1; id <= 9; id++) {
        perShard[shards.names().indexOf(where("users", "id", id))]++;
        assertThat(readName(id % 2 == 0 ? b : a, id)).isEqualTo("u" + id);
      }
      assertThat(perShard).containsExactly(3, 3, 3);
      assertThat(placements()).isEqualTo(9);
      for (long id = 1; id <= 9; id++) {
        insertOrder(a, 100 + id, id);
        assertThat(where("orders", "user_id", id)).isEqualTo(where("users", "id", id));
      }
      try (PreparedStatement ps = a.prepareStatement("SELECT COUNT(*) FROM users u JOIN orders o ON o.user_id = u.id "
          + "WHERE u.id = ?")) {
        ps.setLong(1, 4);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      }
      assertThat(readName(a, 12345)).isNull(); // never placed: nothing created
      assertThat(a.createStatement().executeUpdate("UPDATE users SET name = 'zz' WHERE id = 777")).isZero();
      assertThat(placements()).isEqualTo(9);
      assertThat(a.createStatement().executeUpdate("UPDATE users SET name = 'new' WHERE id = 5")).isEqualTo(1);
      assertThat(readName(b, 5)).isEqualTo("new");
      assertThat(lastShards(b)).containsExactly(where("users", "id", 5));
      assertThat(a.createStatement().executeUpdate("DELETE FROM users WHERE id IN (1, 2, 3)")).isEqualTo(3);
      assertThat(where("users", "id", 2)).isNull();
    }
  }

  @Test
  void randomPlacesAndRecordsEveryKey() throws Exception {
    setUp(TestShards.Backend.H2);
    try (Connection c = open("strategy", "random")) {
      schema(c);
      for (long id = 1; id <= 40; id++) {
        insertUser(c, id);
      }
      assertThat(placements()).isEqualTo(40);
      java.util.Set<String> used = new java.util.HashSet<>();
      for (long id = 1; id <= 40; id++) {
        assertThat(readName(c, id)).isEqualTo("u" + id);
        assertThat(lastShards(c)).containsExactly(where("users", "id", id));
        used.add(where("users", "id", id));
      }
      assertThat(used).hasSize(3);
    }
  }

  @Test
  void locationPrefersTheTargetRegionThenPriority() throws Exception {
    setUp(TestShards.Backend.SQLITE);
    String[] regions = {"shards.s1.region", "weur", "shards.s2.region", "wnam", "shards.s2.priority", "1",
        "shards.s3.region", "wnam", "shards.s3.priority", "5"};
    List<String> west = new ArrayList<>(List.of(regions));
    west.addAll(List.of("strategy", "location", "targetRegion", "wnam"));
    try (Connection c = open(west.toArray(String[]::new))) {
      schema(c);
      for (long id = 1; id <= 6; id++) {
        insertUser(c, id);
        assertThat(where("users", "id", id)).isEqualTo("s3");
      }
    }
    List<String> europe = new ArrayList<>(List.of(regions));
    europe.addAll(List.of("strategy", "location"));
    java.util.Properties p = shards.properties();
    for (int i = 0; i + 1 < europe.size(); i += 2) {
      p.setProperty(europe.get(i), europe.get(i + 1));
    }
    p.setProperty("directory.url", directory);
    p.setProperty("targetRegion", "weur"); // as a connection property
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", p)) {
      for (long id = 7; id <= 9; id++) {
        insertUser(c, id);
        assertThat(where("users", "id", id)).isEqualTo("s1");
      }
      assertThat(readName(c, 2)).isEqualTo("u2"); // placed before: stays on s3
      assertThat(lastShards(c)).containsExactly("s3");
    }
  }

  @Test
  void mixedPlacesByTheWriteStrategyAndReadsUnplacedKeysAsTold() throws Exception {
    setUp(TestShards.Backend.SQLITE);
    try (Connection all = open("strategy", "mixed", "strategy.write", "round-robin", "strategy.read", "all");
         Connection hash = open("strategy", "mixed", "strategy.write", "round-robin", "strategy.read", "hash")) {
      schema(all);
      for (long id = 1; id <= 6; id++) {
        insertUser(all, id);
      }
      assertThat(placements()).isEqualTo(6);
      assertThat(readName(all, 999)).isNull();
      assertThat(lastShards(all)).hasSize(3);
      assertThat(readName(hash, 999)).isNull();
      assertThat(lastShards(hash)).hasSize(1);
      for (long id = 1; id <= 6; id++) {
        assertThat(readName(hash, id)).isEqualTo("u" + id);
        assertThat(lastShards(hash)).containsExactly(where("users", "id", id));
      }
      assertThat(placements()).isEqualTo(6);
    }
  }

  @Test
  void rangesPlaceByTheKeysValue() throws Exception {
    setUp(TestShards.Backend.SQLITE);
    try (Connection c = open("strategy", "range", "tables.users.ranges", "0-99:s3,100-199:s1,200-299:s2")) {
      schema(c);
      insertUser(c, 5);
      insertUser(c, 150);
      insertUser(c, 299);
      assertThat(where("users", "id", 5)).isEqualTo("s3");
      assertThat(where("users", "id", 150)).isEqualTo("s1");
      assertThat(where("users", "id", 299)).isEqualTo("s2");
      insertOrder(c, 1, 150); // orders has no ranges: it follows the key's placement
      assertThat(where("orders", "user_id", 150)).isEqualTo("s1");
      assertThatThrownBy(() -> insertUser(c, 300)).isInstanceOf(SQLException.class)
          .hasMessageContaining("no range").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22003");
      assertThat(where("users", "id", 300)).isNull();
    }
  }

  @Test
  void aCustomChooserDecides() throws Exception {
    setUp(TestShards.Backend.SQLITE);
    try (Connection c = open("strategy", "custom", "strategy.class", LastShard.class.getName())) {
      schema(c);
      for (long id = 1; id <= 5; id++) {
        insertUser(c, id);
        assertThat(where("users", "id", id)).isEqualTo("s3");
        assertThat(readName(c, id)).isEqualTo("u" + id);
      }
    }
  }

  private long size(int shard) throws SQLException {
    try (Connection d = shards.direct(shard); Statement s = d.createStatement()) {
      if (shards.backend() == TestShards.Backend.POSTGRES) {
        try (ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
          rs.next();
          return rs.getLong(1);
        }
      }
      long pages;
      try (ResultSet rs = s.executeQuery("PRAGMA page_count")) {
        rs.next();
        pages = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        rs.next();
        return pages * rs.getLong(1);
      }
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(value = TestShards.Backend.class, names = {"SQLITE", "POSTGRES"})
  void fullShardsGetNoNewKeysEvenUnderHash(TestShards.Backend backend) throws Exception {
    setUp(backend);
    long margin;
    try (Connection d = shards.direct(0); Statement s = d.createStatement()) {
      if (backend == TestShards.Backend.POSTGRES) {
        s.execute("CREATE TABLE ballast AS SELECT g, md5(g::text) AS h FROM generate_series(1, 80000) g");
        margin = 2_000_000;
      } else {
        s.execute("CREATE TABLE ballast (b BLOB)");
        s.execute("INSERT INTO ballast VALUES (zeroblob(400000))");
        margin = 100_000;
      }
    }
    long limit = Math.max(size(1), size(2)) + margin;
    assertThat(size(0)).isGreaterThan(limit);
    try (Connection c = open("maxShardSize", Long.toString(limit));
         Connection plain = open("fanoutThreads", "3")) { // no placements: shardOf is the hash owner
      schema(c);
      List<Long> spilled = new ArrayList<>();
      for (long id = 1; id <= 30; id++) {
        insertUser(c, id);
        assertThat(where("users", "id", id)).isNotEqualTo("s1");
        if (plain.unwrap(CollegeConnection.class).shardOf("users", id).equals("s1")) {
          spilled.add(id);
        }
      }
      assertThat(spilled).isNotEmpty();
      assertThat(placements()).isEqualTo(spilled.size()); // only keys moved off the full shard are recorded
      assertThat(c.unwrap(CollegeConnection.class).shardOf("users", spilled.get(0)))
          .isEqualTo(where("users", "id", spilled.get(0)));
      for (long id = 1; id <= 30; id++) {
        assertThat(readName(c, id)).isEqualTo("u" + id);
        assertThat(lastShards(c)).containsExactly(where("users", "id", id));
      }
    }
    try (Connection c = open("maxShardSize", "1", "fanoutThreads", "2")) { // every shard full: all stay eligible
      insertUser(c, 1000);
      assertThat(where("users", "id", 1000)).isNotNull();
      assertThat(readName(c, 1000)).isEqualTo("u1000");
    }
  }
}
