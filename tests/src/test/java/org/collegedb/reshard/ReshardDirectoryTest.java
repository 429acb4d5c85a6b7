package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.internal.run.Cluster;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * reshard with a directory: {@code users} has the lookup column {@code email}, and key routing reads placements
 * ({@code directory.placements=on}; some keys placed by the admin API, the others by hash; {@code orders} keyed by
 * {@code user_id}, in the same placement group). A 5th shard is added, then one is drained. After each, every row is
 * found through CollegeDB by key and by email, each row is on exactly one shard (the one its placement or the map
 * names, read directly), every lookup entry and placement in the directory database names the shard that holds its
 * row, and verify finds nothing. Also: new keys under {@code round-robin} avoid a joining and a drained shard, and a
 * reshard stopped after re-pointing the directory can no longer be aborted but is finished by the next run.
 */
@ExtendWith(FastMapChecks.class)
class ReshardDirectoryTest {
  private static final int USERS = 80;
  private static final int PLACED = 16;

  @TempDir
  Path dir;

  private ReshardFixture f;
  private String directoryUrl;

  private Properties config(List<String> names, String... settings) {
    Properties p = f.config(names, settings);
    p.setProperty("tables.users.lookup", "email");
    p.setProperty("directory.url", directoryUrl);
    p.setProperty("directory.hashKeys", "false"); // plain keys: the test reads entries directly
    p.putIfAbsent("directory.placements", "on");
    return p;
  }

  private void setUp(Backend backend, String name, String... settings) throws Exception {
    f = new ReshardFixture(backend, name, 5, false);
    directoryUrl = "jdbc:sqlite:" + dir.resolve("directory.db") + "?synchronous=OFF"; // no fsync: a test
    try (Connection four = ReshardFixture.connect(config(ReshardFixture.names(1, 4), settings))) {
      ReshardFixture.exec(four, "CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(100), "
          + "name VARCHAR(50))",
          "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL, amount BIGINT)",
          "CREATE TABLE countries (code VARCHAR(2) NOT NULL PRIMARY KEY, name VARCHAR(50))",
          "INSERT INTO countries (code, name) VALUES ('fr', 'France'), ('de', 'Germany')");
      insert(four, 1, USERS);
    }
  }

  static void insert(Connection c, long from, long to) throws SQLException {
    try (PreparedStatement u = c.prepareStatement("INSERT INTO users (id, email, name) VALUES (?, ?, ?)");
         PreparedStatement o = c.prepareStatement("INSERT INTO orders (id, user_id, amount) VALUES (?, ?, ?)")) {
      for (long id = from; id <= to; id++) {
        u.setLong(1, id);
        u.setString(2, email(id));
        u.setString(3, "u" + id);
        u.executeUpdate();
        o.setLong(1, id * 10);
        o.setLong(2, id);
        o.setLong(3, id % 7);
        o.executeUpdate();
      }
    }
  }

