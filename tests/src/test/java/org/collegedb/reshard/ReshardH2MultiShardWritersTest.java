package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In-memory H2 shards, three writers each renaming a third of the users (those with {@code MOD(id, 3) = w}, rows of
 * every shard) in one statement, again and again with a pause of {@value #PAUSE_MILLIS} ms, while a reshard adds a
 * fifth shard and another drains it (the pair repeated {@code -Dh2multishard.rounds} times, default 1). The pause keeps
 * the writers within what the catch-up applies on a busy machine: unpaced, with 300 users, three writers wrote 19,700
 * changes a second under three busy cores and the catch-up fell behind for good (then, before the sequencer read its
 * index, it filled a CI test JVM's heap); a reshard outpaced by its writers is {@code ReshardSwitchBoundTest}'s
 * subject, and stops here after a minute. Every statement must succeed and count exactly its writer's users; afterwards
 * every user is on exactly one shard, with the last name its writer gave it, and {@code verify} finds nothing. Before
 * writes of several H2 shards ran in shard order ({@code run.WriteOrder}), writers running their shards in parallel
 * each held one shard's fence row and waited for another's, until H2's lock timeout: {@code Timeout trying to lock
 * table "COLLEGEDB_MAP_VERSION"}, in the writers and in the reshard's raise (or its probe) behind them. What is left:
 * within one H2 shard, a write holds the rows it has locked while its trigger waits for the fence row, so a writer (or
 * the reshard's batch of copies, which takes rows in the change log's order) that holds the fence row and wants such a
 * row closes a cycle; H2 detects it at once and rolls one statement back ({@code 40001 Deadlock detected}). Such
 * statements (seen: 1 in some 750) are counted, bounded and left out of the checks: the statement is rolled back on
 * every shard, so each user keeps the name of its writer's last successful statement.
 */
@ExtendWith(FastMapChecks.class)
class ReshardH2MultiShardWritersTest {
  private static final int USERS = 90;
  /** Between two statements of a writer (see the class comment). */
  private static final long PAUSE_MILLIS = 10;
  private static final int WRITERS = 3;

  @Test
  void writersOfEveryShardInOneStatementWhileReshardsAddAndDrainAShard() throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(Backend.H2, "h2_multishard", USERS);
    List<Renamer> writers = new ArrayList<>();
    try (Connection admin = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
      for (int w = 0; w < WRITERS; w++) {
        writers.add(new Renamer(f.config(ReshardFixture.names(1, 5), "planCacheSize", "20" + w), w));
      }
      Thread.sleep(200);
      List<String> switches = new ArrayList<>();
      int rounds = Integer.getInteger("h2multishard.rounds", 1);
      for (int round = 0; round < rounds; round++) {
        for (boolean drain : new boolean[] {false, true}) {
          // a catch-up the writers outpace fails in a minute, with its rates, rather than fill the heap with the log
          Properties p = drain
              ? f.config(ReshardFixture.names(1, 5), "shards.s5.drain", "true", "reshard.maxCatchUpSeconds", "60")
              : f.config(ReshardFixture.names(1, 5), "reshard.maxCatchUpSeconds", "60");
          try (Connection c = ReshardFixture.connect(p)) {
            Reshard.Result r = CollegeAdmin.of(c).reshard(ReshardFixture.options(), null);
            assertThat(r.state()).as(r.text()).isEqualTo("done");
            switches.add((drain ? "drain " : "add ") + r.switchMillis() + " ms");
          } catch (SQLException e) {
            for (Renamer w : writers) {
              for (Throwable t : w.failures) {
                e.addSuppressed(t); // what the writers met while the reshard failed
              }
            }
            throw e;
          }
        }
      }
      Thread.sleep(200);
      for (Renamer w : writers) {
        w.close();
      }
      long statements = writers.stream().mapToLong(w -> w.done.get()).sum();
      System.out.printf("h2 multi-shard writers: %d statements, switches %s, failures %s, deadlocks found by H2 %s%n",
          statements, switches, writers.stream().map(w -> w.failures.size()).toList(),
          writers.stream().map(w -> w.deadlocks.get()).toList());
      for (Renamer w : writers) {
        assertThat(w.failures).as("failed writes of writer %d", w.writer).isEmpty();
        assertThat(w.deadlocks.get()).as("statements of writer %d that H2 found in a deadlock", w.writer)
            .isLessThanOrEqualTo(1 + w.done.get() / 50);
        assertThat(w.wrongCounts).as("counts other than %d of writer %d", w.expected, w.writer).isEmpty();
        assertThat(w.done.get()).as("statements of writer %d", w.writer).isGreaterThan(10);
      }
      java.util.Set<Long> all = new java.util.TreeSet<>();
      for (long id = 1; id <= USERS; id++) {
        all.add(id);
      }
      f.assertExactlyOnce("users", 5, all);
      f.assertExactlyOnce("orders", 5, all.stream().map(id -> id * 10).collect(java.util.stream.Collectors.toSet()));
      for (int i = 0; i < 5; i++) {
        try (Connection d = f.shards.direct(i); Statement s = d.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name FROM users")) {
          while (rs.next()) {
            long id = rs.getLong(1);
            Renamer w = writers.get((int) (id % WRITERS));
            assertThat(rs.getString(2)).as("user %d on s%d", id, i + 1).isEqualTo(w.name(w.last));
          }
        }
      }
      ReshardFixture.assertVerified(admin);
    } finally {
      for (Renamer w : writers) {
        w.close();
      }
    }
  }

  /** A thread renaming the users with {@code MOD(id, 3) = writer} in one statement, until closed. */
  private static final class Renamer implements AutoCloseable {
    final int writer;
    final long expected;
    final AtomicLong done = new AtomicLong();
    /** Statements H2 rolled back at once as a deadlock within one shard (see the class comment): not failures here. */
    final AtomicLong deadlocks = new AtomicLong();
    final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    final List<Long> wrongCounts = Collections.synchronizedList(new ArrayList<>());
    volatile long last = -1;
    private volatile boolean stop;
    private final Thread thread;

    Renamer(Properties config, int writer) {
      this.writer = writer;
      long n = 0;
      for (long id = 1; id <= USERS; id++) {
        n += id % WRITERS == writer ? 1 : 0;
      }
      this.expected = n;
      thread = new Thread(() -> {
        try (Connection c = ReshardFixture.connect(config);
             PreparedStatement u = c.prepareStatement("UPDATE users SET name = ? WHERE MOD(id, 3) = ?")) {
          for (long i = 0; !stop; i++) {
            u.setString(1, name(i));
            u.setInt(2, writer);
            try {
              int count = u.executeUpdate();
              if (count != expected) {
                wrongCounts.add((long) count);
              }
              last = i;
              done.incrementAndGet();
            } catch (SQLException e) {
              if ("40001".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("Deadlock detected")) {
                deadlocks.incrementAndGet(); // rolled back on every shard: the names are the last statement's
              } else {
                failures.add(e);
              }
            }
            try {
              Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
              return;
            }
          }
        } catch (SQLException e) {
          failures.add(e);
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    String name(long i) {
      return "w" + writer + "-" + i;
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(30_000);
    }
  }
}
