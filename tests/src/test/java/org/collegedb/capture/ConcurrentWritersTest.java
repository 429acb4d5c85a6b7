package org.collegedb.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.collegedb.capture.CaptureDatabases.exec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.collegedb.capture.Change.Operation;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pitfall of positions taken inside writing transactions: A takes 10, B takes 11 and commits first, a reader
 * that acknowledged 11 never sees 10. Many writers hold their transactions open across several changes (and roll
 * some back) while two consumers read and acknowledge concurrently, one of them restarting now and then. Every
 * committed change must be seen exactly once by each consumer, in commit order for each key: the values of a
 * counter row, incremented by one per update, must come as 1, 2, 3, ... with nothing missing or repeated.
 */
class ConcurrentWritersTest {
  private static final int KEYS = 6;
  private static final int WRITERS = 4;
  /** Per writer: 20 on the servers (the property the pitfall is about), 10 on the embedded databases. */
  private static int transactions(Backend backend) {
    return backend == Backend.POSTGRES || backend == Backend.MARIADB ? 20 : 10;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void everyCommittedChangeIsSeenOnceInCommitOrderPerKey(Backend backend) throws Exception {
    TestShards db = CaptureDatabases.of(backend);
    try (Connection c = db.direct(0)) {
      ChangeCapture.uninstallAll(c);
      exec(c, "DROP TABLE IF EXISTS counters", "CREATE TABLE counters (id INTEGER NOT NULL PRIMARY KEY, "
          + "v BIGINT NOT NULL)");
      for (int k = 0; k < KEYS; k++) {
        exec(c, "INSERT INTO counters (id, v) VALUES (" + k + ", 0)");
      }
      ChangeCapture.install(c, "counters");
      ChangeCapture.consumer(c, "restarting");
      ChangeCapture.consumer(c, "steady");
    }
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
    AtomicBoolean writing = new AtomicBoolean(true);
    try {
      List<Future<Integer>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int id = w;
        writers.add(pool.submit(() -> write(db, backend, id)));
      }
      Future<List<Change>> restarting = pool.submit(() -> consume(db, backend, "restarting", writing, true));
      Future<List<Change>> steady = pool.submit(() -> consume(db, backend, "steady", writing, false));
      int rollbacks = 0;
      for (Future<Integer> w : writers) {
        rollbacks += w.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      List<Change> seen = restarting.get(60, TimeUnit.SECONDS);
      List<Change> seenToo = steady.get(60, TimeUnit.SECONDS);

      assertThat(rollbacks).isPositive();
      Map<Long, Long> finalValues = new HashMap<>();
      try (Connection c = db.direct(0); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT id, v FROM counters WHERE id < " + KEYS)) {
        while (rs.next()) {
          finalValues.put(rs.getLong(1), rs.getLong(2));
        }
      }
      checkOncePerCommitInOrder(seen, finalValues);
      assertThat(seenToo).isEqualTo(seen);
    } finally {
      writing.set(false);
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static void checkOncePerCommitInOrder(List<Change> seen, Map<Long, Long> finalValues) {
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i).position()).isGreaterThan(seen.get(i - 1).position());
    }
    Map<Long, List<Long>> values = new HashMap<>();
    Map<Long, List<Operation>> scratch = new HashMap<>();
    for (Change ch : seen) {
      long id = (Long) ch.key().get("id");
      if (id < KEYS) {
        assertThat(ch.operation()).isEqualTo(Operation.UPDATE);
        assertThat((Long) ch.before().get("v")).isEqualTo((Long) ch.after().get("v") - 1);
        values.computeIfAbsent(id, k -> new ArrayList<>()).add((Long) ch.after().get("v"));
      } else {
        scratch.computeIfAbsent(id, k -> new ArrayList<>()).add(ch.operation());
      }
    }
    long updates = 0;
    for (long k = 0; k < KEYS; k++) {
      long last = finalValues.get(k);
      List<Long> expected = new ArrayList<>();
      for (long v = 1; v <= last; v++) {
        expected.add(v);
      }
      assertThat(values.getOrDefault(k, List.of())).as("values of key %d in log order", k).isEqualTo(expected);
      updates += last;
    }
    assertThat(updates).isPositive();
    // Rows inserted and deleted in separate transactions: an INSERT, then a DELETE, each once.
    assertThat(scratch).isNotEmpty();
    assertThat(scratch.values()).allSatisfy(ops -> assertThat(ops).containsExactly(Operation.INSERT,
        Operation.DELETE));
  }

