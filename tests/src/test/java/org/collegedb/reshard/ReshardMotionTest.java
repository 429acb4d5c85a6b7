package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.fixtures.Rows;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11, statements while a reshard holds rows on shards that do not own them (halted at stop points): fan-out reads
 * of tables whose keys the directory places count each row once; a multi-shard UPDATE/DELETE reports the rows it
 * changed once (not the copies), and each row ends up changed once; DDL is refused while a reshard runs. Every answer
 * is compared with one reference database holding the same rows.
 */
@ExtendWith(FastMapChecks.class)
class ReshardMotionTest {
  private static final int USERS = 120;
  private static final List<String> SCALARS = List.of("SELECT COUNT(*) FROM users", "SELECT SUM(amount) FROM orders",
      "SELECT COUNT(*) FROM orders WHERE amount > 40");
  private static final List<String> MULTISETS = List.of("SELECT id, name FROM users",
      "SELECT u.id, o.amount FROM users u JOIN orders o ON o.user_id = u.id WHERE o.amount > 20",
      "SELECT user_id, COUNT(*), SUM(amount) FROM orders GROUP BY user_id");
  private static final List<String> ORDERED = List.of("SELECT id, name FROM users ORDER BY id DESC LIMIT 7 OFFSET 3");

  @TempDir
  Path dir;

  private ReshardFixture f;
  private String directoryUrl;
  private boolean placements;
  private boolean lookupOnName; // users.name is a lookup column: its UPDATEs give the new value as a literal
  private long movingUser; // a user of the drained shard s2: copied while the reshard runs
  private int renames;
  private int instances = 300;

  private Properties config(List<String> names, String... settings) {
    Properties p = f.config(names, settings);
    p.setProperty("directory.url", directoryUrl); // a directory of the test's own: no reshard state left over
    if (placements) {
      p.setProperty("directory.hashKeys", "false");
      p.putIfAbsent("directory.placements", "on");
    }
    return p;
  }

  private void setUp(Backend backend, String name, boolean directory, String... settings) throws Exception {
    f = new ReshardFixture(backend, name, 5);
    directoryUrl = "jdbc:sqlite:" + dir.resolve("directory.db") + "?synchronous=OFF";
    placements = directory;
    try (Connection c = ReshardFixture.connect(config(ReshardFixture.names(1, 4), settings))) {
      f.createTables(c);
      ReshardFixture.insertUsers(c, 1, USERS);
    }
    try (Connection ref = f.shards.reference()) {
      f.createTables(ref);
      ReshardFixture.insertUsers(ref, 1, USERS);
    }
  }

  // ---------------------------------------------------------------- 1. placed keys read once

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES", "MARIADB"})
  void placedRowsAreReadOnceWhileTheirShardDrains(Backend backend) throws Exception {
    drainPlacedRows(backend, "motion_placed_drain", "strategy", "round-robin");
  }

