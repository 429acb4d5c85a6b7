package org.collegedb.internal.reshard;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.collegedb.internal.route.ShardMap;

/**
 * What a reshard changes: the stored map, the map the configuration asks for, and the hash ranges that move between
 * shards. Shards in the configuration that own no keys (and are not drained) join: each takes 1/(N+1) of every
 * owner's space ({@link ShardMap#withShardAdded}); a drained shard's ranges are split evenly among the shards that
 * stay; a rebalance hands the top of the heaviest shard's ranges to the shards below the mean until the heaviest is
 * within 10% of the mean. Pure: no I/O.
 *
 * @param current the stored map
 * @param target  the map after the reshard (version {@code current.version() + 1}), or {@code current} when nothing
 *                changes
 * @param moves   the ranges that change owner, in hash order
 * @param added   the shards that join
 * @param drained the shards that hand all their keys to others
 */
public record ReshardPlan(ShardMap current, ShardMap target, List<Move> moves, List<String> added,
    List<String> drained) {

  private static final BigInteger SPACE = BigInteger.ONE.shiftLeft(64);

  /** One range of hash positions, {@code [start, end]} (signed, inclusive), changing owner. */
  public record Move(long start, long end, String from, String to) {
    public boolean contains(long hash) {
      return hash >= start && hash <= end;
    }

    /** The fraction of the hash space the range covers. */
    public double share() {
      return unsigned(end).subtract(unsigned(start)).add(BigInteger.ONE).doubleValue() / SPACE.doubleValue();
    }
  }

  /** Whether the stored map is already what the configuration asks for. */
  public boolean empty() {
    return moves.isEmpty();
  }

  /** The shards that give rows away. */
  public Set<String> sources() {
    Set<String> s = new TreeSet<>();
    for (Move m : moves) {
      s.add(m.from());
    }
    return s;
  }

  /** The shards that receive rows. */
  public Set<String> targets() {
    Set<String> s = new TreeSet<>();
    for (Move m : moves) {
      s.add(m.to());
    }
    return s;
  }

  /**
   * The plan for a configuration.
   *
   * @param configured the configuration's shard names
   * @param drain      the shards marked {@code drain=true}
   * @param weights    for a rebalance: per owner, the sorted hash positions of its rows with a weight per row
   *                   (rows or bytes); null for no rebalance
   */
  public static ReshardPlan of(ShardMap current, Collection<String> configured, Set<String> drain,
      Map<String, Weighted> weights) {
    List<String> owners = current.owners();
    List<String> added = new ArrayList<>();
    for (String name : new TreeSet<>(configured)) {
      if (!owners.contains(name) && !drain.contains(name)) {
        added.add(name);
      }
    }
    List<String> drained = new ArrayList<>();
    for (String name : new TreeSet<>(drain)) {
      if (owners.contains(name)) {
        drained.add(name);
      }
    }
    ShardMap m = current;
    for (String a : added) {
      m = m.withShardAdded(a);
    }
    TreeMap<BigInteger, String> ranges = offsets(m.ranges());
    if (!drained.isEmpty()) {
      ranges = drain(ranges, drained);
    }
    if (weights != null) {
      ranges = rebalance(ranges, weights);
    }
    ShardMap target = ShardMap.of(current.version() + 1, signed(ranges));
    List<Move> moves = moves(current, target);
    if (moves.isEmpty()) {
      target = current;
    }
    return new ReshardPlan(current, target, moves, added, drained);
  }

  /** Rows of one shard by hash position, for a rebalance. */
  public record Weighted(long[] sortedHashes, double weightPerRow) {
  }

  private static TreeMap<BigInteger, String> drain(TreeMap<BigInteger, String> ranges, List<String> drained) {
    List<String> stay = new ArrayList<>(new TreeSet<>(ranges.values()));
    stay.removeAll(drained);
    if (stay.isEmpty()) {
      throw new IllegalArgumentException("every shard that owns keys is marked drain=true: at least one must stay");
    }
    TreeMap<BigInteger, String> result = new TreeMap<>();
    List<Map.Entry<BigInteger, String>> list = new ArrayList<>(ranges.entrySet());
    int next = 0;
    for (int i = 0; i < list.size(); i++) {
      BigInteger start = list.get(i).getKey();
      BigInteger end = i + 1 < list.size() ? list.get(i + 1).getKey() : SPACE;
      String owner = list.get(i).getValue();
      if (!drained.contains(owner)) {
        result.put(start, owner);
        continue;
      }
      BigInteger len = end.subtract(start);
      int k = stay.size();
      for (int j = 0; j < k; j++) {
        BigInteger partStart = start.add(len.multiply(BigInteger.valueOf(j)).divide(BigInteger.valueOf(k)));
        BigInteger partEnd = start.add(len.multiply(BigInteger.valueOf(j + 1)).divide(BigInteger.valueOf(k)));
        if (partEnd.compareTo(partStart) > 0) {
          result.put(partStart, stay.get((next + j) % k));
        }
      }
      next++;
    }
    return merged(result);
  }

  /**
   * Each round takes the heaviest shard and hands the top of its rows (by hash position, within its ranges) to the
   * shards below the mean, lightest first, each up to the mean, so that the heaviest ends at the mean; one shard is
   * settled per round, so rounds are bounded by the number of owners. Stops when the heaviest is within 10% of the
   * mean (or no row can move: one hash position can hold more than the excess).
   */
  private static TreeMap<BigInteger, String> rebalance(TreeMap<BigInteger, String> ranges,
      Map<String, Weighted> weights) {
    int owners = new TreeSet<>(ranges.values()).size();
    for (int round = 0; round < 2 * owners + 10; round++) {
      Map<String, List<Long>> rowsOf = new TreeMap<>();
      for (String owner : new TreeSet<>(ranges.values())) {
        rowsOf.put(owner, new ArrayList<>());
      }
      Map<String, Double> weightOf = new TreeMap<>();
      for (Map.Entry<String, Weighted> e : weights.entrySet()) {
        for (long h : e.getValue().sortedHashes()) {
          String owner = ranges.floorEntry(unsigned(h)).getValue();
          rowsOf.get(owner).add(h);
          weightOf.merge(owner, e.getValue().weightPerRow(), Double::sum);
        }
      }
      double total = 0;
      for (String owner : rowsOf.keySet()) {
        weightOf.putIfAbsent(owner, 0.0);
        total += weightOf.get(owner);
      }
      double mean = total / rowsOf.size();
      String largest = null;
      for (String owner : rowsOf.keySet()) {
        if (largest == null || weightOf.get(owner) > weightOf.get(largest)) {
          largest = owner;
        }
      }
      if (mean == 0 || weightOf.get(largest) <= mean * 1.10) {
        break;
      }
      List<Long> rows = rowsOf.get(largest);
      rows.sort(null);
      double perRow = weightOf.get(largest) / rows.size();
      // receivers: the shards below the mean, lightest first; the lightest takes the very top
      List<String> below = new ArrayList<>();
      for (String owner : rowsOf.keySet()) {
        if (weightOf.get(owner) < mean) {
          below.add(owner);
        }
      }
      below.sort((a, b) -> Double.compare(weightOf.get(a), weightOf.get(b)));
      double excess = weightOf.get(largest) - mean;
      int top = rows.size();
      TreeMap<BigInteger, String> cuts = new TreeMap<>();
      for (String receiver : below) {
        if (excess <= perRow / 2) {
          break;
        }
        int give = (int) Math.round(Math.min(excess, mean - weightOf.get(receiver)) / perRow);
        if (give == 0 && excess >= perRow) {
          give = 1; // whole rows: a receiver just below the mean may end one row above it
        }
        give = Math.min(give, top - 1);
        if (give <= 0) {
          continue;
        }
        top -= give;
        cuts.put(unsigned(rows.get(top)), receiver);
        excess -= give * perRow;
      }
      if (cuts.isEmpty()) {
        break;
      }
      TreeMap<BigInteger, String> next = split(ranges, largest, cuts);
      if (next.equals(ranges)) {
        break;
      }
      ranges = next;
    }
    return ranges;
  }

  /**
   * {@code owner}'s positions at or above a cut (and below the next cut) go to that cut's receiver; the other
   * ranges stay.
   */
  private static TreeMap<BigInteger, String> split(TreeMap<BigInteger, String> ranges, String owner,
      TreeMap<BigInteger, String> cuts) {
    TreeMap<BigInteger, String> next = new TreeMap<>();
    List<Map.Entry<BigInteger, String>> list = new ArrayList<>(ranges.entrySet());
    for (int i = 0; i < list.size(); i++) {
      BigInteger start = list.get(i).getKey();
      BigInteger end = i + 1 < list.size() ? list.get(i + 1).getKey() : SPACE;
      if (!list.get(i).getValue().equals(owner)) {
        next.put(start, list.get(i).getValue());
        continue;
      }
      Map.Entry<BigInteger, String> at = cuts.floorEntry(start);
      next.put(start, at == null ? owner : at.getValue());
      for (Map.Entry<BigInteger, String> c : cuts.subMap(start, false, end, false).entrySet()) {
        next.put(c.getKey(), c.getValue());
      }
    }
    return merged(next);
  }

  static List<Move> moves(ShardMap from, ShardMap to) {
    TreeSet<Long> bounds = new TreeSet<>(from.ranges().keySet());
    bounds.addAll(to.ranges().keySet());
    List<Move> moves = new ArrayList<>();
    List<Long> list = new ArrayList<>(bounds);
    for (int i = 0; i < list.size(); i++) {
      long start = list.get(i);
      long end = i + 1 < list.size() ? list.get(i + 1) - 1 : Long.MAX_VALUE;
      String a = from.owner(start);
      String b = to.owner(start);
      if (a.equals(b)) {
        continue;
      }
      Move last = moves.isEmpty() ? null : moves.get(moves.size() - 1);
      if (last != null && last.from().equals(a) && last.to().equals(b) && last.end() == start - 1) {
        moves.set(moves.size() - 1, new Move(last.start(), end, a, b));
      } else {
        moves.add(new Move(start, end, a, b));
      }
    }
    return moves;
  }

  private static TreeMap<BigInteger, String> merged(TreeMap<BigInteger, String> ranges) {
    TreeMap<BigInteger, String> out = new TreeMap<>();
    String previous = null;
    for (Map.Entry<BigInteger, String> e : ranges.entrySet()) {
      if (!e.getValue().equals(previous)) {
        out.put(e.getKey(), e.getValue());
        previous = e.getValue();
      }
    }
    return out;
  }

  private static TreeMap<BigInteger, String> offsets(Map<Long, String> ranges) {
    TreeMap<BigInteger, String> out = new TreeMap<>();
    for (Map.Entry<Long, String> e : ranges.entrySet()) {
      out.put(unsigned(e.getKey()), e.getValue());
    }
    return out;
  }

  private static Map<Long, String> signed(TreeMap<BigInteger, String> ranges) {
    Map<Long, String> out = new TreeMap<>();
    for (Map.Entry<BigInteger, String> e : ranges.entrySet()) {
      out.put(e.getKey().add(BigInteger.valueOf(Long.MIN_VALUE)).longValueExact(), e.getValue());
    }
    return out;
  }

  static BigInteger unsigned(long signed) {
    return BigInteger.valueOf(signed).subtract(BigInteger.valueOf(Long.MIN_VALUE));
  }
}
