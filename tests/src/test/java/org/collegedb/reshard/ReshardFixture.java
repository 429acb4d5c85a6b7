package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * Shards for the reshard tests: a set of {@code total} databases of which the configuration starts with the first
 * {@code initial}; tables {@code users} (key id), {@code orders} (key user_id, co-located) and the broadcast table
 * {@code countries}. Every configuration made by {@link #config} names one directory database of the fixture's own, a
 * new SQLite file: a reshard's saved state ({@code collegedb_operations}) left by an earlier run killed mid-reshard
 * over the same server databases is not resumed, and instances with and without a joining shard share the directory.
 */
final class ReshardFixture {
  final TestShards shards;
  /** The fixture's directory database (a test may set its own {@code directory.url} in {@link #config}'s settings). */
  final String directoryUrl;

  ReshardFixture(Backend backend, String name, int total) throws Exception {
    this(backend, name, total, true);
  }

  /** As above; without {@code reference}, no unsharded reference database is made. */
  ReshardFixture(Backend backend, String name, int total, boolean reference) throws Exception {
    this.shards = TestShards.create(backend, name, total, reference);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cdb-dir-" + name);
    this.directoryUrl = "jdbc:sqlite:" + dir.resolve("directory.db") + "?synchronous=OFF"; // no fsync: a test
  }

  /** Five databases, the tables created through the first four as shards, users 1..{@code users} with their orders. */
  static ReshardFixture fourWithUsers(Backend backend, String name, long users) throws Exception {
    ReshardFixture f = new ReshardFixture(backend, name, 5);
    try (Connection four = connect(f.config(names(1, 4)))) {
      f.createTables(four);
      insertUsers(four, 1, users);
    }
    return f;
  }

  /**
   * The reshard tests' grace: twice {@link FastMapChecks#CHECK_MILLIS} plus a margin, as the production default is
   * twice the production check interval plus a margin. Only for classes extended with {@link FastMapChecks}.
   */
  static final long GRACE_MILLIS = 2 * FastMapChecks.CHECK_MILLIS + 200;

  /** Reshard options with {@link #GRACE_MILLIS}. */
  static Reshard.Options options() {
    return Reshard.Options.defaults().graceMillis(GRACE_MILLIS);
  }

  /** Properties with the shards named (s1..), extra settings as key/value pairs. */
  Properties config(List<String> names, String... settings) {
    Properties all = shards.properties();
    Properties p = new Properties();
    for (String n : names) {
      for (String field : new String[] {"url", "user"}) {
        String v = all.getProperty("shards." + n + "." + field);
        if (v != null) {
          p.setProperty("shards." + n + "." + field, v);
        }
      }
    }
    p.setProperty("tables.users.key", "id");
    p.setProperty("tables.orders.key", "user_id");
    p.setProperty("tables.countries.broadcast", "true");
    p.setProperty("directory.url", directoryUrl);
    for (int i = 0; i + 1 < settings.length; i += 2) {
      p.setProperty(settings[i], settings[i + 1]);
    }
    return p;
  }

  static List<String> names(int from, int to) {
    List<String> n = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      n.add("s" + i);
    }
    return n;
  }

  static Connection connect(Properties p) throws SQLException {
    return DriverManager.getConnection("jdbc:collegedb:", p);
  }

  void createTables(Connection c) throws SQLException {
    String amount = shards.backend() == Backend.SQLITE ? "INTEGER" : "BIGINT";
    exec(c, "CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(50))",
        "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL, amount " + amount + ")",
        "CREATE TABLE countries (code VARCHAR(2) NOT NULL PRIMARY KEY, name VARCHAR(50))",
        "INSERT INTO countries (code, name) VALUES ('fr', 'France'), ('de', 'Germany'), ('it', 'Italy')");
  }

  static void insertUsers(Connection c, long from, long to) throws SQLException {
    List<Long> ids = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      ids.add(id);
    }
    insertUsers(c, ids);
  }

  /** Users with {@code ids}, each with one order (id * 10), in one transaction. */
  static void insertUsers(Connection c, java.util.Collection<Long> ids) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement u = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)");
         PreparedStatement o = c.prepareStatement("INSERT INTO orders (id, user_id, amount) VALUES (?, ?, ?)")) {
      for (long id : ids) {
        u.setLong(1, id);
        u.setString(2, "u" + id);
        u.executeUpdate();
        o.setLong(1, id * 10);
        o.setLong(2, id);
        o.setLong(3, id % 97);
        o.executeUpdate();
      }
      c.commit();
    } finally {
      c.setAutoCommit(true);
    }
  }

  static void exec(Connection c, String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  /**
   * A reshard's progress listener that writes while one step runs: after each batch of the first step whose name
   * starts with {@code prefix} it inserts users {@code next} to {@code next + count - 1} (keys above every shard's
   * last key); more than {@code most} batches of such steps fail with "does not end".
   */
  static final class InsertsDuring implements Reshard.Progress {
    private final String prefix;
    private final int most;
    private final int count;
    private final Connection writer;
    private final SqlConsumer insert;
    private String first;
    int batches;
    long next;

    /** How the listener inserts users {@code from} to {@code to} through {@code writer}. */
    @FunctionalInterface
    interface SqlConsumer {
      void insert(Connection writer, long from, long to) throws SQLException;
    }

    InsertsDuring(String prefix, int most, Connection writer, long next, int count, SqlConsumer insert) {
      this.prefix = prefix;
      this.most = most;
      this.writer = writer;
      this.next = next;
      this.count = count;
      this.insert = insert;
    }

    @Override
    public void on(String step, long done, long total) {
      if (!step.startsWith(prefix)) {
        return;
      }
      if (++batches > most) {
        throw new IllegalStateException("the step does not end: " + step);
      }
      if (first == null) {
        first = step;
      }
      if (!step.equals(first)) {
        return;
      }
      try {
        insert.insert(writer, next, next + count - 1);
        next += count;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Adds s5 (a reshard through a five-shard instance, no grace) and returns the users' ids per shard after it. */
  Map<Integer, List<Long>> addFifth() throws SQLException {
    try (Connection admin = connect(config(names(1, 5)))) {
      Reshard.Result r = CollegeAdmin.of(admin).reshard(Reshard.Options.defaults().graceMillis(0), null);
      assertThat(r.state()).isEqualTo("done");
    }
    return idsPerShard("users", 5);
  }

  /** CollegeDB's plan of {@code sql} ({@code EXPLAIN COLLEGEDB}), as text. */
  static String plan(Connection c, String sql) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN COLLEGEDB " + sql)) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }

  /** Per shard index (0-based), the ids of {@code table} read directly from the shard. */
  Map<Integer, List<Long>> idsPerShard(String table, int count) throws SQLException {
    Map<Integer, List<Long>> out = new HashMap<>();
    for (int i = 0; i < count; i++) {
      List<Long> ids = new ArrayList<>();
      try (Connection d = shards.direct(i); Statement s = d.createStatement()) {
        boolean exists = true;
        try (ResultSet rs = s.executeQuery("SELECT id FROM " + table)) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        } catch (SQLException e) {
          exists = false;
        }
        if (!exists) {
          ids.clear();
        }
      }
      out.put(i, ids);
    }
    return out;
  }

  /** Asserts every id in {@code expected} is on exactly one shard, and no other id is anywhere. */
  void assertExactlyOnce(String table, int count, java.util.Set<Long> expected) throws SQLException {
    Map<Long, Integer> seen = new HashMap<>();
    for (List<Long> ids : idsPerShard(table, count).values()) {
      for (Long id : ids) {
        seen.merge(id, 1, Integer::sum);
      }
    }
    // differences as sets (containsExactlyInAnyOrder is quadratic: minutes for the writers' 100,000s of H2 rows)
    java.util.Set<Long> missing = new java.util.TreeSet<>(expected);
    missing.removeAll(seen.keySet());
    java.util.Set<Long> extra = new java.util.TreeSet<>(seen.keySet());
    extra.removeAll(expected);
    assertThat(missing).as(table + " ids on no shard").isEmpty();
    assertThat(extra).as(table + " ids nobody wrote").isEmpty();
    assertThat(seen.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList())
        .as(table + " ids on more than one shard").isEmpty();
  }

  /**
   * After writers ran during a reshard: users 1..{@code users} and every user the writers inserted, each with its
   * order (id * 10), are on exactly one of the first {@code count} shards (an order insert could fail only if its user
   * insert did, and none failed), orders sit with their users, and {@code verify} finds nothing.
   */
  void assertWritesKept(java.util.Collection<Long> inserted, int users, int count, java.sql.Connection admin)
      throws SQLException {
    java.util.Set<Long> expected = new java.util.TreeSet<>(inserted);
    for (long id = 1; id <= users; id++) {
      expected.add(id);
    }
    assertExactlyOnce("users", count, expected);
    java.util.Set<Long> orders = new java.util.TreeSet<>();
    for (Long id : expected) {
      orders.add(id * 10);
    }
    assertExactlyOnce("orders", count, orders);
    assertColocated(count);
    assertVerified(admin);
  }

  /** Asserts every order is on the shard of its user. */
  void assertColocated(int count) throws SQLException {
    for (int i = 0; i < count; i++) {
      try (Connection d = shards.direct(i); Statement s = d.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id "
            + "WHERE u.id IS NULL")) {
          rs.next();
          assertThat(rs.getLong(1)).as("orders without their user on shard s" + (i + 1)).isZero();
        } catch (SQLException e) {
          // a shard that never had the tables
        }
      }
    }
  }

  static void assertVerified(Connection c) throws SQLException {
    var report = CollegeAdmin.of(c).verify();
    assertThat(report.problems()).isEmpty();
  }

  long mapVersion(int shard) throws SQLException {
    try (Connection d = shards.direct(shard); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + shards.internalTable("collegedb_shard_map"))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
