package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.migrate.Operation;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fence waits for an estimate of the whole switch, not only of its final catch-up: raising the fences, the
 * directory switch and the map's publication are measured before the fence and added to it. The switch records its
 * measured parts (fence raise, final catch-up, directory switch, publication), which add up to the switch's duration,
 * and the estimate is within {@link #FACTOR} of it (each way, {@link #SLACK_MILLIS} of noise allowed). Before, the
 * estimate covered the final catch-up only, by the backlog at the apply rate: 3 to 13 ms of switches of 10 to 279 ms
 * (the test then fails). With the whole switch estimated, 12 runs on a 2-core machine shared with other builds saw the
 * measured switch at 0.46 to 2.6 times the estimate: {@link #FACTOR} leaves room for a busier machine. A busy
 * machine can still stretch one switch past it (seen: 256 ms against 60 estimated on PostgreSQL, 384 against 88 on
 * SQLite, each once in some 15 runs), so the reshard runs again on fresh shards, up to {@value #TRIES} times, until
 * one switch is within the factor: an estimate that is wrong fails every try.
 */
@ExtendWith(FastMapChecks.class)
class ReshardSwitchTimeTest {
  private static final int USERS = 300;
  /** How far the estimate may be from the measured switch, each way. */
  static final double FACTOR = 4;
  /** What scheduling noise alone may add to a switch of a few milliseconds (a 2-core machine shared with builds). */
  static final long SLACK_MILLIS = 15;
  /** Reshards run, on fresh shards, for one switch within {@link #FACTOR} of its estimate. */
  static final int TRIES = 3;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "H2", "POSTGRES", "MARIADB"})
  void theEstimateCoversTheWholeSwitchAndItsPartsAreRecorded(Backend backend) throws Exception {
    for (int attempt = 1; !switchWithinItsEstimate(backend, attempt == TRIES); attempt++) {
      System.out.printf("switch time %s: try %d of %d outside a factor of %.0f, again%n", backend, attempt, TRIES,
          FACTOR);
    }
  }

  /**
   * One reshard under writers, its switch's parts checked; whether the measured switch is within {@link #FACTOR} of
   * its estimate (asserted on the {@code last} try).
   */
  private static boolean switchWithinItsEstimate(Backend backend, boolean last) throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(backend, "switch_time", USERS);
    try (Connection admin = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)));
         Writers writers = new Writers(5)) {
      writers.startTwo(f, USERS);
      long[] fenced = new long[2];
      Reshard.Result r = CollegeAdmin.of(admin).reshard(ReshardFixture.options().batchSize(40),
          (step, done, total) -> {
            if (step.equals("fence")) {
              fenced[0] = System.nanoTime();
            } else if (step.equals("switch")) {
              fenced[1] = System.nanoTime();
            }
          });
      Thread.sleep(200);
      writers.close();
      assertThat(r.state()).isEqualTo("done");
      Map<String, Object> detail = reshardOperation(admin).detail();
      @SuppressWarnings("unchecked")
      Map<String, Object> parts = (Map<String, Object>) detail.get("switch");
      @SuppressWarnings("unchecked")
      Map<String, Object> estimate = (Map<String, Object>) detail.get("catchUp");
      long switchMillis = r.switchMillis();
      long sum = 0;
      for (String part : new String[] {"raiseMillis", "catchUpMillis", "directoryMillis", "publishMillis"}) {
        sum += ((Number) parts.get(part)).longValue();
      }
      long estimated = ((Number) estimate.get("switchEstimateMillis")).longValue();
      long listened = (fenced[1] - fenced[0]) / 1_000_000; // to the progress call after the read-back and a save
      System.out.printf("switch time %s: measured %d ms (progress saw %d ms), parts %s (sum %d), estimated %d ms %s;"
          + " %s%n", backend, switchMillis, listened, parts, sum, estimated, estimate, r.text());
      // the parts are the switch, cut at the steps: each rounded down
      assertThat(sum).as("the parts add up to the switch").isBetween(switchMillis - 4, switchMillis);
      assertThat(listened).as("the switch as a listener saw it").isBetween(switchMillis, switchMillis + 200);
      assertThat(estimated).as("the estimate the fence waited for").isPositive();
      assertThat(r.text()).contains("fence raise").contains("map publication").contains("estimated " + estimated);
      assertThat(reshardOperation(admin).describe()).contains("fence raise " + parts.get("raiseMillis") + " ms");
      assertThat(writers.failures).as("failed writes: %s", writers.failures).isEmpty();
      f.assertWritesKept(writers.inserted, USERS, 5, admin);
      boolean within = switchMillis <= FACTOR * estimated + SLACK_MILLIS
          && estimated <= FACTOR * switchMillis + SLACK_MILLIS;
      if (last) {
        assertThat((double) switchMillis).as("measured switch against the estimate %d ms", estimated)
            .isLessThanOrEqualTo(FACTOR * estimated + SLACK_MILLIS);
        assertThat((double) estimated).as("estimate against the measured switch %d ms", switchMillis)
            .isLessThanOrEqualTo(FACTOR * switchMillis + SLACK_MILLIS);
      }
      return within;
    }
  }

  private static Operation reshardOperation(Connection admin) throws SQLException {
    return CollegeAdmin.of(admin).operations().stream().filter(o -> o.kind().equals("reshard")).findFirst()
        .orElseThrow();
  }
}
