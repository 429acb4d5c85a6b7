package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.collegedb.SqlStates;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.internal.route.ShardMap;
import org.collegedb.internal.value.KeyHasher;
import org.collegedb.internal.value.KeyType;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Four shards with rows; writers run through instances configured without a drain flag (and one with it, started
 * after the add) while a reshard adds s5 and a second reshard drains a shard (s2, or the s5 just added). Afterwards,
 * read directly from the shards: every row is exactly once on the shard the stored map names, orders with their
 * users. Then every instance, old or new and with each plausible configuration, either answers right (verify finds
 * nothing, queries give every row once) or, when its configuration lacks a shard the stored map gives keys to, fails
 * with HY024 naming it. In particular instances configured with the four first shards that read the map before
 * the add (and were idle since) judge by the stored map, not by the one they read at connect: one runs verify
 * first (verify used to report the rows the drain moved as on the wrong shard), the other queries first.
 */
@ExtendWith(FastMapChecks.class)
class ReshardDrainUnderWritersTest {
  private static final int USERS = 200;

  static List<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    // both drains on SQLite; elsewhere the reported case (the shard just added drains, and a four-shard
    // configuration is right again), to keep the suite's time
    out.add(Arguments.of(Backend.SQLITE, "s2"));
    for (Backend b : new Backend[] {Backend.SQLITE, Backend.H2, Backend.POSTGRES, Backend.MARIADB}) {
      out.add(Arguments.of(b, "s5"));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} drain {1}")
  @MethodSource("cases")
  void addThenDrainUnderWriters(Backend backend, String drained) throws Exception {
    ReshardFixture f = new ReshardFixture(backend, "drain_writers_" + drained, 5, false);
    List<String> four = ReshardFixture.names(1, 4);
    List<String> five = ReshardFixture.names(1, 5);
    // instances of the first four shards, started before anything changed; they stay idle to the end
    Connection stale = ReshardFixture.connect(f.config(four, "planCacheSize", "31"));
    Connection staleQueries = ReshardFixture.connect(f.config(four, "planCacheSize", "30"));
    try (stale; staleQueries) {
      f.createTables(stale);
      ReshardFixture.insertUsers(stale, 1, USERS);
      Set<Long> expected;
      // the instances that run the reshards: five shards, then five with the drain flag
      Connection adder = ReshardFixture.connect(f.config(five, "planCacheSize", "32"));
      Connection drainer = ReshardFixture.connect(f.config(five, "planCacheSize", "33",
          "shards." + drained + ".drain", "true"));
      try (adder; drainer; Writers writers = new Writers(5)) {
        writers.start(f.config(five, "planCacheSize", "34"), 1_000_000, USERS);
        writers.start(f.config(five, "planCacheSize", "35"), 2_000_000, USERS);
        Thread.sleep(200);
        assertThat(CollegeAdmin.of(adder).reshard(ReshardFixture.options().batchSize(40), null).state())
            .isEqualTo("done");
        // after the add, an instance configured with the drain flag writes too
        writers.start(f.config(five, "planCacheSize", "36", "shards." + drained + ".drain", "true"), 3_000_000,
            USERS);
        Thread.sleep(200);
        Reshard.Result r = CollegeAdmin.of(drainer).reshard(ReshardFixture.options().batchSize(40), null);
        assertThat(r.state()).isEqualTo("done");
        assertThat(r.plan().drained()).containsExactly(drained);
        Thread.sleep(200);
        writers.close();
        assertThat(writers.failures).as("failed writes: %s", writers.failures).isEmpty();
        assertThat(writers.inserted).hasSizeGreaterThan(10);
        expected = new TreeSet<>(writers.inserted);
        for (long id = 1; id <= USERS; id++) {
          expected.add(id);
        }

        // on the shards themselves: one stored map, every row exactly once where it names
        ShardMap stored = storedMap(f);
        assertThat(stored.owners()).doesNotContain(drained).hasSize(4);
        assertOnOwners(f, stored, expected);

        Set<String> owners = new TreeSet<>(stored.owners());
        // the instances that ran the reshards
        assertRightOrRefused("the instance that drained", drainer, false, five, owners, stored, expected);
        assertRightOrRefused("the instance that added s5", adder, false, five, owners, stored, expected);
        // the instances that read the map before the add, idle since
        assertRightOrRefused("stale four-shard instance, verify first", stale, false, four, owners, stored,
            expected);
        assertRightOrRefused("stale four-shard instance, queries first", staleQueries, true, four, owners, stored,
            expected);
        assertFreshInstances(f, drained, owners, stored, expected);
      }
    }
  }

