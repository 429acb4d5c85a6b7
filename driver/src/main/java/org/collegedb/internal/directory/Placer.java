package org.collegedb.internal.directory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.DirectorySpec;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.route.KeyDirectory;
import org.collegedb.internal.value.KeyType;
import org.collegedb.internal.schema.TableRule;

/**
 * Where keys live when the directory places them. A placement is filed by key value and key type (its placement
 * group: the key columns' types), not by table, just as the hash is: a child row keyed by {@code user_id = 7} finds
 * the placement its parent {@code users.id = 7} was given, and lands with it.
 *
 * <p>A key with a placement lives there, whatever the strategy says now. A key without one: reads go to its hash
 * owner (or, under {@code strategy=mixed} with {@code strategy.read=all}, to every shard) and create nothing; an
 * INSERT places it by the write strategy and records that before the row is written (under {@code hash}, only a
 * key moved off a full shard is recorded; the others stay computable).
 */
final class Placer {
  private static final String NONE = ""; // cached: no placement

  private final DirectorySession session;
  private final Directory directory;
  private final DirectorySpec spec;

  Placer(DirectorySession session) {
    this.session = session;
    this.directory = session.directory();
    this.spec = directory.spec();
  }

  static String group(TableRule rule) {
    return Arrays.stream(rule.keyTypes()).map(KeyType::name).collect(Collectors.joining(","));
  }

  int owner(TableRule rule, Object[] key, long hash, KeyDirectory.Use use, List<String> cacheUsed)
      throws SQLException {
    String group = group(rule);
    String vkey = directory.keys().placement(group, key);
    String shard = null;
    boolean known = false;
    if (use == KeyDirectory.Use.READ) {
      String cached = directory.cached(vkey);
      if (cached != null) {
        cacheUsed.add(vkey);
        shard = cached.equals(NONE) ? null : cached;
        known = true;
      }
    }
    if (!known) {
      shard = directory.store().placement(group, vkey);
      directory.remember(vkey, shard == null ? NONE : shard);
    }
    if (shard != null && directory.shardIndex(shard) >= 0) {
      return directory.shardIndex(shard);
    }
    if (shard != null) {
      throw DirectoryRouting.unknownShard(shard, "a key of " + rule.name());
    }
    if (use != KeyDirectory.Use.INSERT) {
      return spec.readAll() ? -1 : directory.hashOwner(hash);
    }
    int chosen = choose(rule, key, hash);
    if (spec.writeStrategy() == DirectorySpec.Strategy.HASH && chosen == directory.hashOwner(hash)) {
      return chosen; // computable: needs no entry
    }
    String placed = directory.store().placeIfAbsent(group, vkey, directory.shardName(chosen),
        System.currentTimeMillis());
    directory.remember(vkey, placed);
    return directory.shardIndex(placed);
  }

  /** The shard for a new key, among those under the size limit. */
  private int choose(TableRule rule, Object[] key, long hash) throws SQLException {
    List<Integer> eligible = owning(directory.sizes().eligible(session.shards()));
    int hashOwner = directory.hashOwner(hash);
    switch (spec.writeStrategy()) {
      case ROUND_ROBIN -> {
        long n = directory.store().add("round-robin", 1);
        return eligible.get((int) Math.floorMod(n - 1, (long) eligible.size()));
      }
      case RANDOM -> {
        return eligible.get(ThreadLocalRandom.current().nextInt(eligible.size()));
      }
      case LOCATION -> {
        return byLocation(eligible, hash);
      }
      case RANGE -> {
        DirectorySpec.Range range = null;
        if (spec.ranges().containsKey(rule.name())) {
          if (rule.keyTypes().length != 1 || !(key[0] instanceof Long l)) {
            throw new SQLException("'tables." + rule.name() + ".ranges' needs a single integer key; the key of '"
                + rule.name() + "' is " + Arrays.toString(key), SqlStates.INVALID_PARAMETER);
          }
          range = spec.rangeOf(rule.name(), l);
          if (range == null) {
            throw new SQLException("no range of 'tables." + rule.name() + ".ranges' holds the key " + l
                + ": add a range for it", SqlStates.OUT_OF_RANGE);
          }
          int target = directory.shardIndex(range.shard());
          return eligible.contains(target) ? target : spill(eligible, hash);
        }
        return eligible.contains(hashOwner) ? hashOwner : spill(eligible, hash);
      }
      case CUSTOM -> {
        List<String> names = new ArrayList<>();
        for (int i : eligible) {
          names.add(directory.shardName(i));
        }
        String choice = directory.chooser().choose(rule.name(), List.of(key), List.copyOf(names));
        if (choice == null || !names.contains(choice)) {
          throw new SQLException(spec.chooser().getName() + " chose '" + choice + "', which is not one of the "
              + "eligible shards " + names, SqlStates.GENERAL);
        }
        return directory.shardIndex(choice);
      }
      default -> {
        return eligible.contains(hashOwner) ? hashOwner : spill(eligible, hash);
      }
    }
  }

  /**
   * Of the shards that may take new keys, those the shard map gives ranges to and the configuration does not drain:
   * a joining shard gets keys only once a reshard gave it ranges, a drained one none (all of them if that leaves
   * none).
   */
  private List<Integer> owning(List<Integer> eligible) throws SQLException {
    org.collegedb.internal.route.ShardMap map = directory.shardMap();
    java.util.Set<String> drained = directory.config().drainedShards();
    List<Integer> out = new ArrayList<>();
    for (int i : eligible) {
      String name = directory.shardName(i);
      if ((map == null || map.owners().contains(name)) && !drained.contains(name)) {
        out.add(i);
      }
    }
    return out.isEmpty() ? eligible : out;
  }

  /** A full shard's key goes to an eligible one, by the key's hash. */
  private static int spill(List<Integer> eligible, long hash) {
    return eligible.get((int) Math.floorMod(hash, (long) eligible.size()));
  }

  /**
   * The location rule: among the eligible shards in {@code targetRegion} (all eligible shards when none is, or no
   * region is set), those of the highest {@code priority}; ties split by the key's hash.
   */
  private int byLocation(List<Integer> eligible, long hash) {
    List<ShardSpec> shards = directory.config().shards();
    List<Integer> candidates = new ArrayList<>();
    if (spec.targetRegion() != null) {
      for (int i : eligible) {
        if (spec.targetRegion().equalsIgnoreCase(shards.get(i).region())) {
          candidates.add(i);
        }
      }
    }
    if (candidates.isEmpty()) {
      candidates.addAll(eligible);
    }
    int best = Integer.MIN_VALUE;
    for (int i : candidates) {
      best = Math.max(best, shards.get(i).priority());
    }
    List<Integer> top = new ArrayList<>();
    for (int i : candidates) {
      if (shards.get(i).priority() == best) {
        top.add(i);
      }
    }
    return spill(top, hash);
  }
}
