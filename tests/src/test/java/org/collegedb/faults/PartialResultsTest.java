package org.collegedb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Opt-in partial results: with {@code partialResults=true} or the hint {@code partial_results}, a read on several
 * shards skips a shard that cannot be reached and returns the others' rows with a warning naming it. Off by default
 * (the read fails naming the shard), never for writes, never in a transaction.
 */
class PartialResultsTest {

  /** Three shards, {@code items} sharded by id, 4 rows on each; returns the keys per shard. */
  private static List<List<Long>> items(ProxiedShards ps) throws SQLException {
    List<List<Long>> keys = new ArrayList<>();
    try (Connection c = ps.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, qty INT NOT NULL)");
      for (int shard = 0; shard < 3; shard++) {
        List<Long> on = ProxiedShards.keysOn(c, "items", shard, 4, 1);
        keys.add(on);
        for (long k : on) {
          s.executeUpdate("INSERT INTO items VALUES (" + k + ", 1)");
        }
      }
    }
    return keys;
  }

  private static List<Long> ids(ResultSet rs) throws SQLException {
    List<Long> ids = new ArrayList<>();
    while (rs.next()) {
      ids.add(rs.getLong(1));
    }
    return ids;
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void aReadSkipsAShardThatCannotBeReachedOnlyWhenAskedTo(Backend backend) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltPartial", 3, "tables.items.key", "id")) {
      List<List<Long>> keys = items(ps);
      // A configuration's first connection checks every shard: open both before s2 goes away
      try (Connection c = ps.connect(); Connection partial = ps.connect("partialResults", "true")) {
        ps.proxy(1).kill();
        readsWithS2Gone(ps, keys, c, partial);
      }
      for (int shard = 0; shard < 3; shard++) {
        assertThat(ps.directLong(shard, "SELECT SUM(qty) FROM items")).as("no write ran").isEqualTo(4);
      }
    }
  }

  private static void readsWithS2Gone(ProxiedShards ps, List<List<Long>> keys, Connection c, Connection partial)
      throws SQLException {
    List<Long> reachable = new ArrayList<>(keys.get(0));
    reachable.addAll(keys.get(2));
    try (Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT id FROM items")).as("off by default")
          .isInstanceOf(SQLException.class).hasMessageContaining("shard 's2'")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));

      try (ResultSet rs = s.executeQuery("/*+ collegedb partial_results */ SELECT id FROM items")) {
        assertThat(ids(rs)).containsExactlyInAnyOrderElementsOf(reachable);
        assertSkippedS2(rs.getWarnings());
        assertSkippedS2(s.getWarnings());
      }
      try (ResultSet rs = s.executeQuery("/*+ collegedb partial_results */ SELECT SUM(qty) FROM items")) {
        rs.next();
        assertThat(rs.getLong(1)).as("merged over the reachable shards").isEqualTo(8);
        assertSkippedS2(rs.getWarnings());
      }
      }
    try (Statement s = partial.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT id FROM items ORDER BY id")) {
        assertThat(ids(rs)).containsExactlyElementsOf(reachable.stream().sorted().toList());
        assertSkippedS2(rs.getWarnings());
      }
      try (ResultSet rs = s.executeQuery("SELECT id FROM items WHERE id = " + keys.get(0).get(0))) {
        assertThat(ids(rs)).containsExactly(keys.get(0).get(0));
        assertThat((Object) rs.getWarnings()).as("the read did not need s2").isNull();
      }
      assertThatThrownBy(() -> s.executeUpdate("UPDATE items SET qty = 2")).as("never for writes")
          .isInstanceOf(SQLException.class).hasMessageContaining("shard 's2'");
      partial.setAutoCommit(false);
      assertThatThrownBy(() -> s.executeQuery("SELECT id FROM items")).as("never in a transaction")
          .isInstanceOf(SQLException.class).hasMessageContaining("shard 's2'");
      partial.rollback();
      partial.setAutoCommit(true);
      ps.heal();
      try (ResultSet rs = s.executeQuery("SELECT id FROM items")) {
        assertThat(ids(rs)).hasSize(12);
        assertThat((Object) rs.getWarnings()).as("every shard answered").isNull();
      }
    }
  }

  private static void assertSkippedS2(SQLWarning w) {
    assertThat((Object) w).isNotNull();
    assertThat(w.getMessage()).contains("[s2]").contains("skipped").doesNotContain("s1").doesNotContain("s3");
    assertThat(w.getSQLState()).isEqualTo("01000");
  }
}
