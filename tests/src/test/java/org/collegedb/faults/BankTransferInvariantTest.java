package org.collegedb.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.collegedb.internal.execute.InDoubtResolver;
import org.collegedb.testing.FaultProxy;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bank-transfer invariant under shard failures. Accounts are spread over 4 PostgreSQL or MariaDB shards; 8 threads move money
 * between random accounts (mostly on different shards), each transfer one transaction that updates both balances and
 * writes a ledger row beside each account; meanwhile the proxies kill shards, cut connections at {@code COMMIT} and
 * at {@code PREPARE TRANSACTION} / {@code XA PREPARE}, at random. After recovery, read directly from each shard:
 *
 * <ul>
 *   <li>the total of the balances is unchanged;</li>
 *   <li>every transfer is all or nothing: its two ledger rows both exist or neither does, and each account's balance
 *       equals its opening balance plus its ledger rows;</li>
 *   <li>every transfer whose {@code commit()} returned is there, every one whose commit said "rolled back" is not.</li>
 * </ul>
 *
 * <p>The CI run lasts {@value #DEFAULT_SECONDS} seconds per backend; {@code -Dcollegedb.bank.seconds=600} runs longer.
 */
class BankTransferInvariantTest {
  static final int DEFAULT_SECONDS = 10;
  private static final int SHARDS = 4;
  private static final int ACCOUNTS_PER_SHARD = 8;
  private static final long OPENING = 1_000;

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void moneyIsNeitherMadeNorLostWhileShardsFail(Backend backend) throws Exception {
    int seconds = Integer.getInteger("collegedb.bank.seconds", DEFAULT_SECONDS);
    try (ProxiedShards ps = new ProxiedShards(backend, "FltBank", SHARDS, "tables.accounts.key", "id",
        "tables.ledger.key", "account", "transactions.recoveryInterval", "1")) {
      List<Long> accounts = new ArrayList<>();
      try (Connection c = ps.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
        s.execute("CREATE TABLE ledger (transfer BIGINT NOT NULL, account BIGINT NOT NULL, amount BIGINT NOT NULL, "
            + "PRIMARY KEY (transfer, account))");
        for (int shard = 0; shard < SHARDS; shard++) {
          accounts.addAll(ProxiedShards.keysOn(c, "accounts", shard, ACCOUNTS_PER_SHARD, 1));
        }
        for (long a : accounts) {
          s.executeUpdate("INSERT INTO accounts VALUES (" + a + ", " + OPENING + ")");
        }
      }
      Map<Long, String> outcomes = new ConcurrentHashMap<>(); // transfer -> committed / rolled back / unknown
      AtomicLong ids = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger failures = new AtomicInteger();
      ExecutorService threads = Executors.newFixedThreadPool(9);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        long seed = 1000 + t;
        work.add(threads.submit(() -> transfers(ps, accounts, seed, ids, outcomes, stop, failures)));
      }
      work.add(threads.submit(() -> chaos(ps, stop, backend)));
      Thread.sleep(seconds * 1000L);
      stop.set(true);
      for (Future<?> f : work) {
        f.get(120, TimeUnit.SECONDS);
      }
      threads.shutdown();
      ps.heal();
      InDoubtResolver.resolveNow(ps.config());
      for (int shard = 0; shard < SHARDS; shard++) {
        assertThat(ps.prepared(shard)).as("nothing left prepared on s%d", shard + 1).isZero();
      }

      long total = 0;
      Map<Long, Long> balances = new HashMap<>();
      Map<Long, List<long[]>> ledger = new HashMap<>(); // transfer -> [account, amount]
      for (int shard = 0; shard < SHARDS; shard++) {
        try (Connection d = ps.shards.direct(shard); Statement s = d.createStatement()) {
          try (ResultSet rs = s.executeQuery("SELECT id, balance FROM accounts")) {
            while (rs.next()) {
              balances.put(rs.getLong(1), rs.getLong(2));
              total += rs.getLong(2);
            }
          }
          try (ResultSet rs = s.executeQuery("SELECT transfer, account, amount FROM ledger")) {
            while (rs.next()) {
              ledger.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                  .add(new long[] {rs.getLong(2), rs.getLong(3)});
            }
          }
        }
      }
      long committed = outcomes.values().stream().filter("committed"::equals).count();
      System.out.printf("bank %s, %d s: %d transfers tried, %d committed, %d failed, %d in doubt; total %d%n", backend,
          seconds, outcomes.size(), committed, failures.get(),
          outcomes.values().stream().filter("unknown"::equals).count(), total);
      assertThat(committed).as("transfers committed (of %d tried)", outcomes.size()).isPositive();
      assertThat(failures.get()).as("transfers that failed while shards failed").isPositive();
      assertThat(balances).hasSize(accounts.size());
      assertThat(total).as("the total of all balances").isEqualTo(OPENING * accounts.size());
      Map<Long, Long> fromLedger = new HashMap<>();
      for (Map.Entry<Long, List<long[]>> e : ledger.entrySet()) {
        assertThat(e.getValue()).as("transfer %d is all or nothing", e.getKey()).hasSize(2);
        assertThat(e.getValue().get(0)[1] + e.getValue().get(1)[1]).isZero();
        for (long[] row : e.getValue()) {
          fromLedger.merge(row[0], row[1], Long::sum);
        }
      }
      for (long a : accounts) {
        assertThat(balances.get(a)).as("account %d = opening + its ledger", a)
            .isEqualTo(OPENING + fromLedger.getOrDefault(a, 0L));
      }
      for (Map.Entry<Long, String> e : outcomes.entrySet()) {
        if (e.getValue().equals("committed")) {
          assertThat(ledger).as("committed transfer %d", e.getKey()).containsKey(e.getKey());
        } else if (e.getValue().equals("rolled back")) {
          assertThat(ledger).as("rolled-back transfer %d", e.getKey()).doesNotContainKey(e.getKey());
        }
      }
    }
  }

  private static Void transfers(ProxiedShards ps, List<Long> accounts, long seed, AtomicLong ids,
      Map<Long, String> outcomes, AtomicBoolean stop, AtomicInteger failures) throws Exception {
    Random random = new Random(seed);
    Connection c = null;
    while (!stop.get()) {
      try {
        if (c == null) {
          c = ps.connect();
          c.setAutoCommit(false);
        }
      } catch (SQLException e) {
        Thread.sleep(50);
        continue;
      }
      long a = accounts.get(random.nextInt(accounts.size()));
      long b = accounts.get(random.nextInt(accounts.size()));
      if (a == b) {
        continue;
      }
      long amount = 1 + random.nextInt(50);
      long id = ids.incrementAndGet();
      String outcome;
      try {
        // lock in one global order (by id) so that transfers cannot deadlock across shards
        update(c, Math.min(a, b), a < b ? -amount : amount);
        update(c, Math.max(a, b), a < b ? amount : -amount);
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO ledger VALUES (?, ?, ?), (?, ?, ?)")) {
          ins.setQueryTimeout(5);
          ins.setLong(1, id);
          ins.setLong(2, a);
          ins.setLong(3, -amount);
          ins.setLong(4, id);
          ins.setLong(5, b);
          ins.setLong(6, amount);
          ins.executeUpdate();
        }
      } catch (SQLException e) {
        failures.incrementAndGet();
        c.rollback();
        outcomes.put(id, "rolled back");
        continue;
      }
      try {
        c.commit();
        outcome = "committed";
      } catch (SQLException e) {
        failures.incrementAndGet();
        outcome = "08007".equals(e.getSQLState()) ? "unknown" : "rolled back";
        c.rollback();
      }
      outcomes.put(id, outcome);
    }
    if (c != null) {
      c.close();
    }
    return null;
  }

  private static void update(Connection c, long account, long delta) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
      ps.setQueryTimeout(5);
      ps.setLong(1, delta);
      ps.setLong(2, account);
      if (ps.executeUpdate() != 1) {
        throw new AssertionError("account " + account + " not updated");
      }
    }
  }

  /** Every 100-400 ms, one of: kill a shard for a moment, cut a shard at COMMIT, cut one at PREPARE TRANSACTION. */
  private static Void chaos(ProxiedShards ps, AtomicBoolean stop, Backend backend) throws Exception {
    String prepare = backend == Backend.POSTGRES ? "PREPARE TRANSACTION" : "XA PREPARE";
    Random random = new Random(7);
    while (!stop.get()) {
      Thread.sleep(100 + random.nextInt(300));
      FaultProxy p = ps.proxy(random.nextInt(SHARDS));
      switch (random.nextInt(4)) {
        case 0 -> {
          p.kill();
          Thread.sleep(50 + random.nextInt(200));
          p.forward();
        }
        case 1 -> p.cutWhenClientSends("COMMIT", random.nextBoolean() ? FaultProxy.Cut.BEFORE_SERVER
            : FaultProxy.Cut.BEFORE_ANSWER, true);
        case 2 -> p.cutWhenClientSends(prepare, random.nextBoolean() ? FaultProxy.Cut.BEFORE_SERVER
            : FaultProxy.Cut.BEFORE_ANSWER, true);
        default -> p.cutAll();
      }
    }
    return null;
  }
}
