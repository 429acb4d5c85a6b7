package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.collegedb.SqlStates;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.capture.ChangeCapture;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.migrate.Operation;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reshard raises the fence only when the final catch-up is estimated to take at most {@code
 * reshard.maxSwitchMillis}: writers that outpace the catch-up make it stop, resumable, with 54000 after {@code
 * reshard.maxCatchUpSeconds} (before, it fenced with the whole backlog left, and writes waited for all of it); paced
 * writers let it finish with the estimate and the fenced time recorded. The sources' change logs are pruned up to the
 * applied position as the catch-up goes (before, they kept every change until the cleanup).
 */
@ExtendWith(FastMapChecks.class)
class ReshardSwitchBoundTest {
  private static final int USERS = 300;

  /**
   * Writers that outpace the catch-up: four threads, each renaming the users of one shard in every statement (some 75
   * rows: 75 changes to read, some 15 of them to apply), one statement after the other without a pause.
   */
  @Test
  void writersThatOutpaceTheCatchUpStopItResumably() throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(Backend.H2, "switch_outpaced", USERS);
    long version = f.mapVersion(0);
    Properties five = f.config(ReshardFixture.names(1, 5), "reshard.maxSwitchMillis", "50",
        "reshard.maxCatchUpSeconds", "1");
    long[] fenced = new long[2];
    List<BulkRenames> writers = new ArrayList<>();
    Map<Long, BulkRenames> writerOf = new java.util.HashMap<>();
    try (Connection admin = ReshardFixture.connect(five)) {
      for (Map.Entry<Integer, List<Long>> shard : f.idsPerShard("users", 4).entrySet()) {
        // one writer per shard, each statement on that shard only: no two-phase commit, no writer waits for another
        BulkRenames w = new BulkRenames(f.config(ReshardFixture.names(1, 5), "planCacheSize", "10" + shard.getKey()),
            shard.getValue());
        writers.add(w);
        shard.getValue().forEach(id -> writerOf.put(id, w));
      }
      Thread.sleep(200);
      long started = System.nanoTime();
      Throwable stopped = catchThrowable(() -> CollegeAdmin.of(admin).reshard(ReshardFixture.options().batchSize(200),
          (step, done, total) -> {
            if (step.equals("fence")) {
              fenced[0] = System.nanoTime();
            } else if (step.equals("switch")) {
              fenced[1] = System.nanoTime();
            }
          }));
      long statements = writers.stream().mapToLong(w -> w.done.get()).sum();
      System.out.printf("outpaced: %d statements (%d changes), fenced for %d ms, run %d ms: %s%n", statements,
          statements * USERS / 4, fenced[1] > 0 ? (fenced[1] - fenced[0]) / 1_000_000 : -1,
          (System.nanoTime() - started) / 1_000_000, stopped == null ? "completed, " + reshardOperation(admin).detail()
          .get("fencedCatchUpMillis") + " ms of it the final catch-up" : stopped.getMessage());
      assertThat(stopped).isInstanceOf(SQLException.class)
          .hasMessageContaining("writers produce changes faster than the catch-up applies them")
          .hasMessageContaining("changes/s applied")
          .hasMessageContaining("reshard.maxSwitchMillis")
          .hasMessageContaining("Run reshard again");
      assertThat(((SQLException) stopped).getSQLState()).isEqualTo(SqlStates.LIMIT_EXCEEDED);
      assertThat(fenced[0]).as("the fence was never raised").isZero();
      assertThat(f.mapVersion(0)).isEqualTo(version);
      Operation op = reshardOperation(admin);
      assertThat(op.state()).isEqualTo("running");
      assertThat(op.step()).isEqualTo("catchup");
      assertThat(op.describe()).contains("changes left");
      @SuppressWarnings("unchecked")
      Map<String, Object> catchUp = (Map<String, Object>) op.detail().get("catchUp");
      assertThat(((Number) catchUp.get("switchEstimateMillis")).longValue()).as("estimate").matches(e -> e < 0 || e > 50);
      for (BulkRenames w : writers) {
        w.close();
        assertThat(w.failures).as("failed writes: %s", w.failures).isEmpty();
      }

      // run again with the writers stopped (and the default limits: the backlog they left takes seconds)
      try (Connection defaults = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
        Reshard.Result again = CollegeAdmin.of(defaults).reshard(ReshardFixture.options(), null);
        assertThat(again.state()).isEqualTo("done");
      }
      assertThat(f.mapVersion(0)).isGreaterThan(version);
      f.assertWritesKept(List.of(), USERS, 5, admin);
      // no rename lost: every user, wherever it is now, has the last name written
      for (int i = 0; i < 5; i++) {
        try (Connection d = f.shards.direct(i); java.sql.Statement s = d.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT id, name FROM users")) {
          while (rs.next()) {
            long id = rs.getLong(1);
            assertThat(rs.getString(2)).as("user %d on s%d", id, i + 1)
                .isEqualTo("b" + writerOf.get(id).last);
          }
        }
      }
    } finally {
      for (BulkRenames w : writers) {
        w.close();
      }
    }
  }

  /** One thread renaming users {@code ids} ({@code b<n>}) in one statement, again and again, until closed. */
  private static final class BulkRenames implements AutoCloseable {
    final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
    final List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile long last = -1;
    private volatile boolean stop;
    private final Thread thread;

    BulkRenames(Properties config, List<Long> ids) {
      String in = String.join(", ", ids.stream().map(String::valueOf).toList());
      thread = new Thread(() -> {
        try (Connection c = ReshardFixture.connect(config);
             java.sql.PreparedStatement u = c.prepareStatement("UPDATE users SET name = ? WHERE id IN (" + in + ")")) {
          for (long n = 0; !stop; n++) {
            u.setString(1, "b" + n);
            try {
              u.executeUpdate();
              last = n;
              done.incrementAndGet();
            } catch (SQLException e) {
              failures.add(e);
            }
          }
        } catch (SQLException e) {
          failures.add(e);
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(30_000);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"H2", "SQLITE"})
  void pacedWritersFinishWithinTheBoundAndTheLogsArePruned(Backend backend) throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(backend, "switch_paced", USERS);
    Properties five = f.config(ReshardFixture.names(1, 5), "reshard.maxSwitchMillis", "300");
    List<Long> copyLog = new ArrayList<>();
    List<Long> catchUpLog = new ArrayList<>();
    try (Connection admin = ReshardFixture.connect(five); Connection s1 = f.shards.direct(0);
         Writers writers = new Writers(5)) {
      writers.startTwo(f, USERS);
      long[] fenced = new long[2];
      Reshard.Result r = CollegeAdmin.of(admin).reshard(ReshardFixture.options().batchSize(40),
          (step, done, total) -> {
            try {
              if (step.equals("fence")) {
                fenced[0] = System.nanoTime();
              } else if (step.equals("switch")) {
                fenced[1] = System.nanoTime();
              } else if (step.startsWith("copy")) {
                copyLog.add(ChangeCapture.size(s1));
              } else if (step.equals("catchup")) {
                catchUpLog.add(ChangeCapture.size(s1));
              }
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
      Thread.sleep(300);
      writers.close();
      // the writes that ended while the fence was up, or shortly after the map was published
      double p99 = writers.p99Millis(fenced[0], fenced[1] + 300_000_000L);
      System.out.printf("paced %s: %d writes, %s, p99 of writes around the switch %.1f ms; s1's log at the copy's "
          + "end %s, in the catch-up %s%n", backend, writers.writes.get(), r.text(), p99, copyLog.get(copyLog.size()
          - 1), catchUpLog);
      assertThat(p99).isLessThan(1500);
      assertThat(r.state()).isEqualTo("done");
      assertThat(writers.failures).as("failed writes: %s", writers.failures).isEmpty();
      // the log held the copy's changes; the first catch-up round applied and pruned them
      assertThat(catchUpLog).isNotEmpty();
      assertThat(copyLog.get(copyLog.size() - 1)).isGreaterThan(20);
      assertThat(catchUpLog.get(0)).isLessThan(copyLog.get(copyLog.size() - 1));
      Map<String, Object> detail = reshardOperation(admin).detail();
      assertThat(detail.get("switchMillis")).isInstanceOf(Number.class);
      assertThat(((Number) detail.get("switchMillis")).longValue()).isEqualTo(r.switchMillis());
      assertThat(((Number) detail.get("pruned")).longValue()).isPositive();
      @SuppressWarnings("unchecked")
      Map<String, Object> catchUp = (Map<String, Object>) detail.get("catchUp");
      assertThat(catchUp).as("the catch-up's estimate in the operation").isNotNull();
      assertThat(((Number) catchUp.get("switchEstimateMillis")).longValue()).isBetween(0L, 300L);
      assertThat(detail.get("fencedCatchUpMillis")).isInstanceOf(Number.class);
      assertThat(r.text()).contains("estimated");
      assertThat(r.switchMillis()).isLessThan(1500);
      f.assertWritesKept(writers.inserted, USERS, 5, admin);
    }
  }

  /**
   * The catch-up prunes a source's log only below what its registered consumers acknowledged: an application's
   * consumer on a captured source table still reads every change made since it registered.
   */
  @Test
  void pruningKeepsWhatAnotherConsumerHasNotAcknowledged() throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(Backend.SQLITE, "switch_consumer", USERS);
    List<Long> onS1 = f.idsPerShard("users", 4).get(0);
    try (Connection s1 = f.shards.direct(0); Connection admin = ReshardFixture.connect(f.config(
        ReshardFixture.names(1, 5)))) {
      ChangeCapture.install(s1, "users");
      org.collegedb.capture.ChangeConsumer app = ChangeCapture.consumer(s1, "app");
      try (java.sql.PreparedStatement u = admin.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
        for (Long id : onS1) {
          u.setString(1, "app" + id);
          u.setLong(2, id);
          u.executeUpdate();
        }
      }
      List<Long> during = new ArrayList<>();
      Reshard.Result r = CollegeAdmin.of(admin).reshard(ReshardFixture.options(), (step, done, total) -> {
        if (step.equals("catchup")) {
          try { // the reshard's own changes (none here) pruned, the application's kept
            during.add(ChangeCapture.size(s1));
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        }
      });
      assertThat(r.state()).isEqualTo("done");
      assertThat(during).isNotEmpty().allMatch(n -> n >= onS1.size());
      List<Long> renamed = new ArrayList<>();
      for (org.collegedb.capture.Change c : app.poll(10_000)) {
        if (c.after() != null && ("app" + c.key().get("id")).equals(String.valueOf(c.after().get("name")))) {
          renamed.add(((Number) c.key().get("id")).longValue());
        }
      }
      assertThat(renamed).containsExactlyInAnyOrderElementsOf(onS1);
      f.assertWritesKept(List.of(), USERS, 5, admin);
    }
  }

  @Test
  void theBoundsAreValidatedAtConnect() throws Exception {
    ReshardFixture f = new ReshardFixture(Backend.SQLITE, "switch_config", 1, false);
    for (String[] bad : new String[][] {{"reshard.maxSwitchMillis", "0"}, {"reshard.maxSwitchMillis", "soon"},
        {"reshard.maxCatchUpSeconds", "-3"}}) {
      assertThatThrownBy(() -> ReshardFixture.connect(f.config(ReshardFixture.names(1, 1), bad)).close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining(bad[0])
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(SqlStates.BAD_CONFIG));
    }
  }

  private static Operation reshardOperation(Connection admin) throws SQLException {
    return CollegeAdmin.of(admin).operations().stream().filter(o -> o.kind().equals("reshard")).findFirst()
        .orElseThrow();
  }
}
