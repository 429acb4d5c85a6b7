package org.collegedb.reshard;

import org.collegedb.internal.reshard.Reshard;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A fifth shard added to four while writers run through two driver instances, one of which started (and read the
 * shard map) before the reshard; then every written row is on exactly one shard, verify finds nothing, no write
 * failed, and writes waited at most about a second around the switch.
 */
class ReshardOnlineTest {
  private static final int USERS = 300;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "H2", "POSTGRES", "MARIADB"})
  void addsAShardWhileTwoInstancesWrite(Backend backend) throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(backend, "reshard_online", USERS);
    Map<Integer, List<Long>> before = f.idsPerShard("users", 4);
    Reshard.Result result;
    try (Writers writers = new Writers(backend == Backend.H2 ? 2 : 0);
         Connection early = ReshardFixture.connect(f.config(ReshardFixture.names(1, 4), "planCacheSize", "11"));
         Connection admin = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
      // instance 1: the four-shard configuration plus the joining shard, started before the change
      writers.start(f.config(ReshardFixture.names(1, 5), "planCacheSize", "101"), 1_000_000, USERS);
      writers.start(f.config(ReshardFixture.names(1, 5), "planCacheSize", "101"), 2_000_000, USERS);
      Thread.sleep(300);
      long[] fenced = new long[2];
      result = CollegeAdmin.of(admin).reshard(Reshard.Options.defaults().batchSize(40), (step, done, total) -> {
        if (step.equals("fence")) {
          fenced[0] = System.nanoTime();
        } else if (step.equals("switch")) {
          fenced[1] = System.nanoTime();
        }
      });

      // instance 2 starts after the change, with the new map
      writers.start(f.config(ReshardFixture.names(1, 5), "planCacheSize", "102"), 3_000_000, USERS);
      Thread.sleep(500);
      writers.close();
      assertThat(writers.failures).as("failed writes: %s", writers.failures).isEmpty();
      assertThat(writers.inserted).hasSizeGreaterThan(20);
      // the writes that ended while the fence was up, or within half a second after the map was published
      double p99 = writers.p99Millis(fenced[0], fenced[1] + 500_000_000L);
      assertThat(fenced[0]).isPositive();
      System.out.printf("reshard online %s: %d writes, %d rows moved, switch %d ms, p99 of writes around the switch "
          + "%.1f ms, max of all writes %.1f ms%n", backend, writers.writes.get(), result.rowsMoved(),
          result.switchMillis(), p99, writers.maxMillis());
      assertThat(p99).isLessThan(1500);
      f.assertWritesKept(writers.inserted, USERS, 5, admin);
      Map<Integer, List<Long>> after = f.idsPerShard("users", 5);
      double moved = 0;
      for (Long id : after.get(4)) {
        if (id <= USERS) {
          moved++;
        }
      }
      assertThat(moved / USERS).isBetween(0.12, 0.28);
      for (int i = 0; i < 4; i++) {
        for (Long id : after.get(i)) {
          if (id <= USERS) {
            assertThat(before.get(i)).contains(id);
          }
        }
      }
    }
  }
}
