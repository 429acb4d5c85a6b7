package org.collegedb.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.collegedb.fixtures.AllBackends;
import org.collegedb.fixtures.Rows;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.CountingDriver;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * Which shards a statement reaches, seen by {@link CountingDriver} under CollegeDB (independently of CollegeDB's own
 * report, which is checked too): single-key statements reach one shard, IN and OR on keys reach only the owners with
 * each IN list pruned to the shard's keys, everything else reaches every shard once.
 */
class RoutingTest {
  private static final Pattern IN_LIST = Pattern.compile("IN \\(([^)]*)\\)", Pattern.CASE_INSENSITIVE);

  private TestShards shards;
  private Connection c;
  private CollegeConnection college;

  /** Shards with users 1..40 (two orders each) and three countries, and a CollegeDB connection through counters. */
  private void open(Backend backend) throws Exception {
    TestShards plain = ShardSets.of(backend, RoutingTest.class);
    Schema.reset(plain);
    shards = plain.counting();
    c = Schema.connect(shards);
    college = c.unwrap(CollegeConnection.class);
    try (Statement s = c.createStatement()) {
      StringBuilder users = new StringBuilder("INSERT INTO users (id, name, age) VALUES ");
      StringBuilder orders = new StringBuilder("INSERT INTO orders (id, user_id, amount, status) VALUES ");
      for (int id = 1; id <= 40; id++) {
        users.append(id == 1 ? "" : ", ").append("(" + id + ", 'u" + id + "', " + (id % 30) + ")");
        orders.append(id == 1 ? "" : ", ").append("(" + (2 * id) + ", " + id + ", 5, 'open'), (" + (2 * id + 1)
            + ", " + id + ", 7, 'paid')");
      }
      s.executeUpdate(users.toString());
      s.executeUpdate(orders.toString());
      s.executeUpdate("INSERT INTO countries (code, name) VALUES ('de', 'Germany'), ('fr', 'France'), "
          + "('it', 'Italy')");
    }
  }

  private void close() throws SQLException {
    c.close();
  }

  @FunctionalInterface
  private interface Work {
    void run() throws SQLException;
  }

  /** The texts each shard (by name) executed while {@code work} ran; shards that executed nothing are absent. */
  private Map<String, List<String>> reach(Work work) throws SQLException {
    CountingDriver.reset();
    work.run();
    Map<String, List<String>> out = new TreeMap<>();
    for (int i = 0; i < shards.count(); i++) {
      List<String> texts = new java.util.ArrayList<>(CountingDriver.executed(shards.url(i)));
      texts.removeIf(t -> t.contains("collegedb_shard_motion")); // the once-a-second map check, not the statement's
      // SQLite/MariaDB/H2: a write that changed no row reads the shard's map version (run.EmptyWriteCheck; on H2 in
      // the schema collegedb_internal)
      texts.removeIf(t -> t.startsWith("SELECT version FROM ") && t.contains("collegedb_map_version"));
      if (!texts.isEmpty()) {
        out.put(shards.names().get(i), texts);
      }
    }
    return out;
  }

  /** Checks that exactly {@code expected} shards ran exactly one statement each, as CollegeDB also reports. */
  private void assertReached(Map<String, List<String>> reached, Set<String> expected) {
    assertThat(reached.keySet()).isEqualTo(new TreeSet<>(expected));
    assertThat(reached.values()).allSatisfy(texts -> assertThat(texts).hasSize(1));
    assertThat(new TreeSet<>(college.lastExecution().shards())).isEqualTo(new TreeSet<>(expected));
  }

  private Set<String> owners(long... ids) throws SQLException {
    Set<String> owners = new TreeSet<>();
    for (long id : ids) {
      owners.add(college.shardOf("users", id));
    }
    return owners;
  }

  private Set<String> all() {
    return new TreeSet<>(shards.names());
  }