  /** New instances, each plausible configuration, answer right or fail with HY024 naming the shard to add. */
  private static void assertFreshInstances(ReshardFixture f, String drained, Set<String> owners, ShardMap stored,
      Set<Long> expected) throws SQLException {
    List<String> four = ReshardFixture.names(1, 4);
    List<String> five = ReshardFixture.names(1, 5);
    List<String> withoutDrained = new ArrayList<>(five);
    withoutDrained.remove(drained);
    Map<String, Properties> fresh = new TreeMap<>();
    fresh.put("a five-shard configuration with the drain flag",
        f.config(five, "planCacheSize", "41", "shards." + drained + ".drain", "true"));
    fresh.put("a five-shard configuration without the drain flag", f.config(five, "planCacheSize", "42"));
    fresh.put("a four-shard configuration without the drained shard", f.config(withoutDrained, "planCacheSize",
        "43"));
    fresh.put("the first four shards", f.config(four, "planCacheSize", "44"));
    for (Map.Entry<String, Properties> e : fresh.entrySet()) {
      List<String> configured = configured(e.getValue());
      Connection c;
      try {
        c = ReshardFixture.connect(e.getValue());
      } catch (SQLException refused) {
        assertRefused(e.getKey(), refused, configured, owners);
        continue;
      }
      try (c) {
        assertRightOrRefused(e.getKey(), c, false, configured, owners, stored, expected);
      }
    }
  }

  /** The newest shard map, read directly from every shard: all hold the same one. */
  private static ShardMap storedMap(ReshardFixture f) throws SQLException {
    ShardMap first = null;
    for (int i = 0; i < 5; i++) {
      Map<Long, String> ranges = new TreeMap<>();
      long version = -1;
      String table = f.shards.internalTable("collegedb_shard_map");
      try (Connection d = f.shards.direct(i); Statement s = d.createStatement();
           ResultSet rs = s.executeQuery("SELECT version, range_start, shard FROM " + table
               + " WHERE version = (SELECT MAX(version) FROM " + table + ")")) {
        while (rs.next()) {
          version = rs.getLong(1);
          ranges.put(rs.getLong(2), rs.getString(3));
        }
      }
      ShardMap m = ShardMap.of(version, ranges);
      assertThat(m.version()).as("map version on s%d", i + 1).isEqualTo(3);
      if (first == null) {
        first = m;
      } else {
        assertThat(m.ranges()).as("map on s%d", i + 1).isEqualTo(first.ranges());
      }
    }
    return first;
  }

  /** Read directly: every user once, on its hash owner under {@code map}; every order on its user's shard. */
  private static void assertOnOwners(ReshardFixture f, ShardMap map, Set<Long> expected) throws SQLException {
    f.assertExactlyOnce("users", 5, expected);
    Set<Long> orders = new TreeSet<>();
    for (Long id : expected) {
      orders.add(id * 10);
    }
    f.assertExactlyOnce("orders", 5, orders);
    for (int i = 0; i < 5; i++) {
      String shard = "s" + (i + 1);
      try (Connection d = f.shards.direct(i); Statement s = d.createStatement()) {
        for (String q : new String[] {"SELECT id FROM users", "SELECT user_id FROM orders"}) {
          try (ResultSet rs = s.executeQuery(q)) {
            while (rs.next()) {
              long key = rs.getLong(1);
              assertThat(map.owner(KeyHasher.hash(KeyType.INTEGER, key))).as("%s: key %d on %s", q, key, shard)
                  .isEqualTo(shard);
            }
          }
        }
      }
    }
    f.assertColocated(5);
  }