  /** Runs transactions of 1-3 increments in key order, with pauses inside; every fifth rolls back. */
  private static int write(TestShards db, Backend backend, int writer) throws Exception {
    Random random = new Random(writer * 7919L);
    int rollbacks = 0;
    try (Connection c = db.direct(0)) {
      c.setAutoCommit(false);
      try (PreparedStatement inc = c.prepareStatement("UPDATE counters SET v = v + 1 WHERE id = ?");
           PreparedStatement ins = c.prepareStatement("INSERT INTO counters (id, v) VALUES (?, -1)");
           PreparedStatement del = c.prepareStatement("DELETE FROM counters WHERE id = ?")) {
        for (int t = 0; t < transactions(backend); t++) {
          TreeSet<Integer> keys = new TreeSet<>();
          int n = 1 + random.nextInt(3);
          while (keys.size() < n) {
            keys.add(random.nextInt(KEYS));
          }
          boolean rollback = t % 5 == 4;
          long scratch = 1000L + writer * 1000L + t;
          retrying(backend, c, () -> {
            for (int k : keys) {
              inc.setInt(1, k);
              inc.executeUpdate();
              Thread.sleep(random.nextInt(2));
            }
            ins.setLong(1, scratch);
            ins.executeUpdate();
            if (rollback) {
              c.rollback();
            } else {
              c.commit();
            }
          });
          if (rollback) {
            rollbacks++;
          } else {
            retrying(backend, c, () -> {
              del.setLong(1, scratch);
              del.executeUpdate();
              c.commit();
            });
          }
        }
      }
    }
    return rollbacks;
  }

  interface Transaction {
    void run() throws Exception;
  }

  private static void retrying(Backend backend, Connection c, Transaction t) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        t.run();
        return;
      } catch (SQLException e) {
        c.rollback();
        if (!retryable(backend, e) || attempt > 50) {
          throw e;
        }
      }
    }
  }

  /** Lock conflicts the backends report instead of waiting (SQLite's busy database, lock timeouts, deadlocks). */
  private static boolean retryable(Backend backend, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return state.startsWith("40") || state.equals("HYT00") || backend == Backend.SQLITE
        && e.getMessage().contains("SQLITE_BUSY");
  }

  /** Reads and acknowledges until the writers are done and the log is drained; restarts every few batches. */
  private static List<Change> consume(TestShards db, Backend backend, String name, AtomicBoolean writing,
      boolean restart)
      throws Exception {
    List<Change> seen = Collections.synchronizedList(new ArrayList<>());
    Connection c = db.direct(0);
    try {
      ChangeConsumer consumer = ChangeCapture.consumer(c, name);
      int batches = 0;
      while (true) {
        boolean last = !writing.get();
        List<Change> batch;
        try {
          batch = consumer.poll(20);
          if (!batch.isEmpty()) {
            consumer.acknowledge(batch.get(batch.size() - 1));
          }
        } catch (SQLException e) {
          if (!retryable(backend, e)) {
            throw e;
          }
          consumer.rewind(); // SQLite's writers held the database: read again from the acknowledged position
          continue;
        }
        if (!batch.isEmpty()) {
          seen.addAll(batch);
          if (restart && ++batches % 3 == 0) {
            c.close();
            c = db.direct(0);
            consumer = ChangeCapture.consumer(c, name);
          }
        } else if (last) {
          return new ArrayList<>(seen);
        } else {
          Thread.sleep(5);
        }
      }
    } finally {
      c.close();
    }
  }
}
