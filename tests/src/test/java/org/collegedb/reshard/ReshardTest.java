package org.collegedb.reshard;

import org.collegedb.internal.reshard.Reshard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** reshard on every backend: add a shard, drain one, abort, dry run; rows checked on each shard directly. */
@ExtendWith(FastMapChecks.class)
class ReshardTest {
  private static final int USERS = 300;

  private static Set<Long> ids(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void addsAFifthShardToFourMovingAFifthOfTheRows(Backend backend) throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(backend, "reshard_add", USERS);
    Map<Integer, List<Long>> before = f.idsPerShard("users", 4);
    try (Connection five = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
      // joining: accepted, but routed to only after the reshard
      assertThat(f.idsPerShard("users", 5).get(4)).isEmpty();
      Reshard.Result dry = CollegeAdmin.of(five).reshard(Reshard.Options.defaults().dryRun(true), null);
      assertThat(dry.state()).isEqualTo("planned");
      assertThat(dry.text()).contains("joining: [s5]", "s1 -> s5", "rows out");
      assertThat(f.mapVersion(0)).isEqualTo(1);

      Reshard.Result r = CollegeAdmin.of(five).reshard(ReshardFixture.options().batchSize(50), null);
      assertThat(r.state()).isEqualTo("done");
      for (int i = 0; i < 5; i++) {
        assertThat(f.mapVersion(i)).as("map version on s" + (i + 1)).isEqualTo(2);
      }
      Map<Integer, List<Long>> after = f.idsPerShard("users", 5);
      f.assertExactlyOnce("users", 5, ids(1, USERS));
      f.assertExactlyOnce("orders", 5, LongStream.rangeClosed(1, USERS).map(i -> i * 10).boxed()
          .collect(Collectors.toSet()));
      f.assertColocated(5);
      double moved = after.get(4).size() / (double) USERS;
      assertThat(moved).isBetween(0.12, 0.28);
      assertThat(r.rowsMoved()).isEqualTo(2L * after.get(4).size() + 3); // users, their orders, the countries
      for (int i = 0; i < 4; i++) { // only rows going to s5 moved
        assertThat(before.get(i)).containsAll(after.get(i));
      }
      assertThat(count(f, 4, "countries")).isEqualTo(3);
      ReshardFixture.assertVerified(five);
      // reads and writes through the new map
      ReshardFixture.insertUsers(five, USERS + 1, USERS + 50);
      ReshardFixture.assertVerified(five);
      assertThat(count(five, "users")).isEqualTo(USERS + 50);
      ReshardFixture.exec(five, "INSERT INTO countries (code, name) VALUES ('es', 'Spain')");
      assertThat(count(f, 4, "countries")).isEqualTo(4);
      // nothing left to do
      assertThat(CollegeAdmin.of(five).reshard(ReshardFixture.options(), null).state()).isEqualTo("unchanged");
    }
    // a new driver instance configured with the four shards is refused, and told what to add
    assertThatThrownBy(() -> ReshardFixture.connect(f.config(ReshardFixture.names(1, 4), "planCacheSize", "7")))
        .isInstanceOf(SQLException.class).hasMessageContaining("shards.s5.url");
    // the instance that started with the four shards (its map is version 1) is fenced: its write of a moved key is
    // refused on the old owner, it reads the new map and names what its configuration lacks
    long moved = f.idsPerShard("users", 5).get(4).get(0);
    try (Connection four = ReshardFixture.connect(f.config(ReshardFixture.names(1, 4)))) {
      assertThatThrownBy(() -> ReshardFixture.exec(four, "INSERT INTO users (id, name) VALUES (" + moved + ", 'x')"))
          .isInstanceOf(SQLException.class).hasMessageContaining("shards.s5.url");
    }
    try (Connection five = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
      assertThat(count(five, "users")).isEqualTo(USERS + 50);
      ReshardFixture.assertVerified(five);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void drainsAShardAndItCanThenLeaveTheConfiguration(Backend backend) throws Exception {
    ReshardFixture f = new ReshardFixture(backend, "reshard_drain", 4);
    try (Connection four = ReshardFixture.connect(f.config(ReshardFixture.names(1, 4)))) {
      f.createTables(four);
      ReshardFixture.insertUsers(four, 1, USERS);
    }
    try (Connection c = ReshardFixture.connect(f.config(ReshardFixture.names(1, 4), "shards.s2.drain", "true"))) {
      Reshard.Result r = CollegeAdmin.of(c).reshard(Reshard.Options.defaults().graceMillis(0), null);
      assertThat(r.state()).isEqualTo("done");
      assertThat(f.idsPerShard("users", 4).get(1)).isEmpty();
      f.assertExactlyOnce("users", 4, ids(1, USERS));
      f.assertColocated(4);
      ReshardFixture.assertVerified(c);
    }
    try (Connection three = ReshardFixture.connect(f.config(List.of("s1", "s3", "s4")))) {
      assertThat(count(three, "users")).isEqualTo(USERS);
      ReshardFixture.insertUsers(three, USERS + 1, USERS + 20);
      assertThat(f.idsPerShard("users", 4).get(1)).isEmpty();
      ReshardFixture.assertVerified(three);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void abortReturnsToTheStateBeforeIt(Backend backend) throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(backend, "reshard_abort", USERS);
    Map<Integer, List<Long>> before = f.idsPerShard("users", 5);
    try (Connection five = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
      assertThatThrownBy(() -> CollegeAdmin.of(five).reshard(ReshardFixture.options().stopAfter("catchup"), null))
          .isInstanceOf(Reshard.Stopped.class);
      assertThat(f.idsPerShard("users", 5).get(4)).isNotEmpty(); // copied, not switched
      Reshard.Result r = CollegeAdmin.of(five).reshard(ReshardFixture.options().abort(true), null);
      assertThat(r.state()).isEqualTo("aborted");
      assertThat(f.idsPerShard("users", 5)).isEqualTo(before);
      assertThat(f.idsPerShard("orders", 5).get(4)).isEmpty();
      assertThat(f.mapVersion(0)).isEqualTo(1);
      ReshardFixture.assertVerified(five);
      ReshardFixture.insertUsers(five, USERS + 1, USERS + 10); // writes go on under the old map
      f.assertExactlyOnce("users", 5, ids(1, USERS + 10));
      // and a new reshard then completes
      assertThat(CollegeAdmin.of(five).reshard(ReshardFixture.options(), null).state()).isEqualTo("done");
      f.assertExactlyOnce("users", 5, ids(1, USERS + 10));
      ReshardFixture.assertVerified(five);
    }
  }

  /**
   * Writers inserting increasing keys above the copy's position, more per copied batch than a batch holds, while the
   * first table is copied, do not keep that copy going: it ends at each table's last key when it started, and the rows inserted meanwhile reach their
   * new owner through the catch-up. Before, the copy read "the next batch after the last key" until none was left,
   * and here it never ended (the test gave up after 300 batches).
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aCopyEndsWhileWritersInsertKeysAboveIt(Backend backend) throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(backend, "reshard_tail", 100);
    try (Connection writer = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5), "planCacheSize", "17"));
         Connection five = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
      // 40 keys after each batch of the first table copied: about 10 per shard, batches of 5
      ReshardFixture.InsertsDuring insertAbove = new ReshardFixture.InsertsDuring("copy ", 300, writer, 101, 40,
          ReshardFixture::insertUsers);
      Reshard.Result r = CollegeAdmin.of(five).reshard(ReshardFixture.options().batchSize(5), insertAbove);
      assertThat(r.state()).isEqualTo("done");
      assertThat(insertAbove.batches).isLessThan(300);
      f.assertExactlyOnce("users", 5, ids(1, insertAbove.next - 1));
      f.assertColocated(5);
      ReshardFixture.assertVerified(five);
    }
  }

  static long count(Connection c, String table) throws SQLException {
    try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long count(ReshardFixture f, int shard, String table) throws SQLException {
    try (Connection d = f.shards.direct(shard)) {
      return count(d, table);
    }
  }
}