  /**
   * With more placements than {@code directory.cacheSize} (every user has one under round-robin), a read does not
   * hold them all: it asks for each key's placement as its row comes, keeping at most that many. Same answers.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE"})
  void placedRowsAreReadOnceWithMorePlacementsThanTheCacheHolds(Backend backend) throws Exception {
    drainPlacedRows(backend, "motion_placed_bounded", "strategy", "round-robin", "directory.cacheSize", "5");
  }

  private void drainPlacedRows(Backend backend, String name, String... settings) throws Exception {
    setUp(backend, name, true, settings);
    List<String> four = ReshardFixture.names(1, 4);
    String[] draining = java.util.Arrays.copyOf(settings, settings.length + 2);
    draining[settings.length] = "shards.s2.drain";
    draining[settings.length + 1] = "true";
    try (Connection early = instance(four, settings);
         Connection admin = ReshardFixture.connect(config(four, draining))) {
      assertSameAnswers(early, "before");
      for (String step : List.of("copy", "directory-switched", "published")) {
        stop(admin, ReshardFixture.options(), step);
        assertThat(rowsOnShards()).as("rows of s2 on two shards after " + step).isGreaterThan(USERS);
        checkBoth(early, four, "stopped after " + step, settings);
      }
      finish(admin);
      assertThat(f.idsPerShard("users", 5).get(1)).isEmpty();
      assertThat(rowsOnShards()).isEqualTo(USERS);
      assertSameAnswers(early, "done");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES", "MARIADB"})
  void placedAndHashedKeysAreReadOnceWhileAShardJoins(Backend backend) throws Exception {
    setUp(backend, "motion_placed_add", true);
    List<String> five = ReshardFixture.names(1, 5);
    try (Connection four = ReshardFixture.connect(config(ReshardFixture.names(1, 4)))) {
      CollegeAdmin a = CollegeAdmin.of(four);
      for (long id = 1; id <= 30; id++) { // placed by the admin API on the next shard after their hash owner
        int current = Integer.parseInt(a.shardOf("users", id).substring(1));
        a.movePlacement("users", new Object[] {id}, "s" + (current % 4 + 1));
      }
    }
    try (Connection early = instance(five); Connection admin = ReshardFixture.connect(config(five))) {
      assertSameAnswers(early, "before");
      for (String step : List.of("copy", "published")) {
        stop(admin, ReshardFixture.options(), step);
        assertThat(rowsOnShards()).as("hashed rows copied to s5 after " + step).isGreaterThan(USERS);
        checkBoth(early, five, "stopped after " + step);
      }
      finish(admin);
      assertThat(rowsOnShards()).isEqualTo(USERS);
      assertSameAnswers(early, "done");
    }
  }

  // ---------------------------------------------------------------- 2. writes of several shards count once

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "H2", "POSTGRES", "MARIADB"})
  void writesOfSeveralShardsCountEachRowOnceWhileRowsMove(Backend backend) throws Exception {
    setUp(backend, "motion_writes", false);
    List<String> four = ReshardFixture.names(1, 4);
    try (Connection early = instance(four);
         Connection admin = ReshardFixture.connect(config(four, "shards.s2.drain", "true"))) {
      stop(admin, ReshardFixture.options(), "copy");
      assertThat(rowsOnShards()).as("copies of s2's rows on the others").isGreaterThan(USERS);
      assertSameWrites(early, "stopped after copy");
      try (Connection fresh = instance(four)) {
        assertSameWrites(fresh, "fresh instance, stopped after copy");
        assertThat(ReshardFixture.plan(fresh, "UPDATE orders SET amount = amount + 1 WHERE amount > 3"))
            .contains(backend == Backend.MARIADB
                    ? "FOR UPDATE', then only the owned keys: WHERE (...) AND user_id IN (<owned keys>)"
                    : backend == Backend.H2 ? "SELECT user_id FROM FINAL TABLE (UPDATE orders" : "RETURNING user_id",
                "count owned-rows key=[user_id]");
      }
      stop(admin, ReshardFixture.options(), "published");
      assertThat(rowsOnShards()).isGreaterThan(USERS);
      assertSameWrites(early, "stopped after published");
      finish(admin);
      assertThat(f.idsPerShard("users", 5).get(1)).isEmpty();
      assertSameWrites(early, "done");
      assertShardsHoldTheReferenceOrders(4);
      ReshardFixture.assertVerified(admin);
    }
  }

  /**
   * MariaDB under READ COMMITTED: the locking read before a write of several shards takes no gap locks there, so a
   * copy the reshard inserts between that read and the write (here: a copy of an order of a moving user, inserted
   * on a target while the write waits in the fence trigger's read of {@code collegedb_map_version}, which the test
   * holds locked) used to be changed and counted. The count must still be the reference's; the rows end right.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = "MARIADB")
  void writesOfSeveralShardsCountOnceUnderReadCommittedWhileACopyArrives(Backend backend) throws Exception {
    setUp(backend, "motion_writes_rc", false);
    List<String> four = ReshardFixture.names(1, 4);
    try (Connection early = instance(four);
         Connection admin = ReshardFixture.connect(config(four, "shards.s2.drain", "true"))) {
      early.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      stop(admin, ReshardFixture.options(), "copy");
      assertSameWrites(early, "read committed, stopped after copy");
      Map<Integer, List<Long>> users = f.idsPerShard("users", 4);
      int target = -1;
      long moving = -1;
      for (int t : new int[] {0, 2, 3}) { // a shard holding copies of s2's users
        for (long id : users.get(t)) {
          if (target < 0 && users.get(1).contains(id)) {
            target = t;
            moving = id;
          }
        }
      }
      assertThat(target).as("a target holding copies of s2's users").isNotNegative();
      assertCountedOnceWhileACopyArrives(early, target, moving, 900_001,
          "UPDATE orders SET amount = amount + 1 WHERE amount > 3");
      assertCountedOnceWhileACopyArrives(early, target, moving, 900_002, "DELETE FROM orders WHERE amount > 45");
      finish(admin);
      assertSameWrites(early, "read committed, done");
      assertShardsHoldTheReferenceOrders(4);
      ReshardFixture.assertVerified(admin);
    }
  }

  /**
   * Runs {@code sql} through {@code c} while shard {@code target}'s fence row is locked, inserts there (committed)
   * an order of {@code user} (a key the shard does not own, as the reshard's catch-up would) once the write waits
   * for that lock, then lets it go: the count is the reference's. The inserted order is removed afterwards.
   */
  private void assertCountedOnceWhileACopyArrives(Connection c, int target, long user, long orderId, String sql)
      throws Exception {
    int expected;
    try (Connection ref = f.shards.reference(); Statement s = ref.createStatement()) {
      expected = s.executeUpdate(sql);
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (Connection holder = f.shards.direct(target)) {
      holder.setAutoCommit(false);
      ReshardFixture.exec(holder, "SELECT version FROM collegedb_map_version WHERE id = 1 FOR UPDATE");
      java.util.concurrent.Future<Integer> count = pool.submit(() -> {
        try (Statement s = c.createStatement()) {
          return s.executeUpdate(sql);
        }
      });
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (Rows.count(holder, "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() "
          + "AND info LIKE 'SELECT version INTO v FROM collegedb_map_version%'") == 0) { // the fence trigger's read
        assertThat(System.nanoTime()).as("the write waits for the fence row").isLessThan(deadline);
        assertThat(count.isDone()).as("the write waits for the fence row").isFalse();
        Thread.sleep(20);
      }
      ReshardFixture.exec(holder, "INSERT INTO orders (id, user_id, amount) VALUES (" + orderId + ", " + user
          + ", 100)");
      holder.commit();
      assertThat(count.get(30, java.util.concurrent.TimeUnit.SECONDS)).as("read committed, a copy arriving: " + sql)
          .isEqualTo(expected);
      assertThat(Rows.count(holder, "SELECT SUM(amount) FROM orders WHERE id = " + orderId))
          .as("the copy is left to the catch-up: " + sql).isEqualTo(100);
    } finally {
      pool.shutdownNow();
      try (Connection d = f.shards.direct(target)) {
        ReshardFixture.exec(d, "DELETE FROM orders WHERE id = " + orderId);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES", "MARIADB"})
  void writesOfSeveralShardsCountPlacedRowsOnceWhileTheirShardDrains(Backend backend) throws Exception {
    setUp(backend, "motion_writes_placed", true, "strategy", "round-robin");
    List<String> four = ReshardFixture.names(1, 4);
    try (Connection early = instance(four, "strategy", "round-robin");
         Connection admin = ReshardFixture.connect(config(four, "strategy", "round-robin", "shards.s2.drain",
             "true"))) {
      for (String step : List.of("copy", "published")) { // (directory-switched: writes to the sources wait)
        stop(admin, ReshardFixture.options(), step);
        assertThat(rowsOnShards()).isGreaterThan(USERS);
        assertSameWrites(early, "stopped after " + step);
      }
      finish(admin);
      assertSameWrites(early, "done");
      assertShardsHoldTheReferenceOrders(4);
    }
  }

  // ---------------------------------------------------------------- 4. the directory switch's scan before the fence

  /**
   * The switch's scan of the sources runs before the fence; rows written after it (new keys, lookup values renamed)
   * come from the fenced catch-up. Writes made at the last moment before the fence (the progress callback of step
   * {@code fence}, on the reshard's thread, after the scan) must have their lookup entries re-pointed too: verify
   * finds every entry naming the shard that holds its row, and every user is found by its lookup value.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES", "MARIADB"})
  void lookupEntriesOfRowsWrittenAfterTheSwitchScanAreRepointed(Backend backend) throws Exception {
    setUp(backend, "motion_scan", false, "tables.users.lookup", "name");
    List<String> four = ReshardFixture.names(1, 4);
    List<Long> moving = f.idsPerShard("users", 4).get(1);
    try (Connection writer = instance(four, "tables.users.lookup", "name");
         Connection admin = ReshardFixture.connect(config(four, "tables.users.lookup", "name", "shards.s2.drain",
             "true"))) {
      boolean[] written = new boolean[1];
      Reshard.Result r = CollegeAdmin.of(admin).reshard(ReshardFixture.options(),
          (step, done, total) -> {
            if (step.equals("fence") && !written[0]) {
              written[0] = true;
              try {
                ReshardFixture.insertUsers(writer, USERS + 1, USERS + 40); // a quarter of them on s2
                for (long id : moving.subList(0, 5)) {
                  ReshardFixture.exec(writer, "UPDATE users SET name = 'renamed" + id + "' WHERE name = 'u" + id + "'");
                }
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            }
          });
      assertThat(r.state()).isEqualTo("done");
      assertThat(written[0]).isTrue();
      assertThat(f.idsPerShard("users", 4).get(1)).isEmpty();
      ReshardFixture.assertVerified(admin);
      try (Connection fresh = instance(four, "tables.users.lookup", "name")) { // (the writer's cache names s2)
        for (long id = 1; id <= USERS + 40; id++) {
          String name = moving.subList(0, 5).contains(id) ? "renamed" + id : "u" + id;
          assertThat(Rows.count(fresh, "SELECT COUNT(*) FROM users WHERE name = '" + name + "'")).as(name)
              .isEqualTo(1);
        }
      }
    }
  }

  // ---------------------------------------------------------------- 3. DDL refused while a reshard runs

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES", "MARIADB"})
  void schemaChangesAreRefusedWhileAReshardRuns(Backend backend) throws Exception {
    setUp(backend, "motion_ddl", false);
    List<String> four = ReshardFixture.names(1, 4);
    List<String> ddl = List.of("ALTER TABLE users ADD COLUMN email VARCHAR(100)",
        "CREATE TABLE notes (id BIGINT NOT NULL PRIMARY KEY, body VARCHAR(50))",
        "CREATE INDEX users_name ON users (name)", "DROP TABLE orders", "TRUNCATE TABLE orders");
    try (Connection early = instance(four);
         Connection admin = ReshardFixture.connect(config(four, "shards.s2.drain", "true"))) {
      for (String step : List.of("prepare", "copy", "published")) {
        stop(admin, ReshardFixture.options(), step);
        for (Connection c : List.of(early, admin)) {
          for (String sql : ddl) {
            assertThatThrownBy(() -> ReshardFixture.exec(c, sql)).as(sql + " after " + step)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("schema changes are refused while a reshard runs")
                .hasMessageContaining(step.equals("prepare") ? "is running (step" : "is moving ranges")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55006"));
          }
        }
        assertSchemaUnchanged(4);
        assertSameAnswers(early, "after the refused DDL, stopped after " + step);
      }
      finish(admin);
      assertSchemaUnchanged(4);
      ReshardFixture.exec(early, "ALTER TABLE users ADD COLUMN email VARCHAR(100)"); // done: allowed again
      for (int i : new int[] {0, 2, 3}) { // (s2, drained, owns nothing and gets no more DDL)
        try (Connection d = f.shards.direct(i)) {
          assertThat(Rows.count(d, "SELECT COUNT(email) FROM users")).isZero();
        }
      }
    }
  }

  /** On each shard directly: users has no column email, orders still exists with its rows, no table notes. */
  private void assertSchemaUnchanged(int shards) throws SQLException {
    long orders = 0;
    for (int i = 0; i < shards; i++) {
      try (Connection d = f.shards.direct(i)) {
        assertThatThrownBy(() -> Rows.count(d, "SELECT COUNT(email) FROM users")).as("s" + (i + 1))
            .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> Rows.count(d, "SELECT COUNT(*) FROM notes")).as("s" + (i + 1))
            .isInstanceOf(SQLException.class);
        orders += Rows.count(d, "SELECT COUNT(*) FROM orders");
      }
    }
    assertThat(orders).as("orders on the shards (copies included)").isGreaterThanOrEqualTo(USERS);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES", "MARIADB"})
  void writesOfATableWithLookupColumnsCountOnceWhileRowsMove(Backend backend) throws Exception {
    lookupOnName = true;
    setUp(backend, "motion_writes_lookup", false, "tables.users.lookup", "name");
    List<String> four = ReshardFixture.names(1, 4);
    String delete = "DELETE FROM users WHERE name LIKE '%5'"; // a directory write: its lookup entries go too
    movingUser = f.idsPerShard("users", 4).get(1).get(0);
    try (Connection early = instance(four, "tables.users.lookup", "name");
         Connection admin = ReshardFixture.connect(config(four, "tables.users.lookup", "name", "shards.s2.drain",
             "true"))) {
      stop(admin, ReshardFixture.options(), "copy");
      assertThat(rowsOnShards()).isGreaterThan(USERS);
      assertSameWrites(early, "stopped after copy", delete);
      stop(admin, ReshardFixture.options(), "published");
      assertSameWrites(early, "stopped after published", "DELETE FROM users WHERE name LIKE '%7'");
      finish(admin);
      assertSameWrites(early, "done");
      assertShardsHoldTheReferenceOrders(4);
      try (Connection ref = f.shards.reference()) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          try (Connection d = f.shards.direct(i)) {
            users.addAll(SameAnswers.strings(Rows.query(d, "SELECT id, name FROM users")));
          }
        }
        assertThat(users).containsExactlyInAnyOrderElementsOf(SameAnswers.strings(Rows.query(ref, "SELECT id, name FROM users")));
      }
      ReshardFixture.assertVerified(admin);
    }
  }

  /**
   * The same UPDATEs and DELETE of several shards (conditions on a column that is not the key) through {@code c} and
   * on the reference: the same counts, then the same rows.
   */
  private void assertSameWrites(Connection c, String who, String... more) throws SQLException {
    List<String> writes = new ArrayList<>(List.of("UPDATE orders SET amount = amount + 1 WHERE amount > 3",
        lookupOnName // a directory write, of a moving row
            ? "UPDATE users SET name = 'renamed-" + (renames++) + "' WHERE id + 0 = " + movingUser
            : "UPDATE users SET name = 'n' || name WHERE id > 10".replace("'n' || name",
                f.shards.backend() == Backend.MARIADB ? "CONCAT('n', name)" : "'n' || name"),
        "DELETE FROM orders WHERE amount = 50"));
    writes.addAll(List.of(more));
    try (Connection ref = f.shards.reference()) {
      for (String sql : writes) {
        int expected;
        try (Statement s = ref.createStatement()) {
          expected = s.executeUpdate(sql);
        }
        try (Statement s = c.createStatement()) {
          assertThat(s.executeUpdate(sql)).as(who + ": " + sql).isEqualTo(expected);
        }
      }
      Backend backend = f.shards.backend();
      if (backend == Backend.POSTGRES || backend == Backend.SQLITE) { // their own RETURNING: the rows once
        for (String sql : List.of("UPDATE orders SET amount = amount + 1 WHERE amount > 20 RETURNING id, amount",
            "DELETE FROM orders WHERE amount = 44 RETURNING *")) {
          List<String> expectedRows = SameAnswers.strings(Rows.query(ref, sql));
          assertThat(SameAnswers.strings(Rows.query(c, sql))).as(who + ": " + sql)
              .containsExactlyInAnyOrderElementsOf(expectedRows);
        }
      }
      if (backend == Backend.MARIADB) { // DELETE ... RETURNING (no UPDATE ... RETURNING): the owned rows, once
        for (String sql : List.of("DELETE FROM orders WHERE amount = 45 RETURNING *",
            "DELETE FROM orders WHERE amount > 1000 RETURNING id")) { // (no row: the shards' empty rows)
          List<String> expectedRows = SameAnswers.strings(Rows.query(ref, sql));
          assertThat(SameAnswers.strings(Rows.query(c, sql))).as(who + ": " + sql)
              .containsExactlyInAnyOrderElementsOf(expectedRows);
        }
      }
      String batched = "UPDATE orders SET amount = amount + 1 WHERE amount > ?";
      int[] bounds = {40, 10};
      int[] expectedBatch = new int[bounds.length];
      for (int b = 0; b < bounds.length; b++) { // on the reference one at a time: a count per entry, whatever its driver
        try (Statement s = ref.createStatement()) {
          expectedBatch[b] = s.executeUpdate(batched.replace("?", Integer.toString(bounds[b])));
        }
      }
      try (java.sql.PreparedStatement ps = c.prepareStatement(batched)) {
        for (int bound : bounds) {
          ps.setInt(1, bound);
          ps.addBatch();
        }
        assertThat(ps.executeBatch()).as(who + ": a batch of " + batched).containsExactly(expectedBatch);
      }
      String inTransaction = "UPDATE orders SET amount = amount + 2 WHERE amount < 30";
      int expected;
      try (Statement s = ref.createStatement()) {
        expected = s.executeUpdate(inTransaction);
      }
      c.setAutoCommit(false);
      try (java.sql.PreparedStatement ps = c.prepareStatement(
          "UPDATE orders SET amount = amount + 2 WHERE amount < ?")) {
        ps.setInt(1, 30);
        assertThat(ps.executeUpdate()).as(who + ": in a transaction, prepared: " + inTransaction).isEqualTo(expected);
        c.commit();
      } finally {
        c.setAutoCommit(true);
      }
    }
    assertSameAnswers(c, who);
  }

  /** The orders read from each shard directly: every order of the reference exactly once, with its amount. */
  private void assertShardsHoldTheReferenceOrders(int shards) throws SQLException {
    List<String> onShards = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      try (Connection d = f.shards.direct(i)) {
        onShards.addAll(SameAnswers.strings(Rows.query(d, "SELECT id, user_id, amount FROM orders")));
      }
    }
    try (Connection ref = f.shards.reference()) {
      assertThat(onShards).containsExactlyInAnyOrderElementsOf(
          SameAnswers.strings(Rows.query(ref, "SELECT id, user_id, amount FROM orders")));
    }
  }


  // ---------------------------------------------------------------- helpers

  private Connection instance(List<String> names, String... settings) throws SQLException {
    List<String> all = new ArrayList<>(List.of(settings));
    all.add("planCacheSize");
    all.add(Integer.toString(instances++));
    return ReshardFixture.connect(config(names, all.toArray(new String[0])));
  }

  private static void stop(Connection admin, Reshard.Options options, String step) {
    assertThatThrownBy(() -> CollegeAdmin.of(admin).reshard(options.stopAfter(step), null))
        .isInstanceOf(Reshard.Stopped.class);
  }

  private static void finish(Connection admin) throws SQLException {
    Reshard.Result r = CollegeAdmin.of(admin).reshard(ReshardFixture.options(), null);
    assertThat(r.state()).isEqualTo("done");
  }

  private void checkBoth(Connection early, List<String> names, String state, String... settings)
      throws SQLException {
    assertSameAnswers(early, "instance started before the reshard, " + state);
    try (Connection fresh = instance(names, settings)) {
      assertSameAnswers(fresh, "fresh instance, " + state);
    }
  }

  private void assertSameAnswers(Connection c, String who) throws SQLException {
    try (Connection ref = f.shards.reference()) {
      SameAnswers.assertSame(c, ref, who, SCALARS, MULTISETS, ORDERED);
    }
  }

  private long rowsOnShards() throws SQLException {
    long n = 0;
    for (Map.Entry<Integer, List<Long>> e : f.idsPerShard("users", 5).entrySet()) {
      n += e.getValue().size();
    }
    return n;
  }
}
