package org.collegedb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import org.collegedb.internal.execute.InDoubtResolver;
import org.collegedb.testing.FaultProxy;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shards that die, hang or come back, through a {@link FaultProxy} in front of each PostgreSQL or MariaDB shard. Each
 * case checks the error (SQLState, the shard named), what the connection can do afterwards, and the rows on every
 * shard, read directly.
 */
class ShardFaultsTest {

  /** Two shards, {@code accounts} sharded by id, one account of balance 100 on each; returns [key on s1, key on s2]. */
  private static long[] accounts(ProxiedShards ps) throws SQLException {
    try (Connection c = ps.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
      long k1 = ProxiedShards.keysOn(c, "accounts", 0, 1, 1).get(0);
      long k2 = ProxiedShards.keysOn(c, "accounts", 1, 1, 1).get(0);
      s.executeUpdate("INSERT INTO accounts VALUES (" + k1 + ", 100), (" + k2 + ", 100)");
      return new long[] {k1, k2};
    }
  }

  private static long balance(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("account %s exists", id).isTrue();
        return rs.getLong(1);
      }
    }
  }

  private static void move(Connection c, long from, long to, long amount) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
      ps.setLong(1, -amount);
      ps.setLong(2, from);
      assertThat(ps.executeUpdate()).isEqualTo(1);
      ps.setLong(1, amount);
      ps.setLong(2, to);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  /** The balances on s1 and s2, read directly from each shard. */
  private static long[] direct(ProxiedShards ps, long[] k) throws SQLException {
    return new long[] {ps.directLong(0, "SELECT balance FROM accounts WHERE id = " + k[0]),
        ps.directLong(1, "SELECT balance FROM accounts WHERE id = " + k[1])};
  }

  private static String state(Throwable e) {
    return ((SQLException) e).getSQLState();
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void aShardThatIsDownCostsOnlyItsOwnStatementsAndIsUsedAgainWhenBack(Backend backend) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltDown", 2, "tables.accounts.key", "id")) {
      long[] k = accounts(ps);
      ps.proxy(1).kill();
      try (Connection c = ps.connect()) { // connects: no shard is needed yet
        assertThat(balance(c, k[0])).isEqualTo(100);
        assertThatThrownBy(() -> balance(c, k[1])).isInstanceOf(SQLException.class)
            .hasMessageContaining("shard 's2'").satisfies(e -> assertThat(state(e)).startsWith("08"));
        assertThat(c.isValid(2)).isTrue();
        c.setAutoCommit(false);
        c.rollback();
        c.setAutoCommit(true);
        assertThat(c.getAutoCommit()).isTrue();
        ps.heal();
        assertThat(balance(c, k[1])).as("the same connection reaches s2 once it is back").isEqualTo(100);
      }
      assertThat(direct(ps, k)).containsExactly(100, 100);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void aCutConnectionIsReplacedOnTheNextStatement(Backend backend) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltCut", 2, "tables.accounts.key", "id")) {
      long[] k = accounts(ps);
      try (Connection c = ps.connect()) {
        assertThat(balance(c, k[1])).isEqualTo(100);
        ps.proxy(1).cutAll();
        assertThatThrownBy(() -> balance(c, k[1])).isInstanceOf(SQLException.class)
            .hasMessageContaining("shard 's2'").satisfies(e -> assertThat(state(e)).startsWith("08"));
        assertThat(balance(c, k[1])).as("outside a transaction, the next statement reconnects").isEqualTo(100);

        c.setAutoCommit(false);
        move(c, k[0], k[1], 5);
        ps.proxy(1).cutAll();
        assertThatThrownBy(() -> balance(c, k[1])).isInstanceOf(SQLException.class)
            .hasMessageContaining("shard 's2'").satisfies(e -> assertThat(state(e)).startsWith("08"));
        assertThat(c.isValid(2)).as("the transaction lost a shard").isFalse();
        assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).hasMessageContaining("shard 's2'");
        c.rollback(); // always succeeds
        assertThat(c.isValid(2)).isTrue();
        assertThat(balance(c, k[0])).isEqualTo(100);
        assertThat(balance(c, k[1])).isEqualTo(100);
        c.setAutoCommit(true);
      }
      assertThat(direct(ps, k)).as("nothing of the broken transaction landed").containsExactly(100, 100);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void aCutWhileRowsStreamNamesTheShard(Backend backend) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltStream", 2)) {
      try (Connection d = ps.shards.direct(1); Statement s = d.createStatement()) {
        s.execute("CREATE TABLE events (id BIGINT, pad VARCHAR(300))");
        s.execute(backend == Backend.POSTGRES
            ? "INSERT INTO events SELECT g, repeat('x', 300) FROM generate_series(1, 20000) g"
            : "INSERT INTO events SELECT seq, repeat('x', 300) FROM seq_1_to_20000");
      }
      try (Connection d = ps.shards.direct(0); Statement s = d.createStatement()) {
        s.execute("CREATE TABLE events (id BIGINT, pad VARCHAR(300))");
        s.execute("INSERT INTO events VALUES (0, 'first')");
      }
      try (Connection c = ps.connect()) {
        c.setAutoCommit(false); // PostgreSQL streams with a fetch size only in a transaction
        int read = 0;
        try (Statement s = c.createStatement()) {
          s.setFetchSize(50);
          ResultSet rs = s.executeQuery("SELECT id, pad FROM events");
          for (; read < 100 && rs.next(); read++) {
            assertThat(rs.getLong(1)).isNotNegative();
          }
          ps.proxy(1).cutAll();
          int[] more = {0};
          assertThatThrownBy(() -> {
            while (rs.next()) {
              more[0]++;
            }
          }).isInstanceOf(SQLException.class).hasMessageContaining("shard 's2'")
              .satisfies(e -> assertThat(state(e)).startsWith("08"));
          assertThat(read + more[0]).isLessThan(20001);
        }
        c.rollback();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(20001);
        }
      }
      assertThat(ps.directLong(0, "SELECT COUNT(*) FROM events")).isEqualTo(1);
      assertThat(ps.directLong(1, "SELECT COUNT(*) FROM events")).isEqualTo(20000);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void aShardThatHangsIsCutOffAfterTheQueryTimeout(Backend backend) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltHang", 2, "tables.accounts.key", "id")) {
      long[] k = accounts(ps);
      try (Connection c = ps.connect()) {
        assertThat(balance(c, k[1])).isEqualTo(100);
        ps.proxy(1).blackHole();
        try (PreparedStatement st = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
          st.setQueryTimeout(1);
          st.setLong(1, k[1]);
          assertThatThrownBy(st::executeQuery).isInstanceOf(SQLException.class)
              .hasMessageContaining("shard 's2'").satisfies(e -> assertThat(state(e)).startsWith("08"));
        }
        assertThat(balance(c, k[0])).as("the other shard is not affected").isEqualTo(100);
        ps.heal();
        ps.proxy(1).cutAll(); // the hung server's sessions
        assertThat(balance(c, k[1])).isEqualTo(100);
      }
      assertThat(direct(ps, k)).containsExactly(100, 100);
    }
  }

  // ------------------------------------------------------------ atomic commit (two-phase)

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backendsAndCuts() {
    return java.util.stream.Stream.of(Backend.POSTGRES, Backend.MARIADB).flatMap(b -> java.util.Arrays.stream(
        FaultProxy.Cut.values()).map(c -> org.junit.jupiter.params.provider.Arguments.of(b, c)));
  }

  /** What a participant sends to prepare. */
  private static String prepare(Backend b) {
    return b == Backend.POSTGRES ? "PREPARE TRANSACTION" : "XA PREPARE";
  }

  /** What a participant sends in the second phase. */
  private static String commitPrepared(Backend b) {
    return b == Backend.POSTGRES ? "COMMIT PREPARED" : "XA COMMIT";
  }

  /** What carries the decision to the coordinator: its commit (PostgreSQL), the decision row (MariaDB). */
  private static String decision(Backend b) {
    return b == Backend.POSTGRES ? "COMMIT" : "INSERT INTO collegedb_commits";
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("backendsAndCuts")
  void aCutAtPrepareRollsBackEveryShard(Backend backend, FaultProxy.Cut cut) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltPrepare", 2, "tables.accounts.key", "id")) {
      long[] k = accounts(ps);
      try (Connection c = ps.connect()) {
        c.setAutoCommit(false);
        move(c, k[0], k[1], 10);
        ps.proxy(1).cutWhenClientSends(prepare(backend), cut, true);
        assertThatThrownBy(c::commit).isInstanceOf(SQLTransactionRollbackException.class)
            .hasMessageContaining("shard 's2'").hasMessageContaining("rolled back on every shard")
            .satisfies(e -> assertThat(state(e)).startsWith("08"));
        assertThat(ps.proxy(1).triggered()).isEqualTo(1);
        c.rollback();
        assertThat(balance(c, k[0])).isEqualTo(100);
        assertThat(balance(c, k[1])).isEqualTo(100);
        move(c, k[0], k[1], 1);
        c.commit(); // the connection goes on
      }
      assertThat(direct(ps, k)).containsExactly(99, 101);
      assertThat(ps.prepared(1)).as("nothing left prepared").isZero();
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("backendsAndCuts")
  void aCutAtTheCoordinatorsCommitGivesOneOutcomeOnEveryShard(Backend backend, FaultProxy.Cut cut) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltDecide", 2, "tables.accounts.key", "id")) {
      long[] k = accounts(ps);
      try (Connection c = ps.connect()) {
        c.setAutoCommit(false);
        move(c, k[0], k[1], 10);
        ps.proxy(0).cutWhenClientSends(decision(backend), cut, true);
        if (cut == FaultProxy.Cut.BEFORE_SERVER) {
          assertThatThrownBy(c::commit).isInstanceOf(SQLTransactionRollbackException.class)
              .hasMessageContaining("shard 's1'").hasMessageContaining("rolled back on every shard")
              .satisfies(e -> assertThat(state(e)).isEqualTo("40000"));
        } else {
          c.commit(); // the server committed, only its answer was lost: the decision row says so
        }
        assertThat(ps.proxy(0).triggered()).isEqualTo(1);
      }
      long[] expected = cut == FaultProxy.Cut.BEFORE_SERVER ? new long[] {100, 100} : new long[] {90, 110};
      assertThat(direct(ps, k)).containsExactly(expected);
      assertThat(ps.prepared(1)).isZero();
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("backendsAndCuts")
  void aCutAtCommitPreparedStillCommitsEveryShard(Backend backend, FaultProxy.Cut cut) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltPhase2", 2, "tables.accounts.key", "id")) {
      long[] k = accounts(ps);
      try (Connection c = ps.connect()) {
        c.setAutoCommit(false);
        move(c, k[0], k[1], 10);
        ps.proxy(1).cutWhenClientSends(commitPrepared(backend), cut, true);
        c.commit(); // decided: the participant is finished on a new connection
        assertThat(ps.proxy(1).triggered()).isEqualTo(1);
        assertThat(balance(c, k[1])).isEqualTo(110);
        c.commit();
      }
      assertThat(direct(ps, k)).containsExactly(90, 110);
      assertThat(ps.prepared(1)).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void aParticipantDownAfterTheDecisionIsFinishedByTheResolver(Backend backend) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltResolve", 2, "tables.accounts.key", "id",
        "transactions.recoveryInterval", "3600")) {
      long[] k = accounts(ps);
      try (Connection c = ps.connect()) {
        c.setAutoCommit(false);
        move(c, k[0], k[1], 10);
        ps.proxy(1).refuse(); // new connections to s2 fail; the open one goes on until the trigger
        ps.proxy(1).cutWhenClientSends(commitPrepared(backend), FaultProxy.Cut.BEFORE_SERVER, true);
        c.commit(); // the decision is durable on s1: the commit stands
      }
      assertThat(ps.directLong(0, "SELECT balance FROM accounts WHERE id = " + k[0])).isEqualTo(90);
      assertThat(ps.prepared(1)).as("s2's part waits, prepared").isEqualTo(1);
      ps.heal();
      assertThat(InDoubtResolver.resolveNow(ps.config())).isEqualTo(1);
      assertThat(direct(ps, k)).containsExactly(90, 110);
      assertThat(ps.prepared(1)).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void aCoordinatorLostBeforeTheDecisionIsRolledBackByTheResolver(Backend backend) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltUndecided", 2, "tables.accounts.key", "id",
        "transactions.recoveryInterval", "3600")) {
      long[] k = accounts(ps);
      try (Connection c = ps.connect()) {
        c.setAutoCommit(false);
        move(c, k[0], k[1], 10);
        ps.proxy(0).refuse();
        ps.proxy(0).cutWhenClientSends("INSERT INTO collegedb_", FaultProxy.Cut.BEFORE_SERVER, true);
        assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).hasMessageContaining("shard 's1'")
            .hasMessageContaining("in doubt").satisfies(e -> assertThat(state(e)).isEqualTo("08007"));
        c.rollback();
      }
      assertThat(ps.prepared(1)).isEqualTo(1);
      ps.heal();
      assertThat(InDoubtResolver.resolveNow(ps.config())).isEqualTo(backend == Backend.POSTGRES ? 1 : 2);
      assertThat(direct(ps, k)).containsExactly(100, 100);
      assertThat(ps.prepared(0)).isZero();
      assertThat(ps.prepared(1)).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void anAutoCommitFanOutWriteIsAtomicToo(Backend backend) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltFanOut", 2, "tables.accounts.key", "id")) {
      long[] k = accounts(ps);
      try (Connection c = ps.connect(); Statement s = c.createStatement()) {
        ps.proxy(1).cutWhenClientSends(prepare(backend), FaultProxy.Cut.BEFORE_ANSWER, true);
        assertThatThrownBy(() -> s.executeUpdate("UPDATE accounts SET balance = balance + 1"))
            .isInstanceOf(SQLException.class).hasMessageContaining("shard 's2'");
        assertThat(direct(ps, k)).as("neither shard changed").containsExactly(100, 100);
        assertThat(s.executeUpdate("UPDATE accounts SET balance = balance + 1")).isEqualTo(2);
      }
      assertThat(direct(ps, k)).containsExactly(101, 101);
      assertThat(ps.prepared(1)).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void bestEffortCommitsShardByShardAndSaysWhatWasPartial(Backend backend) throws Exception {
    try (ProxiedShards ps = new ProxiedShards(backend, "FltBestEffort", 2, "tables.accounts.key", "id",
        "transactions", "best-effort")) {
      long[] k = accounts(ps);
      try (Connection c = ps.connect()) {
        c.setAutoCommit(false);
        move(c, k[0], k[1], 10);
        ps.proxy(1).cutWhenClientSends("COMMIT", FaultProxy.Cut.BEFORE_SERVER, true);
        assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).hasMessageContaining("shard 's2'")
            .hasMessageContaining("[s1] had committed").satisfies(e -> assertThat(state(e)).isEqualTo("40003"));
      }
      assertThat(direct(ps, k)).containsExactly(90, 100);
    }
  }

}
