package org.collegedb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.collegedb.testing.FaultProxy;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An UPDATE of the shard key moves the row in one atomic transaction: a shard cut at any step leaves the row on
 * exactly one shard, read directly: the old one if the move failed, the new one if it committed.
 */
class KeyMoveFaultsTest {

  /** Where the row with key {@code id} is, read directly on both shards: [count on s1, count on s2]. */
  private static long[] copies(ProxiedShards ps, long id) throws SQLException {
    String sql = "SELECT COUNT(*) FROM accounts WHERE id = " + id;
    return new long[] {ps.directLong(0, sql), ps.directLong(1, sql)};
  }

  private static long[] keys(ProxiedShards ps) throws SQLException {
    try (Connection c = ps.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
      long old = ProxiedShards.keysOn(c, "accounts", 0, 1, 1).get(0);
      long moved = ProxiedShards.keysOn(c, "accounts", 1, 1, 1000).get(0);
      s.executeUpdate("INSERT INTO accounts VALUES (" + old + ", 100)");
      return new long[] {old, moved};
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void aMoveCutBeforeItCommitsLeavesTheRowOnItsOldShardOnly(Backend backend) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltKeyMove", 2, "tables.accounts.key", "id")) {
      long[] k = keys(ps);
      String move = "UPDATE accounts SET id = " + k[1] + " WHERE id = " + k[0];
      try (Connection c = ps.connect(); Statement s = c.createStatement()) {
        // the new shard is cut as the row is inserted there
        ps.proxy(1).cutWhenClientSends("INSERT INTO accounts", FaultProxy.Cut.BEFORE_SERVER, true);
        assertThatThrownBy(() -> s.executeUpdate(move)).isInstanceOf(SQLException.class)
            .hasMessageContaining("shard 's2'");
        assertThat(ps.proxy(1).triggered()).isEqualTo(1);
        assertThat(copies(ps, k[0])).containsExactly(1, 0);
        assertThat(copies(ps, k[1])).containsExactly(0, 0);

        // the new shard is cut at the first phase of the commit
        ps.heal();
        ps.proxy(1).cutWhenClientSends(backend == Backend.POSTGRES ? "PREPARE TRANSACTION" : "XA PREPARE",
            FaultProxy.Cut.BEFORE_SERVER, true);
        assertThatThrownBy(() -> s.executeUpdate(move)).isInstanceOf(SQLException.class)
            .hasMessageContaining("shard 's2'");
        assertThat(ps.proxy(1).triggered()).isEqualTo(2);
        assertThat(copies(ps, k[0])).containsExactly(1, 0);
        assertThat(copies(ps, k[1])).containsExactly(0, 0);

        // cut after the decision: the move stands, finished on a new connection
        ps.heal();
        ps.proxy(1).cutWhenClientSends(backend == Backend.POSTGRES ? "COMMIT PREPARED" : "XA COMMIT",
            FaultProxy.Cut.BEFORE_SERVER, true);
        assertThat(s.executeUpdate(move)).isEqualTo(1);
        assertThat(ps.proxy(1).triggered()).isEqualTo(3);
      }
      assertThat(copies(ps, k[0])).containsExactly(0, 0);
      assertThat(copies(ps, k[1])).containsExactly(0, 1);
      assertThat(ps.directLong(1, "SELECT balance FROM accounts WHERE id = " + k[1])).isEqualTo(100);
      assertThat(ps.prepared(1)).isZero();
    }
  }
}
