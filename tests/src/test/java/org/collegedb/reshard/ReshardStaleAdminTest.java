package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.admin.LookupRecord;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;

/**
 * The admin API of an instance idle since another instance's reshard (it keeps the map it read before; its
 * once-a-second map check is held off, and it runs no statement that would look): {@code shardOf},
 * {@code lookupKeys} and {@code distribution} answer by the map stored on the shards, naming the moved keys' new
 * owner.
 */
class ReshardStaleAdminTest {
  private static final int USERS = 80;

  @Test
  void anIdleInstanceAnswersWhereKeysAreByTheStoredMap() throws Exception {
    ReshardFixture f = ReshardFixture.fourWithUsers(Backend.SQLITE, "reshard_stale_admin", USERS);
    System.setProperty("collegedb.test.mapCheckMillis", "600000");
    Connection idle;
    try {
      // another configuration than the resharding instance's: a runtime of its own (one per configuration per JVM)
      idle = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5), "planCacheSize", "17"));
    } finally {
      System.clearProperty("collegedb.test.mapCheckMillis");
    }
    try (idle) {
      assertThat(ReshardTest.count(idle, "users")).isEqualTo(USERS); // it has read the map (version 1)
      CollegeAdmin idleAdmin = CollegeAdmin.of(idle);
      Map<Integer, List<Long>> after = f.addFifth();
      List<Long> moved = new ArrayList<>(after.get(4));
      assertThat(moved).hasSizeGreaterThanOrEqualTo(5);

      for (long id : moved) {
        assertThat(idleAdmin.shardOf("users", id)).as("shardOf users %d", id).isEqualTo("s5");
      }
      LookupRecord record = idleAdmin.lookupKeys("users", "id", moved.get(0)).orElseThrow();
      assertThat(record.shard()).isEqualTo("s5");
      assertThat(idleAdmin.distribution("users").rows()).containsEntry("s5", (long) moved.size());
      assertThat(idleAdmin.distribution().total()).isEqualTo(2L * USERS);
    }
  }
}
