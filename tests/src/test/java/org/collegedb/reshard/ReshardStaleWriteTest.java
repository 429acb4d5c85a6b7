package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Driver instances that keep the shard map they read before a reshard (they never saw a resharded cluster, so they do
 * not look for a newer map) update and delete keys the reshard moved, after the old copies were cleaned up: on the
 * old owner such a write matches no row (on SQLite and MariaDB no row trigger fires), yet the answer must be the new
 * owner's. Every count is checked, and every shard read directly.
 */
class ReshardStaleWriteTest {
  private static final int USERS = 80;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void staleInstancesUpdateAndDeleteMovedKeysOnTheirNewOwner(Backend backend) throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(backend, "reshard_stale", USERS);
    // four instances read the map (version 1) before the reshard; each keeps it in memory (their once-a-second map
    // check is held off, so that they are still stale when they write: the window this test is about)
    System.setProperty("collegedb.test.mapCheckMillis", "600000");
    try (Connection plain = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5), "planCacheSize", "13"));
         Connection deleter = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5), "planCacheSize", "16"));
         Connection prepared = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5), "planCacheSize", "14"));
         Connection inTx = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5), "planCacheSize", "15"))) {
      System.clearProperty("collegedb.test.mapCheckMillis");
      for (Connection c : List.of(plain, deleter, prepared, inTx)) {
        assertThat(ReshardTest.count(c, "users")).isEqualTo(USERS);
      }
      Map<Integer, List<Long>> after = f.addFifth();
      List<Long> moved = new ArrayList<>(after.get(4));
      assertThat(moved).hasSizeGreaterThanOrEqualTo(5);
      for (int i = 0; i < 4; i++) { // the old copies are gone
        assertThat(after.get(i)).doesNotContainAnyElementsOf(moved);
      }

      // auto-commit, plain statements: the right rows on s5, counts of 1
      long a = moved.get(0);
      long b = moved.get(1);
      try (Statement s = plain.createStatement()) {
        assertThat(s.executeUpdate("UPDATE users SET name = 'stale-a' WHERE id = " + a)).isEqualTo(1);
        assertThat(s.executeUpdate("UPDATE orders SET amount = 999 WHERE user_id = " + a)).isEqualTo(1);
        assertThat(s.executeUpdate("UPDATE users SET name = 'nobody' WHERE id = 999999")).isZero();
      }
      try (Statement s = deleter.createStatement()) { // its first statement after the reshard: a DELETE
        assertThat(s.executeUpdate("DELETE FROM users WHERE id = " + b)).isEqualTo(1);
      }
      assertThat(name(f, 4, a)).isEqualTo("stale-a");
      assertThat(amount(f, 4, a * 10)).isEqualTo(999);

      // auto-commit, prepared statements (a fresh stale instance)
      long c = moved.get(2);
      long d = moved.get(3);
      try (PreparedStatement u = prepared.prepareStatement("UPDATE users SET name = ? WHERE id = ?");
           PreparedStatement del = prepared.prepareStatement("DELETE FROM orders WHERE user_id = ?")) {
        del.setLong(1, d);
        assertThat(del.executeUpdate()).isEqualTo(1);
        u.setString(1, "stale-c");
        u.setLong(2, c);
        assertThat(u.executeUpdate()).isEqualTo(1);
      }
      assertThat(name(f, 4, c)).isEqualTo("stale-c");
      assertThat(amount(f, 4, d * 10)).isNull();

      // in a transaction: 40001, and after the rollback the transaction run again succeeds
      long e = moved.get(4);
      inTx.setAutoCommit(false);
      try (Statement s = inTx.createStatement()) {
        assertThatThrownBy(() -> s.executeUpdate("UPDATE users SET name = 'stale-e' WHERE id = " + e))
            .isInstanceOf(SQLException.class).satisfies(x -> assertThat(((SQLException) x).getSQLState())
                .isEqualTo("40001"));
        inTx.rollback();
        assertThat(s.executeUpdate("UPDATE users SET name = 'stale-e' WHERE id = " + e)).isEqualTo(1);
        inTx.commit();
      } finally {
        inTx.setAutoCommit(true);
      }
      assertThat(name(f, 4, e)).isEqualTo("stale-e");

      // nothing was written to an old owner, and every row is on exactly one shard
      Map<Integer, List<Long>> end = f.idsPerShard("users", 5);
      for (int i = 0; i < 4; i++) {
        assertThat(end.get(i)).as("users on s" + (i + 1)).isEqualTo(after.get(i));
        assertThat(end.get(i)).doesNotContainAnyElementsOf(moved);
      }
      assertThat(end.get(4)).doesNotContain(b).contains(a, c, d, e);
      java.util.Set<Long> expected = new java.util.TreeSet<>();
      for (long id = 1; id <= USERS; id++) {
        expected.add(id);
      }
      expected.remove(b);
      f.assertExactlyOnce("users", 5, expected);
      try (Connection admin = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
        ReshardFixture.assertVerified(admin);
      }
    }
  }

  private static String name(ReshardFixture f, int shard, long id) throws SQLException {
    try (Connection d = f.shards.direct(shard); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT name FROM users WHERE id = " + id)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static Long amount(ReshardFixture f, int shard, long orderId) throws SQLException {
    try (Connection d = f.shards.direct(shard); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT amount FROM orders WHERE id = " + orderId)) {
      return rs.next() ? rs.getLong(1) : null;
    }
  }
}
