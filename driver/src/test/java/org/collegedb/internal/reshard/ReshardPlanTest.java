package org.collegedb.internal.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.collegedb.internal.route.ShardMap;
import org.junit.jupiter.api.Test;

/**
 * The rebalance plan: for rows at known hash positions, the planned map leaves the largest shard within 10% of the
 * mean (by rows, and by bytes when shards weigh their rows differently); only the moving ranges change owner.
 */
class ReshardPlanTest {

  /** Row positions: uniform, plus a share concentrated in a narrow window (a skew of one shard's range). */
  private static long[] positions(Random r, int rows, double skew, int clusters) {
    long[] out = new long[rows];
    long[] centers = new long[clusters];
    for (int c = 0; c < clusters; c++) {
      centers[c] = r.nextLong();
    }
    for (int i = 0; i < rows; i++) {
      if (r.nextDouble() < skew) {
        long center = centers[r.nextInt(clusters)];
        long spread = Long.MAX_VALUE / 64;
        long p = center + (long) ((r.nextDouble() - 0.5) * spread);
        out[i] = p;
      } else {
        out[i] = r.nextLong();
      }
    }
    return out;
  }

  private static Map<String, ReshardPlan.Weighted> weights(ShardMap map, long[] positions,
      Map<String, Double> perRow) {
    Map<String, List<Long>> by = new TreeMap<>();
    for (String o : map.owners()) {
      by.put(o, new ArrayList<>());
    }
    for (long p : positions) {
      by.get(map.owner(p)).add(p);
    }
    Map<String, ReshardPlan.Weighted> out = new TreeMap<>();
    for (Map.Entry<String, List<Long>> e : by.entrySet()) {
      long[] sorted = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
      out.put(e.getKey(), new ReshardPlan.Weighted(sorted, perRow.getOrDefault(e.getKey(), 1.0)));
    }
    return out;
  }

  /** Per owner of {@code map}, the weight of its rows; a row weighs what its shard's rows weighed before. */
  private static Map<String, Double> load(ShardMap before, ShardMap map, long[] positions,
      Map<String, Double> perRow) {
    Map<String, Double> out = new TreeMap<>();
    for (String o : map.owners()) {
      out.put(o, 0.0);
    }
    for (long p : positions) {
      out.merge(map.owner(p), perRow.getOrDefault(before.owner(p), 1.0), Double::sum);
    }
    return out;
  }

  private static List<String> names(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      names.add("s" + i);
    }
    return names;
  }

  @Property(tries = 300)
  void rebalanceByRowsLeavesTheLargestWithinTenPercentOfTheMean(@ForAll @IntRange(min = 2, max = 12) int shards,
      @ForAll @IntRange(min = 400, max = 6000) int rows, @ForAll @DoubleRange(min = 0, max = 0.9) double skew,
      @ForAll @IntRange(min = 1, max = 3) int clusters, @ForAll long seed) {
    Random r = new Random(seed);
    ShardMap map = ShardMap.initial(names(shards));
    long[] pos = positions(r, rows, skew, clusters);
    ReshardPlan plan = ReshardPlan.of(map, names(shards), Set.of(), weights(map, pos, Map.of()));
    Map<String, Double> after = load(map, plan.target(), pos, Map.of());
    double mean = (double) rows / shards;
    assertThat(after.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow())
        .as("largest of %s, mean %.1f", after, mean).isLessThanOrEqualTo(mean * 1.10);
    assertOnlyMovesChange(plan);
  }

  @Property(tries = 200)
  void rebalanceBySizeWeighsEachShardsRows(@ForAll @IntRange(min = 2, max = 8) int shards,
      @ForAll @IntRange(min = 600, max = 5000) int rows, @ForAll @DoubleRange(min = 0, max = 0.8) double skew,
      @ForAll long seed) {
    Random r = new Random(seed);
    ShardMap map = ShardMap.initial(names(shards));
    Map<String, Double> perRow = new HashMap<>();
    for (String s : names(shards)) {
      perRow.put(s, 50.0 + r.nextInt(100)); // bytes per row differ by shard, up to 3x
    }
    long[] pos = positions(r, rows, skew, 1);
    ReshardPlan plan = ReshardPlan.of(map, names(shards), Set.of(), weights(map, pos, perRow));
    Map<String, Double> after = load(map, plan.target(), pos, perRow);
    double mean = after.values().stream().mapToDouble(Double::doubleValue).sum() / shards;
    assertThat(after.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow())
        .as("largest of %s, mean %.1f", after, mean).isLessThanOrEqualTo(mean * 1.10);
  }

  @Property(tries = 50)
  void rebalanceAfterAnUnevenAddStillEndsWithinTenPercent(@ForAll @IntRange(min = 2, max = 6) int shards,
      @ForAll long seed) {
    Random r = new Random(seed);
    // a map grown by adds (uneven shares), rows uniform
    ShardMap map = ShardMap.initial(names(shards));
    List<String> all = names(shards + 3);
    for (int i = shards; i < all.size(); i++) {
      map = map.withShardAdded(all.get(i));
    }
    long[] pos = positions(r, 4000, 0, 1);
    ReshardPlan plan = ReshardPlan.of(map, all, Set.of(), weights(map, pos, Map.of()));
    Map<String, Double> after = load(map, plan.target(), pos, Map.of());
    double mean = 4000.0 / all.size();
    assertThat(after.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow())
        .isLessThanOrEqualTo(mean * 1.10);
  }

  @Test
  void aBalancedClusterIsLeftAsItIs() {
    ShardMap map = ShardMap.initial(names(4));
    long[] pos = positions(new Random(7), 40_000, 0, 1);
    ReshardPlan plan = ReshardPlan.of(map, names(4), Set.of(), weights(map, pos, Map.of()));
    assertThat(plan.empty()).isTrue();
    assertThat(plan.target()).isEqualTo(map);
  }

  @Test
  void aSkewedClusterMovesRowsOnlyOffTheLargeShards() {
    ShardMap map = ShardMap.initial(names(4));
    Random r = new Random(11);
    long[] uniform = positions(r, 2000, 0, 1);
    List<Long> all = new ArrayList<>();
    for (long p : uniform) {
      all.add(p);
    }
    // 1,500 more rows on s1's range
    while (all.size() < 3500) {
      long p = r.nextLong();
      if (map.owner(p).equals("s1")) {
        all.add(p);
      }
    }
    long[] pos = all.stream().mapToLong(Long::longValue).toArray();
    ReshardPlan plan = ReshardPlan.of(map, names(4), Set.of(), weights(map, pos, Map.of()));
    assertThat(plan.sources()).containsExactly("s1");
    Map<String, Double> after = load(map, plan.target(), pos, Map.of());
    assertThat(after.get("s1")).isLessThanOrEqualTo(3500 / 4.0 * 1.10);
    assertOnlyMovesChange(plan);
  }

  private static void assertOnlyMovesChange(ReshardPlan plan) {
    Random r = new Random(plan.moves().size());
    for (int i = 0; i < 2000; i++) {
      long h = r.nextLong();
      ReshardPlan.Move m = plan.moves().stream().filter(x -> x.contains(h)).findFirst().orElse(null);
      if (m == null) {
        assertThat(plan.target().owner(h)).isEqualTo(plan.current().owner(h));
      } else {
        assertThat(plan.current().owner(h)).isEqualTo(m.from());
        assertThat(plan.target().owner(h)).isEqualTo(m.to());
      }
    }
  }
}
