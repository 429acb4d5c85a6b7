package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.capture.ChangeCapture;
import org.collegedb.internal.reshard.Fence;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;

/**
 * On H2 shards, the steps of a reshard that put change capture and the write fence on a table and take capture off
 * again ({@code prepare}, {@code cleanup}) run again and again on one shard while three writers insert and update
 * through CollegeDB. No write may fail, capture must log the writes while it is on, and every acknowledged insert must
 * be on exactly one shard afterwards (read on each shard directly), with {@code verify} finding nothing. (A whole
 * reshard on H2 under writers: {@link ReshardOnlineTest}.)
 *
 * <p>H2 (2.3.232) keeps a table's triggers in a plain list that statements walk without a lock: a {@code CREATE
 * TRIGGER} or {@code DROP TRIGGER} while writers run made their statements fail. The rounds of the first part are set
 * with {@code -Dh2stress.rounds} (default 6).
 */
class ReshardH2OnlineStressTest {
  private static final int USERS = 200;

  @Test
  void captureAndFenceGoOnAndOffWhileWritersRun() throws Exception {
    int rounds = Integer.getInteger("h2stress.rounds", 6);
    ReshardFixture f = new ReshardFixture(Backend.H2, "h2_stress", 5, false);
    try (Connection four = ReshardFixture.connect(f.config(ReshardFixture.names(1, 4)))) {
      f.createTables(four);
      ReshardFixture.insertUsers(four, 1, USERS);
    }
    Writers writers = new Writers();
    try (Connection admin = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
      for (int w = 1; w <= 3; w++) {
        writers.start(f.config(ReshardFixture.names(1, 5), "planCacheSize", String.valueOf(100 + w)), w * 1_000_000L,
            USERS);
      }
      Thread.sleep(200);
      // what a reshard's prepare and cleanup do on a source shard, many times over
      try (Connection s1 = f.shards.direct(0)) {
        Fence fence = new Fence(s1);
        fence.prepare(fence.current() < 0 ? 1 : fence.current());
        long captured = 0;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
          for (String table : new String[] {"users", "orders"}) {
            fence.install(table);
            ChangeCapture.install(s1, table);
          }
          Thread.sleep(10);
          captured += ChangeCapture.read(s1, 0, 100).size();
          for (String table : new String[] {"users", "orders"}) {
            ChangeCapture.uninstall(s1, table);
          }
          ChangeCapture.uninstallAll(s1);
        }
        System.out.printf("h2 stress: %d rounds of capture and fence on and off in %d ms, %d writes%n", rounds,
            (System.nanoTime() - start) / 1_000_000, writers.writes.get());
        assertThat(captured).as("changes captured while capture was on").isPositive();
      }
      assertThat(writers.failures).as("failed writes while capture went on and off: %s", writers.failures).isEmpty();
      Thread.sleep(200);
      writers.close();
      assertThat(writers.failures).as("failed writes: %s", writers.failures).isEmpty();
      assertThat(writers.inserted).hasSizeGreaterThan(20);
      f.assertWritesKept(writers.inserted, USERS, 5, admin);
    } finally {
      writers.close();
    }
  }
}
