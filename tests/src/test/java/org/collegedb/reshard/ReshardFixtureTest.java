package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;

/**
 * A fixture made again over the same server databases (a test run again after one killed mid-reshard) starts with no
 * reshard in progress: the saved operation of the earlier run is not resumed.
 */
class ReshardFixtureTest {
  @Test
  void aNewFixtureOverTheSameDatabasesHasNoReshardInProgress() throws Exception {
    // configurations of their own (planCacheSize): the second fixture's instances must not reuse these' runtimes
    ReshardFixture killed = new ReshardFixture(Backend.POSTGRES, "reshard_fixture_reset", 5);
    try (Connection c = ReshardFixture.connect(killed.config(ReshardFixture.names(1, 4), "planCacheSize", "7"))) {
      killed.createTables(c);
      ReshardFixture.insertUsers(c, 1, 10);
    }
    try (Connection c = ReshardFixture.connect(killed.config(ReshardFixture.names(1, 5), "planCacheSize", "7"))) {
      try {
        CollegeAdmin.of(c).reshard(Reshard.Options.defaults().graceMillis(0).stopAfter("prepare"), null);
      } catch (Reshard.Stopped expected) {
        // the run killed after its first step
      }
      assertThat(CollegeAdmin.of(c).operations()).extracting(o -> o.state()).containsExactly("running");
    }

    ReshardFixture again = ReshardFixture.fourWithUsers(Backend.POSTGRES, "reshard_fixture_reset", 10);
    try (Connection c = ReshardFixture.connect(again.config(ReshardFixture.names(1, 5)))) {
      assertThat(CollegeAdmin.of(c).operations()).isEmpty();
    }
  }
}