  /**
   * An instance whose configuration names every owner of the stored map answers right: verify finds nothing (having
   * read every row), status shows the stored map, queries give every row once. Else verify, status and queries fail
   * with HY024 naming the shards to add. {@code queriesFirst}: the queries run before verify (else after).
   */
  private static void assertRightOrRefused(String label, Connection c, boolean queriesFirst, List<String> configured,
      Set<String> owners, ShardMap stored, Set<Long> expected) throws SQLException {
    Set<String> missing = new TreeSet<>(owners);
    missing.removeAll(configured);
    if (!missing.isEmpty()) {
      SqlCall query = () -> count(c, "SELECT COUNT(*) FROM users");
      if (queriesFirst) {
        assertRefused(label + " query", catchSql(query), configured, owners);
      }
      assertRefused(label + " verify", catchSql(() -> CollegeAdmin.of(c).verify()), configured, owners);
      assertRefused(label + " status", catchSql(() -> CollegeAdmin.of(c).status()), configured, owners);
      assertRefused(label + " query", catchSql(query), configured, owners);
      return;
    }
    if (queriesFirst) {
      assertAnswers(label, c, expected);
    }
    var report = CollegeAdmin.of(c).verify();
    assertThat(report.problems()).as("%s: verify", label).isEmpty();
    assertThat(report.rows()).as("%s: rows verify read", label).isEqualTo(2L * expected.size());
    assertThat(CollegeAdmin.of(c).status().mapVersion()).as("%s: status", label).isEqualTo(stored.version());
    assertAnswers(label, c, expected);
  }

  /** Every user once, with its order, by a count, a join, a full read and key lookups. */
  private static void assertAnswers(String label, Connection c, Set<Long> expected) throws SQLException {
    assertThat(count(c, "SELECT COUNT(*) FROM users")).as("%s: users", label).isEqualTo(expected.size());
    assertThat(count(c, "SELECT COUNT(*) FROM users u JOIN orders o ON o.user_id = u.id"))
        .as("%s: users with their orders", label).isEqualTo(expected.size());
    Set<Long> ids = new TreeSet<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM users")) {
      while (rs.next()) {
        assertThat(ids.add(rs.getLong(1))).as("%s: id %d once", label, rs.getLong(1)).isTrue();
      }
    }
    assertThat(ids).as("%s: ids", label).isEqualTo(expected);
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM orders WHERE user_id = ?")) {
      for (long id = 1; id <= USERS; id += 19) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getLong(1)).as("%s: orders of user %d", label, id).isEqualTo(1);
        }
      }
    }
  }

  private static void assertRefused(String label, SQLException e, List<String> configured, Set<String> owners) {
    assertThat((Object) e).as("%s: no error although the configuration lacks a shard the map gives keys to", label)
        .isNotNull();
    Set<String> missing = new TreeSet<>(owners);
    missing.removeAll(configured);
    assertThat(missing).as("%s: refused although the configuration names every owner: %s", label, e).isNotEmpty();
    assertThat(e.getSQLState()).as("%s: %s", label, e).isEqualTo(SqlStates.BAD_CONFIG);
    for (String m : missing) {
      assertThat(e.getMessage()).as(label).contains("shards." + m + ".url");
    }
  }

  private interface SqlCall {
    void run() throws SQLException;
  }

  private static SQLException catchSql(SqlCall call) {
    try {
      call.run();
      return null;
    } catch (SQLException e) {
      return e;
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> configured(Properties p) {
    List<String> out = new ArrayList<>();
    for (String k : p.stringPropertyNames()) {
      if (k.startsWith("shards.") && k.endsWith(".url")) {
        out.add(k.substring("shards.".length(), k.length() - ".url".length()));
      }
    }
    return out;
  }
}
