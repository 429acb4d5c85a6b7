package org.collegedb.internal.route;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.collegedb.internal.value.KeyHasher;

/**
 * Which shard owns which part of the 64-bit hash space: a sorted list of ranges, each owned by one shard, and a
 * version. A key belongs to the shard whose range holds {@link KeyHasher its position}.
 *
 * <p>The first map divides the space into equal ranges among the shards in name order, so it depends only on the
 * set of names. Adding a shard takes the same fraction, 1/(N+1), from the end of every shard's ranges: exactly that
 * fraction of keys moves, and every key that moves goes to the new shard. Immutable.
 */
public final class ShardMap {
  private final long version;
  private final long[] starts; // signed positions, ascending; starts[0] == Long.MIN_VALUE
  private final int[] owners; // index into shards
  private final List<String> shards; // sorted names
  private final int[] ownerIndices; // indices of the shards that own a range, ascending
  private final List<Motion> motion; // ranges a reshard is moving, empty when none

  private ShardMap(long version, long[] starts, int[] owners, List<String> shards) {
    this(version, starts, owners, shards, List.of());
  }

  private ShardMap(long version, long[] starts, int[] owners, List<String> shards, List<Motion> motion) {
    this.version = version;
    this.starts = starts;
    this.owners = owners;
    this.shards = shards;
    this.ownerIndices = Arrays.stream(owners).distinct().sorted().toArray();
    this.motion = List.copyOf(motion);
  }

  /**
   * A range of the hash space a reshard is moving, from the moment it starts copying until its cleanup is done:
   * {@code [start, end]} (signed positions, inclusive) goes from shard {@code from} to shard {@code to}. In phase
   * {@link #COPY} {@code from} owns it and {@code to} may hold copies of its rows; in phase {@link #SWITCHED}
   * {@code to} owns it and {@code from} still holds the old rows until the cleanup deletes them. While a map has
   * motion, a shard may hold rows it does not own: a read of every shard keeps from each only the rows it owns.
   */
  public record Motion(long start, long end, String from, String to, String phase) {
    public static final String COPY = "copy";
    public static final String SWITCHED = "switched";

    /** The shard that may hold rows of this range it does not own, in this phase. */
    public String holderOfCopies() {
      return SWITCHED.equals(phase) ? from : to;
    }
  }

  /** The ranges in motion (a reshard is under way), empty when none. */
  public List<Motion> motion() {
    return motion;
  }

  /** Whether a reshard is moving ranges: shards may hold rows they do not own. */
  public boolean inMotion() {
    return !motion.isEmpty();
  }

  /** This map with {@code ranges} in motion (same version, ranges and shards). */
  public ShardMap withMotion(List<Motion> ranges) {
    return new ShardMap(version, starts, owners, shards, ranges);
  }

