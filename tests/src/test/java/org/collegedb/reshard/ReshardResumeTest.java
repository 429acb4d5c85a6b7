package org.collegedb.reshard;

import org.collegedb.internal.reshard.Reshard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A reshard stopped (as if killed) after each of its steps, with writes in between, is completed by the next run:
 * every row on exactly one shard, verify clean, the map at the new version.
 */
class ReshardResumeTest {
  private static final int USERS = 150;
  private static final List<String> STEPS = List.of("prepare", "copy-batch", "copy", "catchup", "fence-raised",
      "published", "cleanup");

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Backend b : new Backend[] {Backend.SQLITE, Backend.H2}) {
      for (String step : STEPS) {
        out.add(Arguments.of(b, step));
      }
    }
    out.add(Arguments.of(Backend.POSTGRES, "copy-batch"));
    out.add(Arguments.of(Backend.POSTGRES, "fence-raised"));
    out.add(Arguments.of(Backend.MARIADB, "catchup"));
    out.add(Arguments.of(Backend.MARIADB, "published"));
    return out.stream();
  }

  @ParameterizedTest(name = "{0} stopped after {1}")
  @MethodSource("cases")
  void resumesAfterAStop(Backend backend, String step) throws Exception {
    ReshardFixture f = new ReshardFixture(backend, "reshard_resume_" + step.replace('-', '_'), 5);
    try (Connection four = ReshardFixture.connect(f.config(ReshardFixture.names(1, 4)))) {
      f.createTables(four);
      ReshardFixture.insertUsers(four, 1, USERS);
    }
    try (Connection five = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
      Reshard.Options options = Reshard.Options.defaults().batchSize(20).graceMillis(0);
      assertThatThrownBy(() -> CollegeAdmin.of(five).reshard(options.stopAfter(step), null))
          .isInstanceOf(Reshard.Stopped.class);
      boolean fenced = step.equals("fence-raised");
      if (!fenced) { // writes in between (while fenced, the old map's writes wait for the new one)
        ReshardFixture.insertUsers(five, USERS + 1, USERS + 20);
        ReshardFixture.exec(five, "DELETE FROM users WHERE id = 3", "DELETE FROM orders WHERE user_id = 3",
            "UPDATE users SET name = 'changed' WHERE id = 4");
      }
      Reshard.Result r = CollegeAdmin.of(five).reshard(options, null);
      assertThat(r.state()).isEqualTo("done");
      if (fenced) {
        ReshardFixture.insertUsers(five, USERS + 1, USERS + 20);
        ReshardFixture.exec(five, "DELETE FROM users WHERE id = 3", "DELETE FROM orders WHERE user_id = 3",
            "UPDATE users SET name = 'changed' WHERE id = 4");
      }
      Set<Long> ids = new TreeSet<>();
      Set<Long> orders = new TreeSet<>();
      for (long id = 1; id <= USERS + 20; id++) {
        if (id != 3) {
          ids.add(id);
          orders.add(id * 10);
        }
      }
      f.assertExactlyOnce("users", 5, ids);
      f.assertExactlyOnce("orders", 5, orders);
      f.assertColocated(5);
      ReshardFixture.assertVerified(five);
      assertThat(f.mapVersion(4)).isEqualTo(2);
      try (var s = five.createStatement(); var rs = s.executeQuery("SELECT name FROM users WHERE id = 4")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("changed");
      }
      assertThat(f.idsPerShard("users", 5).get(4)).isNotEmpty();
    }
  }
}
