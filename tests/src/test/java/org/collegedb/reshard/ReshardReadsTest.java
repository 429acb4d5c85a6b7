package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.fixtures.Rows;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reads while a reshard moves rows, in the states where shards hold rows they do not own: stopped after {@code copy}
 * (copies on the new owners) and after {@code published} (the old rows still on the old owners, before the cleanup).
 * Fan-out COUNT, SUM, plain rows, a co-located join and ORDER BY ... LIMIT through an instance that connected before
 * the reshard started and through a fresh one must equal one reference database holding the same rows; an instance
 * that connected before the first reshard and only reads finds every row by key and by fan-out once it is done.
 */
@ExtendWith(FastMapChecks.class)
class ReshardReadsTest {
  private static final int USERS = 120;
  private static final List<String> SCALARS = List.of("SELECT COUNT(*) FROM users", "SELECT SUM(amount) FROM orders");
  private static final List<String> MULTISETS = List.of("SELECT id, name FROM users",
      "SELECT u.id, o.amount FROM users u JOIN orders o ON o.user_id = u.id WHERE o.amount > 20",
      // a derived-table aggregate: partial aggregates on the shards, whose own fragment reads rows while they move
      "SELECT user_id, COUNT(*), SUM(amount) FROM (SELECT user_id, amount FROM orders) t GROUP BY user_id");
  private static final List<String> ORDERED = List.of("SELECT id, name FROM users ORDER BY id DESC LIMIT 7 OFFSET 3");
  private int instances = 100;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void addingAShard(Backend backend) throws Exception {
    ReshardFixture f = load(backend, "reshard_reads_add", 5);
    List<String> five = ReshardFixture.names(1, 5);
    try (Connection early = instance(f, five); Connection idle = instance(f, five);
         Connection admin = ReshardFixture.connect(f.config(five))) {
      Rows.count(early, "SELECT COUNT(*) FROM users");
      Rows.count(idle, "SELECT COUNT(*) FROM users"); // reads once, then not until the reshard is done
      stop(admin, ReshardFixture.options(), "copy");
      assertThat(f.idsPerShard("users", 5).get(4)).as("copies on the joining shard").isNotEmpty();
      checkBoth(f, early, five, "stopped after copy");
      stop(admin, ReshardFixture.options(), "published");
      assertThat(rowsOnShards(f, 5)).as("moved rows on old and new owners").isGreaterThan(USERS);
      checkBoth(f, early, five, "stopped after published");
      finish(admin);
      assertThat(rowsOnShards(f, 5)).isEqualTo(USERS);
      assertSameAnswers(f, early, "instance started before the reshard, done");
      assertEveryRowByKey(idle, "instance idle since before the reshard");
      assertSameAnswers(f, idle, "instance idle since before the reshard");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = "SQLITE")
  void drainingAShard(Backend backend) throws Exception {
    ReshardFixture f = load(backend, "reshard_reads_drain", 4);
    List<String> four = ReshardFixture.names(1, 4);
    try (Connection early = instance(f, four); Connection idle = instance(f, four);
         Connection admin = ReshardFixture.connect(f.config(four, "shards.s2.drain", "true"))) {
      Rows.count(early, "SELECT COUNT(*) FROM users");
      Rows.count(idle, "SELECT COUNT(*) FROM users");
      stop(admin, ReshardFixture.options(), "copy");
      // the drained shard's rows are copied to the other shards, which the old map's fan-out reads
      assertThat(rowsOnShards(f, 4)).as("copies on the targets").isGreaterThan(USERS);
      checkBoth(f, early, four, "stopped after copy");
      assertOwnershipFilterShown(early);
      stop(admin, ReshardFixture.options(), "published");
      assertThat(rowsOnShards(f, 4)).isGreaterThan(USERS);
      checkBoth(f, early, four, "stopped after published");
      finish(admin);
      assertThat(f.idsPerShard("users", 4).get(1)).isEmpty();
      assertSameAnswers(f, early, "instance started before the reshard, done");
      try (Connection fresh = instance(f, four)) { // the ranges in motion were cleared with the cleanup
        assertThat(ReshardFixture.plan(fresh, "SELECT id FROM users")).doesNotContain("owned-rows");
      }
      assertEveryRowByKey(idle, "instance idle since before the reshard");
      assertSameAnswers(f, idle, "instance idle since before the reshard");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = "H2")
  void rebalancing(Backend backend) throws Exception {
    ReshardFixture f = load(backend, "reshard_reads_rebalance", 4);
    List<String> four = ReshardFixture.names(1, 4);
    // s1 loses most of its rows: the rebalance moves ranges of the largest shard to it
    List<Long> onFirst = f.idsPerShard("users", 4).get(0);
    try (Connection c = ReshardFixture.connect(f.config(four)); Connection ref = f.shards.reference()) {
      for (int i = 0; i < onFirst.size() * 3 / 4; i++) {
        for (Connection x : List.of(c, ref)) {
          ReshardFixture.exec(x, "DELETE FROM orders WHERE user_id = " + onFirst.get(i),
              "DELETE FROM users WHERE id = " + onFirst.get(i));
        }
      }
    }
    long total = Rows.count(f.shards.reference(), "SELECT COUNT(*) FROM users");
    try (Connection early = instance(f, four); Connection idle = instance(f, four);
         Connection admin = ReshardFixture.connect(f.config(four))) {
      Rows.count(early, "SELECT COUNT(*) FROM users");
      Rows.count(idle, "SELECT COUNT(*) FROM users");
      Reshard.Options rebalance = ReshardFixture.options().rebalance("rows");
      stop(admin, rebalance, "copy");
      assertThat(rowsOnShards(f, 4)).as("copies on the smallest shard").isGreaterThan(total);
      checkBoth(f, early, four, "stopped after copy");
      assertOwnershipFilterShown(early);
      stop(admin, rebalance, "published");
      assertThat(rowsOnShards(f, 4)).isGreaterThan(total);
      checkBoth(f, early, four, "stopped after published");
      finish(admin);
      assertThat(rowsOnShards(f, 4)).isEqualTo(total);
      assertSameAnswers(f, early, "instance started before the reshard, done");
      assertEveryRowByKey(idle, "instance idle since before the reshard");
      assertSameAnswers(f, idle, "instance idle since before the reshard");
    }
  }

  // ---------------------------------------------------------------- helpers

  private static ReshardFixture load(Backend backend, String name, int shards) throws Exception {
    ReshardFixture f = new ReshardFixture(backend, name, shards);
    try (Connection c = ReshardFixture.connect(f.config(ReshardFixture.names(1, 4)))) {
      f.createTables(c);
      ReshardFixture.insertUsers(c, 1, USERS);
    }
    try (Connection ref = f.shards.reference()) {
      f.createTables(ref);
      ReshardFixture.insertUsers(ref, 1, USERS);
    }
    return f;
  }

  /** A driver instance of its own (a configuration no other connection of the JVM has). */
  private Connection instance(ReshardFixture f, List<String> names) throws SQLException {
    return ReshardFixture.connect(f.config(names, "planCacheSize", Integer.toString(instances++)));
  }

  private static void stop(Connection admin, Reshard.Options options, String step) {
    assertThatThrownBy(() -> CollegeAdmin.of(admin).reshard(options.stopAfter(step), null))
        .isInstanceOf(Reshard.Stopped.class);
  }

  /**
   * Runs the reshard to its end, with a grace (switch to cleanup) above the instances' map check interval but below
   * the default, to keep the test short.
   */
  private static void finish(Connection admin) throws SQLException {
    Reshard.Result r = CollegeAdmin.of(admin).reshard(ReshardFixture.options(), null);
    assertThat(r.state()).isEqualTo("done");
  }

  /** The answers through the instance that connected before the reshard, and through a fresh one. */
  private void checkBoth(ReshardFixture f, Connection early, List<String> names, String state) throws SQLException {
    assertSameAnswers(f, early, "instance started before the reshard, " + state);
    try (Connection fresh = instance(f, names)) {
      assertSameAnswers(f, fresh, "fresh instance, " + state);
    }
  }

  private static void assertSameAnswers(ReshardFixture f, Connection c, String who) throws SQLException {
    try (Connection ref = f.shards.reference()) {
      SameAnswers.assertSame(c, ref, who, SCALARS, MULTISETS, ORDERED);
    }
  }

  /** Every user of the reference found by key, with its name, through {@code c}. */
  private static void assertEveryRowByKey(Connection c, String who) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
      for (long id = 1; id <= USERS; id++) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            assertThat(rs.getString(1)).as(who + ": user " + id).isEqualTo("u" + id);
            assertThat(rs.next()).isFalse();
          }
        }
      }
    }
    assertThat(Rows.count(c, "SELECT COUNT(*) FROM users WHERE id <= " + USERS)).as(who)
        .isEqualTo(keyReads(c));
  }

  /** How many users single-key reads find. */
  private static long keyReads(Connection c) throws SQLException {
    long found = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE id = ?")) {
      for (long id = 1; id <= USERS; id++) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          found += rs.next() ? 1 : 0;
        }
      }
    }
    return found;
  }

  /** The plan of a fan-out read shows the ownership filter while shards hold copies. */
  private static void assertOwnershipFilterShown(Connection c) throws SQLException {
    assertThat(ReshardFixture.plan(c, "SELECT id FROM users")).contains("owned-rows key=[id]", "in motion)");
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("EXPLAIN COLLEGEDB SELECT COUNT(*) FROM users")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).startsWith("cross-shard");
    }
  }


  private static long rowsOnShards(ReshardFixture f, int shards) throws SQLException {
    long n = 0;
    for (Map.Entry<Integer, List<Long>> e : f.idsPerShard("users", shards).entrySet()) {
      n += e.getValue().size();
    }
    return n;
  }
}