  /**
   * The indices, in {@link #shards()}, of the shards that may hold rows they do not own while the map has motion
   * (a range's copies in phase copy, its old rows once switched), ascending; empty without motion.
   */
  public int[] holdersOfCopies() {
    TreeSet<Integer> out = new TreeSet<>();
    for (Motion m : motion) {
      int i = shards.indexOf(m.holderOfCopies());
      if (i >= 0) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The first map for a set of shard names: equal ranges in name order. */
  public static ShardMap initial(Collection<String> names) {
    List<String> sorted = List.copyOf(new TreeSet<>(names));
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("a shard map needs at least one shard");
    }
    int n = sorted.size();
    long[] starts = new long[n];
    int[] owners = new int[n];
    BigInteger space = BigInteger.ONE.shiftLeft(64);
    for (int i = 0; i < n; i++) {
      starts[i] = toSigned(space.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n)));
      owners[i] = i;
    }
    return new ShardMap(1, starts, owners, sorted);
  }

  /** Builds a map from stored ranges: {@code ranges} maps a range's start to its owner. */
  public static ShardMap of(long version, Map<Long, String> ranges) {
    return of(version, ranges, List.of());
  }

  /**
   * Builds a map from stored ranges whose {@link #shards()} also lists {@code members} that own no range (shards
   * joining the cluster, or drained), so that shard indices follow a configuration's names.
   */
  public static ShardMap of(long version, Map<Long, String> ranges, Collection<String> members) {
    TreeMap<Long, String> sorted = new TreeMap<>(ranges);
    if (sorted.isEmpty() || sorted.firstKey() != Long.MIN_VALUE) {
      throw new IllegalArgumentException("shard map version " + version + " does not cover the hash space");
    }
    TreeSet<String> all = new TreeSet<>(sorted.values());
    all.addAll(members);
    List<String> names = List.copyOf(all);
    long[] starts = new long[sorted.size()];
    int[] owners = new int[sorted.size()];
    int i = 0;
    for (Map.Entry<Long, String> e : sorted.entrySet()) {
      starts[i] = e.getKey();
      owners[i] = Collections.binarySearch(names, e.getValue());
      i++;
    }
    return new ShardMap(version, starts, owners, names);
  }

  /** A new version in which {@code name} owns 1/(N+1) of the space, taken equally from every other shard. */
  public ShardMap withShardAdded(String name) {
    if (shards.contains(name)) {
      throw new IllegalArgumentException("shard '" + name + "' is in the map already");
    }
    int n = shards.size();
    int owning = ownerIndices().length;
    BigInteger[] owned = new BigInteger[n];
    Arrays.fill(owned, BigInteger.ZERO);
    for (int i = 0; i < starts.length; i++) {
      owned[owners[i]] = owned[owners[i]].add(length(i));
    }
    // Every shard gives away owned/(N+1), taken from its ranges from the highest position down.
    BigInteger[] toGive = new BigInteger[n];
    for (int s = 0; s < n; s++) {
      toGive[s] = owned[s].divide(BigInteger.valueOf(owning + 1));
    }
    TreeMap<BigInteger, String> result = new TreeMap<>();
    for (int i = starts.length - 1; i >= 0; i--) {
      int owner = owners[i];
      BigInteger start = unsigned(starts[i]);
      BigInteger len = length(i);
      BigInteger give = toGive[owner].min(len);
      toGive[owner] = toGive[owner].subtract(give);
      BigInteger keepLen = len.subtract(give);
      if (keepLen.signum() > 0) {
        result.put(start, shards.get(owner));
      }
      if (give.signum() > 0) {
        result.put(start.add(keepLen), name);
      }
    }
    Map<Long, String> merged = new TreeMap<>();
    String previous = null;
    for (Map.Entry<BigInteger, String> e : result.entrySet()) {
      if (!e.getValue().equals(previous)) {
        merged.put(toSigned(e.getKey()), e.getValue());
        previous = e.getValue();
      }
    }
    return of(version + 1, merged);
  }

  private BigInteger length(int i) {
    BigInteger end = i + 1 < starts.length ? unsigned(starts[i + 1]) : BigInteger.ONE.shiftLeft(64);
    return end.subtract(unsigned(starts[i]));
  }

  private static BigInteger unsigned(long signedPosition) {
    return BigInteger.valueOf(signedPosition).subtract(BigInteger.valueOf(Long.MIN_VALUE));
  }

  private static long toSigned(BigInteger offset) {
    return offset.add(BigInteger.valueOf(Long.MIN_VALUE)).longValueExact();
  }

  /** The index, in {@link #shards()}, of the shard that owns {@code hash}. */
  public int ownerIndex(long hash) {
    int i = Arrays.binarySearch(starts, hash);
    return owners[i >= 0 ? i : -i - 2];
  }

  public String owner(long hash) {
    return shards.get(ownerIndex(hash));
  }

  public long version() {
    return version;
  }

  /** The shard names the map knows, sorted: the owners of ranges, and members that own none. */
  public List<String> shards() {
    return shards;
  }

  /** The shards that own at least one range, sorted: where rows live. */
  public List<String> owners() {
    return List.copyOf(new TreeSet<>(ranges().values()));
  }

  /** The indices, in {@link #shards()}, of the shards that own at least one range, ascending. */
  public int[] ownerIndices() {
    return ownerIndices.clone();
  }

  /** This map with {@code members} (that own no range) added to {@link #shards()}; same version and ranges. */
  public ShardMap withMembers(Collection<String> members) {
    return of(version, ranges(), members).withMotion(motion);
  }

  /** The same ranges under another version. */
  public ShardMap withVersion(long newVersion) {
    return of(newVersion, ranges(), shards).withMotion(motion);
  }

  /** The ranges, as start position to owner, for storing the map. */
  public Map<Long, String> ranges() {
    Map<Long, String> m = new TreeMap<>();
    for (int i = 0; i < starts.length; i++) {
      m.put(starts[i], shards.get(owners[i]));
    }
    return m;
  }

  /** The fraction of the hash space each shard owns, by name. */
  public Map<String, Double> shares() {
    Map<String, Double> m = new TreeMap<>();
    double space = Math.pow(2, 64);
    for (int i = 0; i < starts.length; i++) {
      m.merge(shards.get(owners[i]), length(i).doubleValue() / space, Double::sum);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardMap m && m.version == version && Arrays.equals(m.starts, starts)
        && m.ranges().equals(ranges());
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + Arrays.hashCode(starts);
  }

  @Override
  public String toString() {
    return "ShardMap v" + version + " " + ranges() + (motion.isEmpty() ? "" : " motion " + motion);
  }
}