  private static long countByEmail(Connection c, String email) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM users WHERE email = ?")) {
      ps.setString(1, email);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String email(long id) {
    return "u" + id + "@example.org";
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void addThenDrainMovePlacementsAndLookupEntriesWithTheirRows(Backend backend) throws Exception {
    setUp(backend, "reshard_dir");
    Map<Long, String> placed = new TreeMap<>();
    try (Connection four = ReshardFixture.connect(config(ReshardFixture.names(1, 4)))) {
      CollegeAdmin admin = CollegeAdmin.of(four);
      for (long id = 1; id <= PLACED; id++) { // placed by the admin API on the next shard after their hash owner
        int current = Integer.parseInt(admin.shardOf("users", id).substring(1));
        String target = "s" + (current % 4 + 1);
        admin.movePlacement("users", new Object[] {id}, target);
        placed.put(id, target);
      }
      assertThat(placements()).isEqualTo(placed);
      assertConsistent(four, 4);
    }
    Map<Long, String> before = shardOfEachUser(5);

    try (Connection stale = ReshardFixture.connect(config(ReshardFixture.names(1, 4), "planCacheSize", "5"));
         Connection five = ReshardFixture.connect(config(ReshardFixture.names(1, 5)))) {
      assertThat(idByEmail(stale, email(USERS))).isEqualTo((long) USERS); // this instance lacks s5
      Reshard.Result r = reshard(five, Reshard.Options.defaults().batchSize(40).graceMillis(0));
      assertThat(r.state()).isEqualTo("done");
      Map<Long, String> after = shardOfEachUser(5);
      long toS5 = after.values().stream().filter("s5"::equals).count();
      assertThat(toS5).as("users moved to s5").isBetween(3L, 30L);
      for (Map.Entry<Long, String> e : after.entrySet()) {
        if (placed.containsKey(e.getKey())) {
          assertThat(e.getValue()).as("placed user " + e.getKey() + " stays").isEqualTo(placed.get(e.getKey()));
        } else if (!e.getValue().equals("s5")) {
          assertThat(e.getValue()).as("user " + e.getKey() + " moves only to s5").isEqualTo(before.get(e.getKey()));
        }
      }
      assertThat(placements()).isEqualTo(placed); // no placement changed: none named a drained shard
      assertConsistent(five, 5);
      assertThat(count(4, "countries")).isEqualTo(2); // broadcast table copied whole to the new shard
      // the instance without s5 is told to add it; it never answers "no such row" for a user moved there
      long movedToS5 = after.entrySet().stream().filter(e -> e.getValue().equals("s5")).findFirst().orElseThrow()
          .getKey();
      assertThatThrownBy(() -> idByEmail(stale, email(movedToS5))).isInstanceOf(SQLException.class)
          .hasMessageContaining("shards.s5.url");
    }
    // an extra entry (a crashed write's, for a value no row has) naming the shard to drain
    directory("INSERT INTO collegedb_dir_lookup (tbl, col, vkey, shard, token, created) VALUES ('users', 'email', "
        + "'L|users|email|S:ghost@example.org', 's2', 1, 0)");

    // another instance, whose directory cache holds the emails of s2's users before s2 is drained
    Connection warm = ReshardFixture.connect(config(ReshardFixture.names(1, 5), "planCacheSize", "7"));
    List<Long> onS2 = shardOfEachUser(5).entrySet().stream().filter(e -> e.getValue().equals("s2"))
        .map(Map.Entry::getKey).toList();
    assertThat(onS2).isNotEmpty();
    for (long id : onS2) {
      assertThat(countByEmail(warm, email(id))).isEqualTo(1);
    }
    try (Connection drain = ReshardFixture.connect(config(ReshardFixture.names(1, 5), "shards.s2.drain", "true"))) {
      Map<Long, String> beforeDrain = shardOfEachUser(5);
      Reshard.Result r = reshard(drain, Reshard.Options.defaults().batchSize(40).graceMillis(0));
      assertThat(r.state()).isEqualTo("done");
      assertThat(f.idsPerShard("users", 5).get(1)).as("users left on s2").isEmpty();
      assertThat(f.idsPerShard("orders", 5).get(1)).as("orders left on s2").isEmpty();
      Map<Long, String> after = shardOfEachUser(5);
      Map<Long, String> nowPlaced = placements();
      assertThat(nowPlaced.keySet()).isEqualTo(placed.keySet());
      assertThat(nowPlaced).doesNotContainValue("s2");
      for (Map.Entry<Long, String> e : placed.entrySet()) {
        if (!e.getValue().equals("s2")) {
          assertThat(nowPlaced.get(e.getKey())).isEqualTo(e.getValue());
        }
      }
      assertThat(placed).containsValue("s2");
      for (Map.Entry<Long, String> e : after.entrySet()) { // only s2's rows moved
        if (!beforeDrain.get(e.getKey()).equals("s2")) {
          assertThat(e.getValue()).isEqualTo(beforeDrain.get(e.getKey()));
        }
      }
      assertThat(lookupEntries().values()).doesNotContain("s2"); // re-pointed, and the extra one deleted
      assertConsistent(drain, 5);
      // the other instance learns the new map within a second, and with it forgets its cached lookups: an answer
      // that is a row (a count) even on the wrong shard would otherwise stay wrong
      Thread.sleep(Cluster.MAP_CHECK_MILLIS + 500);
      for (long id : onS2) {
        assertThat(countByEmail(warm, email(id))).as("user " + id + " moved off s2, counted by email").isEqualTo(1);
      }
      warm.close();
      insert(drain, USERS + 1, USERS + 20); // new keys go by the new map, never to the drained shard
      assertThat(f.idsPerShard("users", 5).get(1)).isEmpty();
      assertConsistent(drain, 5);
    }
    try (Connection four = ReshardFixture.connect(config(List.of("s1", "s3", "s4", "s5")))) {
      assertFoundThroughCollegeDb(four, ids(1, USERS + 20));
      ReshardFixture.assertVerified(four);
      // verify checks the directory against the rows: an entry or a placement left naming the drained shard
      String moved = email(placed.keySet().iterator().next());
      directory("UPDATE collegedb_dir_lookup SET shard = 's2' WHERE vkey = 'L|users|email|S:" + moved + "'",
          "INSERT INTO collegedb_dir_placement (grp, vkey, shard, created) VALUES ('INTEGER', 'P|INTEGER|I:999', "
              + "'s2', 0)");
      assertThat(CollegeAdmin.of(four).verify().problems()).hasSize(2)
          .anyMatch(p -> p.contains(moved) && p.contains("the entry names s2"))
          .anyMatch(p -> p.contains("1 placement(s) name shard 's2'"));
    }
  }

  /**
   * The directory scan before the fence (which rows move, to re-point their lookup entries) ends at each table's last
   * key as it was when the scan of that table began: writers inserting keys above it cannot keep it going (before,
   * it read "the next batch after the last key read" until none was left). Rows written during the scan are
   * re-pointed by the fenced catch-up: every entry names its row's shard afterwards.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aDirectoryScanEndsWhileWritersInsertKeysAboveIt(Backend backend) throws Exception {
    setUp(backend, "reshard_dir_tail");
    try (Connection writer = ReshardFixture.connect(config(ReshardFixture.names(1, 5), "planCacheSize", "19"));
         Connection five = ReshardFixture.connect(config(ReshardFixture.names(1, 5)))) {
      // 20 keys after each batch of the first table scanned: about 5 per shard
      ReshardFixture.InsertsDuring insertAbove = new ReshardFixture.InsertsDuring("directory scan ", 40, writer,
          USERS + 1, 20, ReshardDirectoryTest::insert);
      Reshard.Result r = CollegeAdmin.of(five).reshard(Reshard.Options.defaults().graceMillis(0), insertAbove);
      assertThat(r.state()).isEqualTo("done");
      assertThat(insertAbove.batches).as("the scan ran").isBetween(1, 39);
      assertThat(insertAbove.next).as("rows were written during the scan").isGreaterThan(USERS + 1);
      assertThat(shardOfEachUser(5)).hasSize((int) insertAbove.next - 1);
      assertConsistent(five, 5);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE"})
  void roundRobinKeysLeaveADrainedShardAndNewKeysAvoidIt(Backend backend) throws Exception {
    setUp(backend, "reshard_dir_rr", "strategy", "round-robin");
    Map<Long, String> placed = placements();
    assertThat(placed).hasSize(USERS); // every key placed, on each of the four shards
    assertThat(new TreeSet<>(placed.values())).containsExactly("s1", "s2", "s3", "s4");
    try (Connection c = ReshardFixture.connect(config(ReshardFixture.names(1, 5), "strategy", "round-robin",
        "shards.s4.drain", "true"))) {
      insert(c, USERS + 1, USERS + 12); // s5 joins (no ranges yet) and s4 drains: neither gets new keys
      assertThat(f.idsPerShard("users", 5).get(4)).isEmpty();
      assertThat(f.idsPerShard("users", 5).get(3)).hasSize(USERS / 4);
      Reshard.Result r = reshard(c, Reshard.Options.defaults().batchSize(25).graceMillis(0));
      assertThat(r.state()).isEqualTo("done");
      assertThat(f.idsPerShard("users", 5).get(3)).isEmpty();
      assertThat(placements()).hasSize(USERS + 12).doesNotContainValue("s4");
      assertConsistent(c, 5);
      insert(c, USERS + 13, USERS + 40);
      assertThat(f.idsPerShard("users", 5).get(3)).isEmpty();
      assertThat(f.idsPerShard("users", 5).get(4)).isNotEmpty(); // s5 owns ranges now: it takes new keys
      assertConsistent(c, 5);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE"})
  void resumesAfterStopsAndRefusesAbortOnceTheDirectorySwitched(Backend backend) throws Exception {
    setUp(backend, "reshard_dir_resume");
    try (Connection four = ReshardFixture.connect(config(ReshardFixture.names(1, 4)))) {
      for (long id = 1; id <= 12; id++) {
        int current = Integer.parseInt(CollegeAdmin.of(four).shardOf("users", id).substring(1));
        CollegeAdmin.of(four).movePlacement("users", new Object[] {id}, "s" + (current % 4 + 1));
      }
    }
    Reshard.Options options = Reshard.Options.defaults().batchSize(15).graceMillis(0);
    try (Connection five = ReshardFixture.connect(config(ReshardFixture.names(1, 5)))) {
      assertThatThrownBy(() -> CollegeAdmin.of(five).reshard(options.stopAfter("copy-batch"), null))
          .isInstanceOf(Reshard.Stopped.class);
      // writes in between, under the old map: new rows, a changed email, a deleted user
      insert(five, USERS + 1, USERS + 10);
      ReshardFixture.exec(five, "UPDATE users SET email = 'changed@example.org' WHERE id = 40",
          "DELETE FROM users WHERE id = 41", "DELETE FROM orders WHERE user_id = 41");
      assertThat(CollegeAdmin.of(five).reshard(options, null).state()).isEqualTo("done");
      assertThat(emailOf(five, 40)).isEqualTo("changed@example.org");
      assertThat(idByEmail(five, "changed@example.org")).isEqualTo(40L);
      assertThat(idByEmail(five, email(40))).isNull();
      assertThat(idByEmail(five, email(41))).isNull();
      assertConsistent(five, 5, 41, 40);
    }
    try (Connection drain = ReshardFixture.connect(config(ReshardFixture.names(1, 5), "shards.s3.drain", "true"))) {
      assertThatThrownBy(() -> CollegeAdmin.of(drain).reshard(options.stopAfter("directory-switched"), null))
          .isInstanceOf(Reshard.Stopped.class);
      // entries and placements name the new shards; the rows are on both until the cleanup: readers find them all
      assertThat(lookupEntries().values()).doesNotContain("s3");
      assertThat(placements()).doesNotContainValue("s3");
      try (Connection reader = ReshardFixture.connect(config(ReshardFixture.names(1, 5), "planCacheSize", "9"))) {
        java.util.Set<Long> ids = ids(1, USERS + 10);
        ids.removeAll(List.of(40L, 41L));
        assertFoundThroughCollegeDb(reader, ids);
        // a read of every shard drops no placed row (no ownership filter by hash where the directory places keys)
        java.util.Set<Long> all = new TreeSet<>();
        try (Statement st = reader.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM users")) {
          while (rs.next()) {
            all.add(rs.getLong(1));
          }
        }
        assertThat(all).containsAll(ids);
      }
      assertThatThrownBy(() -> CollegeAdmin.of(drain).reshard(options.abort(true), null))
          .isInstanceOf(SQLException.class).hasMessageContaining("cannot be aborted");
      assertThat(CollegeAdmin.of(drain).reshard(options, null).state()).isEqualTo("done");
      assertThat(f.idsPerShard("users", 5).get(2)).isEmpty();
      assertConsistent(drain, 5, 41, 40);

      // rebalance: 30 more users whose hash owner is s1 make it the largest; hash-placed keys move, placed ones stay
      int added = 0;
      for (long id = 1000; added < 30; id++) {
        if (CollegeAdmin.of(drain).shardOf("users", id).equals("s1")) {
          insert(drain, id, id);
          added++;
        }
      }
      Map<Long, String> placedBefore = placements();
      Map<Long, String> before = shardOfEachUser(5);
      Reshard.Result r = reshard(drain, options.rebalance("rows"));
      assertThat(r.state()).isEqualTo("done");
      assertThat(r.rowsMoved()).isPositive();
      assertThat(placements()).isEqualTo(placedBefore);
      Map<Long, String> after = shardOfEachUser(5);
      for (Long id : placedBefore.keySet()) {
        assertThat(after.get(id)).as("placed user " + id).isEqualTo(before.get(id));
      }
      assertThat(after).isNotEqualTo(before);
      assertConsistent(drain, 5, 41, 40);
    }
  }

  // One backend (the time budget): the directory's part does not depend on the shards' product; ReshardOnlineTest
  // covers the fence under concurrent writers on SQLite, PostgreSQL and MariaDB (H2 is left out there: its CREATE
  // TRIGGER intermittently fails concurrent writes to the table).
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE"})
  void readersFindEveryRowByEmailWhileWritersRenameThroughIt(Backend backend) throws Exception {
    setUp(backend, "reshard_dir_online");
    try (Connection four = ReshardFixture.connect(config(ReshardFixture.names(1, 4)))) {
      for (long id = 1; id <= 8; id++) {
        int current = Integer.parseInt(CollegeAdmin.of(four).shardOf("users", id).substring(1));
        CollegeAdmin.of(four).movePlacement("users", new Object[] {id}, "s" + (current % 4 + 1));
      }
    }
    List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong renames = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong inserted = new java.util.concurrent.atomic.AtomicLong(USERS);
    // started before the reshard: they route with the old map until the fence or the map check tells them
    Thread writer = new Thread(() -> {
      try (Connection c = ReshardFixture.connect(config(ReshardFixture.names(1, 5), "planCacheSize", "21"));
           PreparedStatement rename = c.prepareStatement("UPDATE users SET name = ? WHERE email = ?")) {
        for (long n = 1; !stop.get(); n++) {
          long id = 1 + n % USERS;
          try {
            rename.setString(1, "r" + n);
            rename.setString(2, email(id));
            if (rename.executeUpdate() != 1) {
              failures.add(new AssertionError("rename of user " + id + " by email changed no row"));
            }
            names.put(id, "r" + n);
            renames.incrementAndGet();
            insert(c, inserted.get() + 1, inserted.get() + 1);
            inserted.incrementAndGet();
          } catch (SQLException e) {
            failures.add(e);
          }
        }
      } catch (SQLException e) {
        failures.add(e);
      }
    });
    Thread reader = new Thread(() -> {
      try (Connection c = ReshardFixture.connect(config(ReshardFixture.names(1, 5), "planCacheSize", "22"));
           PreparedStatement byEmail = c.prepareStatement("SELECT id FROM users WHERE email = ?")) {
        for (long n = 1; !stop.get(); n++) {
          long id = 1 + (n * 31) % USERS;
          byEmail.setString(1, email(id));
          try (ResultSet rs = byEmail.executeQuery()) {
            if (!rs.next() || rs.getLong(1) != id || rs.next()) {
              failures.add(new AssertionError("user " + id + " not found once by email"));
            }
          }
          reads.incrementAndGet();
        }
      } catch (SQLException e) {
        failures.add(e);
      }
    });
    writer.start();
    reader.start();
    try (Connection five = ReshardFixture.connect(config(ReshardFixture.names(1, 5)))) {
      Thread.sleep(300);
      assertThat(reshard(five, ReshardFixture.options().batchSize(20)).state())
          .isEqualTo("done");
      Thread.sleep(300);
      stop.set(true);
      writer.join(30_000);
      reader.join(30_000);
      System.out.printf("reshard with lookups online %s: %d reads by email, %d renames by email, %d inserts%n",
          backend, reads.get(), renames.get(), inserted.get() - USERS);
      assertThat(failures).as("failures: %s", failures).isEmpty();
      assertThat(reads.get()).isGreaterThan(20);
      assertThat(inserted.get()).isGreaterThan(USERS + 5);
      assertThat(f.idsPerShard("users", 5).get(4)).isNotEmpty();
      for (Map.Entry<Long, String> e : names.entrySet()) { // no rename was lost with an old copy
        try (PreparedStatement ps = five.prepareStatement("SELECT name FROM users WHERE id = ?")) {
          ps.setLong(1, e.getKey());
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("name of user " + e.getKey()).isEqualTo(e.getValue());
          }
        }
      }
      Map<Long, String> where = shardOfEachUser(5);
      f.assertExactlyOnce("users", 5, new TreeSet<>(where.keySet()));
      Map<String, String> expected = new HashMap<>();
      for (Map.Entry<Long, String> e : where.entrySet()) {
        expected.put(email(e.getKey()), e.getValue());
      }
      assertThat(lookupEntries()).isEqualTo(expected);
      ReshardFixture.assertVerified(five);
    } finally {
      stop.set(true);
    }
  }

  private static Reshard.Result reshard(Connection c, Reshard.Options options) throws SQLException {
    return CollegeAdmin.of(c).reshard(options, null);
  }

  // ---------------------------------------------------------------- checks

  private void assertConsistent(Connection c, int shards) throws SQLException {
    assertConsistent(c, shards, -1, -1);
  }

  /**
   * Every user (and order) on exactly one shard, the one CollegeDB's placement or map names; every lookup entry and
   * placement names the shard holding its row; every row found through CollegeDB by key and by email; verify clean.
   * {@code deleted} is a user deleted by the test, {@code changed} one whose email was changed.
   */
  private void assertConsistent(Connection c, int shards, long deleted, long changed) throws SQLException {
    Map<Long, String> where = shardOfEachUser(shards);
    TreeSet<Long> ids = new TreeSet<>(where.keySet());
    f.assertExactlyOnce("users", shards, ids);
    f.assertColocated(shards);
    assertThat(ids).doesNotContain(deleted);
    CollegeAdmin admin = CollegeAdmin.of(c);
    for (Map.Entry<Long, String> e : where.entrySet()) {
      assertThat(admin.shardOf("users", e.getKey())).as("user " + e.getKey()).isEqualTo(e.getValue());
    }
    for (Map.Entry<Long, String> e : placements().entrySet()) {
      if (where.containsKey(e.getKey())) {
        assertThat(where.get(e.getKey())).as("placement of " + e.getKey()).isEqualTo(e.getValue());
      }
    }
    Map<String, String> entries = lookupEntries();
    Map<String, String> expected = new HashMap<>();
    for (Map.Entry<Long, String> e : where.entrySet()) {
      expected.put(e.getKey() == changed ? "changed@example.org" : email(e.getKey()), e.getValue());
    }
    assertThat(entries).isEqualTo(expected);
    ids.remove(changed);
    assertFoundThroughCollegeDb(c, ids);
    ReshardFixture.assertVerified(c);
  }

  private static java.util.Set<Long> ids(long from, long to) {
    java.util.Set<Long> out = new TreeSet<>();
    for (long id = from; id <= to; id++) {
      out.add(id);
    }
    return out;
  }

  private static void assertFoundThroughCollegeDb(Connection c, java.util.Collection<Long> ids) throws SQLException {
    try (PreparedStatement byKey = c.prepareStatement("SELECT email, name FROM users WHERE id = ?");
         PreparedStatement byEmail = c.prepareStatement("SELECT id, name FROM users WHERE email = ?")) {
      for (long id : ids) {
        byKey.setLong(1, id);
        try (ResultSet rs = byKey.executeQuery()) {
          assertThat(rs.next()).as("user " + id + " by key").isTrue();
          assertThat(rs.getString(1)).isEqualTo(email(id));
          assertThat(rs.next()).isFalse();
        }
        byEmail.setString(1, email(id));
        try (ResultSet rs = byEmail.executeQuery()) {
          assertThat(rs.next()).as("user " + id + " by email").isTrue();
          assertThat(rs.getLong(1)).isEqualTo(id);
          assertThat(rs.getString(2)).isEqualTo("u" + id);
          assertThat(rs.next()).isFalse();
        }
      }
    }
  }

  private static String emailOf(Connection c, long id) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT email FROM users WHERE id = " + id)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static Long idByEmail(Connection c, String email) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE email = ?")) {
      ps.setString(1, email);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** The shard of each user, read directly from the shards. */
  private Map<Long, String> shardOfEachUser(int shards) throws SQLException {
    Map<Long, String> out = new TreeMap<>();
    for (Map.Entry<Integer, List<Long>> e : f.idsPerShard("users", shards).entrySet()) {
      for (Long id : e.getValue()) {
        out.put(id, "s" + (e.getKey() + 1));
      }
    }
    return out;
  }

  /** The placements in the directory database, by key (plain keys: {@code P|INTEGER|I:7}). */
  private Map<Long, String> placements() throws SQLException {
    Map<Long, String> out = new TreeMap<>();
    try (Connection d = DriverManager.getConnection(directoryUrl); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT vkey, shard FROM collegedb_dir_placement")) {
      while (rs.next()) {
        String vkey = rs.getString(1);
        assertThat(vkey).startsWith("P|INTEGER|I:");
        out.put(Long.parseLong(vkey.substring("P|INTEGER|I:".length())), rs.getString(2));
      }
    }
    return out;
  }

  /** The lookup entries of users.email in the directory database, by email. */
  private Map<String, String> lookupEntries() throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (Connection d = DriverManager.getConnection(directoryUrl); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT vkey, shard FROM collegedb_dir_lookup WHERE tbl = 'users'")) {
      while (rs.next()) {
        String vkey = rs.getString(1);
        assertThat(vkey).startsWith("L|users|email|S:");
        out.put(vkey.substring("L|users|email|S:".length()), rs.getString(2));
      }
    }
    return out;
  }

  private void directory(String... sql) throws SQLException {
    try (Connection d = DriverManager.getConnection(directoryUrl); Statement s = d.createStatement()) {
      for (String q : sql) {
        assertThat(s.executeUpdate(q)).as(q).isEqualTo(1);
      }
    }
  }

  private long count(int shard, String table) throws SQLException {
    try (Connection d = f.shards.direct(shard); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
