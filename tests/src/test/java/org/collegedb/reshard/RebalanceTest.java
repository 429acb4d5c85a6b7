package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.internal.directory.ShardSizes;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code reshard --rebalance}: a cluster of 4 shards where most keys hash into s1's range is evened out until the
 * largest shard is within 10% of the mean; rows counted on each shard directly, every row exactly once, verify clean.
 */
class RebalanceTest {
  private static final int EVEN = 100;
  private static final int ON_S1 = 140;

  /** Users 1..even, then onS1 users whose keys hash into s1's range; each with one order. */
  private static Set<Long> skewed(ReshardFixture f, Connection c, int even, int onS1) throws Exception {
    f.createTables(c);
    Set<Long> ids = new TreeSet<>();
    for (long id = 1; id <= even; id++) {
      ids.add(id);
    }
    CollegeAdmin admin = CollegeAdmin.of(c);
    for (long id = 10_000; ids.size() < even + onS1; id++) {
      if (admin.shardOf("users", id).equals("s1")) {
        ids.add(id);
      }
    }
    ReshardFixture.insertUsers(c, ids);
    return ids;
  }

  private static Set<Long> times10(Set<Long> ids) {
    Set<Long> out = new TreeSet<>();
    for (long id : ids) {
      out.add(id * 10);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void rebalanceByRowsEndsWithTheLargestShardWithinTenPercentOfTheMean(Backend backend) throws Exception {
    ReshardFixture f = new ReshardFixture(backend, "rebalance_rows", 4);
    try (Connection c = ReshardFixture.connect(f.config(ReshardFixture.names(1, 4)))) {
      Set<Long> ids = skewed(f, c, EVEN, ON_S1);
      double mean = ids.size() / 4.0;
      Map<Integer, List<Long>> before = f.idsPerShard("users", 4);
      assertThat(before.get(0).size()).as("s1 before").isGreaterThan((int) (2 * mean)); // the skew is there

      Reshard.Result r = CollegeAdmin.of(c).reshard(Reshard.Options.defaults().rebalance("rows").graceMillis(0),
          null);
      assertThat(r.state()).isEqualTo("done");
      Map<Integer, List<Long>> after = f.idsPerShard("users", 4);
      for (int i = 0; i < 4; i++) {
        assertThat(after.get(i).size()).as("users on s%d after, mean %.0f: %s", i + 1, mean, sizes(after))
            .isLessThanOrEqualTo((int) Math.floor(mean * 1.10));
      }
      f.assertExactlyOnce("users", 4, ids);
      f.assertExactlyOnce("orders", 4, times10(ids));
      f.assertColocated(4);
      for (int i = 1; i < 4; i++) { // only s1 gave rows away
        assertThat(after.get(i)).containsAll(before.get(i));
      }
      ReshardFixture.assertVerified(c);
      assertThat(ReshardTest.count(c, "users")).isEqualTo(ids.size());
      // even now: nothing left to move
      assertThat(CollegeAdmin.of(c).reshard(Reshard.Options.defaults().rebalance("rows").dryRun(true), null).text())
          .contains("nothing to move");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE"})
  void rebalanceBySizeEvensOutTheShardsBytes(Backend backend) throws Exception {
    ReshardFixture f = new ReshardFixture(backend, "rebalance_size", 4);
    try (Connection c = ReshardFixture.connect(f.config(ReshardFixture.names(1, 4)))) {
      Set<Long> ids = skewed(f, c, 160, 240); // enough rows that the data outweighs each file's fixed pages
      // what --by size weighs: each row by its shard's bytes per row (users and orders, the sharded tables)
      Map<Long, Double> weightOf = new HashMap<>();
      Map<Integer, List<Long>> before = f.idsPerShard("users", 4);
      for (int i = 0; i < 4; i++) {
        long bytes;
        try (Connection d = f.shards.direct(i)) {
          bytes = ShardSizes.bytes(f.shards.url(i), d);
        }
        double perRow = (double) bytes / (2 * before.get(i).size());
        for (long id : before.get(i)) {
          weightOf.put(id, 2 * perRow); // the user and its order
        }
      }
      Reshard.Result r = CollegeAdmin.of(c).reshard(Reshard.Options.defaults().rebalance("size").graceMillis(0),
          null);
      assertThat(r.state()).isEqualTo("done");
      Map<Integer, List<Long>> after = f.idsPerShard("users", 4);
      double total = weightOf.values().stream().mapToDouble(Double::doubleValue).sum();
      List<Double> sizes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        sizes.add(after.get(i).stream().mapToDouble(weightOf::get).sum());
      }
      assertThat(sizes.stream().mapToDouble(Double::doubleValue).max().orElseThrow())
          .as("bytes per shard after %s, mean %.0f", sizes, total / 4).isLessThanOrEqualTo(total / 4 * 1.10);
      assertThat(after.get(0).size()).isLessThan(before.get(0).size());
      f.assertExactlyOnce("users", 4, ids);
      f.assertExactlyOnce("orders", 4, times10(ids));
      f.assertColocated(4);
      ReshardFixture.assertVerified(c);
    }
  }

  private static List<Integer> sizes(Map<Integer, List<Long>> perShard) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < perShard.size(); i++) {
      out.add(perShard.get(i).size());
    }
    return out;
  }
}