  @AllBackends
  void singleKeyStatementsReachOnlyTheOwner(Backend backend) throws Exception {
    open(backend);
    try {
      long[] rows = new long[1];
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM users WHERE id = ?")) {
        ps.setLong(1, 17);
        assertReached(reach(() -> rows[0] = Rows.read(ps.executeQuery()).size()), owners(17));
        assertThat(rows[0]).isEqualTo(1);
      }
      try (Statement s = c.createStatement()) {
        assertReached(reach(() -> rows[0] = Rows.read(s.executeQuery("SELECT * FROM users WHERE id = 23")).size()),
            owners(23));
        assertThat(rows[0]).isEqualTo(1);
        assertReached(reach(() -> rows[0] = s.executeUpdate("INSERT INTO users (id, name) VALUES (41, 'new')")),
            owners(41));
        assertThat(rows[0]).isEqualTo(1);
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
        ps.setString(1, "renamed");
        ps.setLong(2, 5);
        assertReached(reach(() -> rows[0] = ps.executeUpdate()), owners(5));
        assertThat(rows[0]).isEqualTo(1);
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
        ps.setInt(1, 6);
        assertReached(reach(() -> rows[0] = ps.executeUpdate()), owners(6));
        assertThat(rows[0]).isEqualTo(1);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name, age) VALUES (?, ?, ?)")) {
        ps.setLong(1, 42);
        ps.setString(2, "x");
        ps.setInt(3, 1);
        assertReached(reach(() -> rows[0] = ps.executeUpdate()), owners(42));
        assertThat(rows[0]).isEqualTo(1);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id "
          + "WHERE u.id = ?")) {
        ps.setLong(1, 9);
        assertReached(reach(() -> rows[0] = Rows.read(ps.executeQuery()).size()), owners(9));
        assertThat(rows[0]).isEqualTo(2);
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET status = 'gone' WHERE user_id = ?")) {
        ps.setLong(1, 11);
        assertReached(reach(() -> rows[0] = ps.executeUpdate()), owners(11));
        assertThat(rows[0]).isEqualTo(2);
      }
    } finally {
      close();
    }
  }

  @AllBackends
  void spellingsOfOneKeyReachOneShard(Backend backend) throws Exception {
    open(backend);
    try (Statement s = c.createStatement()) {
      for (String where : List.of("7 = id", "(id = 7)", "id = 7 AND age > 1", "users.id = 7", "age >= 0 AND (id = 7)",
          "id IN (7)", "id = 7 OR id = 7", "id IN (7, 7) AND name LIKE 'u%'")) {
        String sql = "SELECT id FROM users WHERE " + where;
        Map<String, List<String>> reached = reach(() -> assertThat(Rows.read(s.executeQuery(sql))).hasSize(1));
        assertThat(reached.keySet()).as(sql).isEqualTo(owners(7));
      }
      Map<String, List<String>> reached = reach(() -> assertThat(Rows.read(
          s.executeQuery("SELECT u.name FROM users u WHERE u.id = 7"))).hasSize(1));
      assertThat(reached.keySet()).isEqualTo(owners(7));
      // Quoted and upper-case names are the same table and key (H2 folds unquoted names to upper case).
      String id = backend == Backend.H2 ? "\"ID\"" : "\"id\"";
      String users = backend == Backend.H2 ? "\"USERS\"" : "\"users\"";
      for (String sql : List.of("SELECT ID FROM USERS WHERE ID = 7", "SELECT name FROM users WHERE " + id + " = 7",
          "SELECT name FROM " + users + " WHERE id = 7", "SELECT name FROM " + users + " u WHERE u." + id + " = 7")) {
        reached = reach(() -> assertThat(Rows.read(s.executeQuery(sql))).hasSize(1));
        assertThat(reached.keySet()).as(sql).isEqualTo(owners(7));
      }
      for (String sql : List.of("INSERT INTO USERS (ID, NAME) VALUES (300, 'x')",
          "INSERT INTO " + users + " (" + id + ", name) VALUES (301, 'y')",
          "UPDATE " + users + " SET name = 'z' WHERE " + id + " = 301", "DELETE FROM USERS WHERE ID = 300")) {
        reached = reach(() -> assertThat(s.executeUpdate(sql)).isEqualTo(1));
        assertThat(reached.keySet()).as(sql).isEqualTo(owners(sql.contains("300") ? 300 : 301));
      }
    } finally {
      close();
    }
  }

  @AllBackends
  void aMultiRowInsertRunsOneStatementPerOwnerWithItsRows(Backend backend) throws Exception {
    open(backend);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, 'a'), (?, 'b'), "
        + "(?, 'c'), (?, 'd'), (?, 'e'), (?, 'f')")) {
      long[] ids = {101, 102, 103, 104, 105, 106};
      for (int i = 0; i < ids.length; i++) {
        ps.setLong(i + 1, ids[i]);
      }
      int[] count = new int[1];
      Map<String, List<String>> reached = reach(() -> count[0] = ps.executeUpdate());
      assertReached(reached, owners(ids));
      assertThat(count[0]).isEqualTo(6);
      Map<String, Set<Long>> expected = byOwner(ids);
      reached.forEach((shard, texts) -> assertThat(texts.get(0).split("\\?", -1)).as(texts.get(0))
          .hasSize(expected.get(shard).size() + 1));
      for (long id : ids) {
        try (Connection d = shards.direct(shards.names().indexOf(college.shardOf("users", id)))) {
          assertThat(Rows.count(d, "SELECT COUNT(*) FROM users WHERE id = " + id)).isEqualTo(1);
        }
      }
    } finally {
      close();
    }
  }

  @AllBackends
  void aBatchRunsAsOneBatchPerOwner(Backend backend) throws Exception {
    open(backend);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
      long[] ids = new long[12];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 200 + i;
        ps.setLong(1, ids[i]);
        ps.setString(2, "b" + i);
        ps.addBatch();
      }
      int[][] counts = new int[1][];
      Map<String, List<String>> reached = reach(() -> counts[0] = ps.executeBatch());
      assertReached(reached, owners(ids));
      assertThat(reached.values()).allSatisfy(texts -> assertThat(texts.get(0)).startsWith("BATCH INSERT"));
      assertThat(counts[0]).hasSize(12).containsOnly(1);
      assertThat(college.lastExecution().shardSql()).hasSameSizeAs(college.lastExecution().shards())
          .containsOnly("INSERT INTO users (id, name) VALUES (?, ?)");
    } finally {
      close();
    }
  }

  /** The keys in the IN list of each text a shard ran. */
  private static Map<String, Set<Long>> inLists(Map<String, List<String>> reached) {
    Map<String, Set<Long>> out = new TreeMap<>();
    reached.forEach((shard, texts) -> {
      Matcher m = IN_LIST.matcher(texts.get(0));
      assertThat(m.find()).as("IN list in %s", texts.get(0)).isTrue();
      Set<Long> keys = new TreeSet<>();
      for (String k : m.group(1).split(",")) {
        keys.add(Long.parseLong(k.trim()));
      }
      out.put(shard, keys);
    });
    return out;
  }

  private Map<String, Set<Long>> byOwner(long... ids) throws SQLException {
    Map<String, Set<Long>> out = new TreeMap<>();
    for (long id : ids) {
      out.computeIfAbsent(college.shardOf("users", id), k -> new TreeSet<>()).add(id);
    }
    return out;
  }

  @AllBackends
  void inAndOrOnKeysReachOnlyTheOwnersWithPrunedLists(Backend backend) throws Exception {
    open(backend);
    try {
      long[] keys = {1, 2, 3, 4, 5, 7, 8, 13};
      assertThat(owners(keys)).as("the keys span shards").hasSizeGreaterThan(2);
      String list = Arrays.toString(keys).replace("[", "(").replace("]", ")");
      List<List<Object>> rows = new ArrayList<>();
      try (Statement s = c.createStatement()) {
        Map<String, List<String>> reached = reach(() -> rows.addAll(
            Rows.read(s.executeQuery("SELECT id FROM users WHERE id IN " + list))));
        assertReached(reached, owners(keys));
        assertThat(inLists(reached)).isEqualTo(byOwner(keys));
        assertThat(rows).hasSize(keys.length);
        int[] count = new int[1];
        reached = reach(() -> count[0] = s.executeUpdate("UPDATE users SET age = 99 WHERE id IN " + list));
        assertReached(reached, owners(keys));
        assertThat(inLists(reached)).isEqualTo(byOwner(keys));
        assertThat(count[0]).isEqualTo(keys.length);

        reached = reach(() -> rows.addAll(Rows.read(s.executeQuery("SELECT id FROM users WHERE id = 3 OR id = 29"))));
        assertReached(reached, owners(3, 29));
        reached = reach(() -> count[0] = s.executeUpdate("DELETE FROM orders WHERE user_id = 3 OR user_id = 29"));
        assertReached(reached, owners(3, 29));
        assertThat(count[0]).isEqualTo(4);
      }
      // Parameters: each shard gets as many placeholders as it has keys, bound to its own keys.
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name <> ? AND id IN (?, ?, ?, ?, ?)")) {
        long[] five = {2, 4, 8, 16, 32};
        ps.setString(1, "nobody");
        for (int i = 0; i < five.length; i++) {
          ps.setLong(i + 2, five[i]);
        }
        rows.clear();
        Map<String, List<String>> reached = reach(() -> rows.addAll(Rows.read(ps.executeQuery())));
        assertReached(reached, owners(five));
        Map<String, Set<Long>> expected = byOwner(five);
        reached.forEach((shard, texts) -> {
          Matcher m = IN_LIST.matcher(texts.get(0));
          assertThat(m.find()).isTrue();
          assertThat(m.group(1).split(",")).hasSize(expected.get(shard).size());
        });
        assertThat(Rows.sorted(rows)).extracting(r -> ((Number) r.get(0)).longValue())
            .containsExactlyInAnyOrder(2L, 4L, 8L, 16L, 32L);
      }
    } finally {
      close();
    }
  }

  @AllBackends
  void everythingElseReachesEveryShardOnce(Backend backend) throws Exception {
    open(backend);
    try (Statement s = c.createStatement()) {
      Map<String, String> statements = new LinkedHashMap<>();
      statements.put("SELECT id FROM users WHERE age > 10", "query");
      statements.put("SELECT id FROM users WHERE id > 5", "query");
      statements.put("SELECT id FROM users WHERE id = 1 OR name = 'u2'", "query");
      statements.put("SELECT u.id, o.amount FROM users u JOIN orders o ON o.user_id = u.id WHERE o.status = 'open'",
          "query");
      statements.put("UPDATE users SET age = age + 1 WHERE name LIKE 'u1%'", "update");
      statements.put("DELETE FROM orders WHERE status = 'nothing'", "update");
      statements.put("UPDATE countries SET name = 'Italia' WHERE code = 'it'", "update");
      statements.put("INSERT INTO countries (code, name) VALUES ('es', 'Spain')", "update");
      for (Map.Entry<String, String> e : statements.entrySet()) {
        Map<String, List<String>> reached = reach(() -> {
          if (e.getValue().equals("query")) {
            Rows.read(s.executeQuery(e.getKey()));
          } else {
            s.executeUpdate(e.getKey());
          }
        });
        assertThat(reached.keySet()).as(e.getKey()).isEqualTo(all());
        assertThat(reached.values()).as(e.getKey()).allSatisfy(texts -> assertThat(texts).containsExactly(e.getKey()));
        assertThat(college.lastExecution().shards()).as(e.getKey()).containsExactlyInAnyOrderElementsOf(all());
      }
      // A read of a broadcast table needs one shard only.
      List<List<Object>> rows = new ArrayList<>();
      Map<String, List<String>> reached = reach(() -> rows.addAll(Rows.read(s.executeQuery("SELECT * FROM countries"))));
      assertThat(reached).hasSize(1);
      assertThat(reached.values()).allSatisfy(texts -> assertThat(texts).hasSize(1));
      assertThat(rows).hasSize(4);
    } finally {
      close();
    }
  }
}
