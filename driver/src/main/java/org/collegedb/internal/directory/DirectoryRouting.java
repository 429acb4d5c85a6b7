package org.collegedb.internal.directory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.collegedb.SqlStates;
import org.collegedb.internal.route.KeyDirectory;
import org.collegedb.internal.schema.TableRule;

/**
 * The directory's answers to routing, for one connection. Reads of a single lookup value or key may be answered
 * from the cache (and are re-checked when the shard has no row); writes, IN lists and cache misses ask the
 * directory. Reads never create anything.
 */
public final class DirectoryRouting implements KeyDirectory {
  private final DirectorySession session;
  private final Directory directory;
  private final Placer placer;

  public DirectoryRouting(DirectorySession session) {
    this.session = session;
    this.directory = session.directory();
    this.placer = new Placer(session);
  }

  @Override
  public boolean placesKeys() {
    return directory.spec().placesKeys();
  }

  @Override
  public int owner(TableRule rule, Object[] key, long hash, Use use, List<String> cacheUsed) throws SQLException {
    return placer.owner(rule, key, hash, use, cacheUsed);
  }

  @Override
  public Placements placements(TableRule rule) throws SQLException {
    if (!placesKeys() || !rule.sharded()) {
      return null;
    }
    String group = Placer.group(rule);
    // all of the group's placements, read at once while they are at most directory.cacheSize; beyond, each key's is
    // read when a row asks, and at most that many are kept: memory stays bounded on a directory of any size
    int most = directory.spec().cacheSize();
    Map<String, String> all = directory.store().placements(group, most);
    com.github.benmanes.caffeine.cache.Cache<String, String> asked = all != null ? null
        : com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(most).build();
    org.collegedb.internal.value.KeyType[] types = rule.keyTypes();
    return key -> {
      Object[] canonical = new Object[key.length];
      for (int i = 0; i < key.length; i++) {
        canonical[i] = org.collegedb.internal.value.KeyHasher.canonical(types[i], key[i]);
      }
      String vkey = directory.keys().placement(group, canonical);
      String shard;
      if (all != null) {
        shard = all.get(vkey);
      } else {
        String known = asked.getIfPresent(vkey);
        if (known == null) {
          String read = directory.store().placement(group, vkey);
          known = read == null ? "" : read; // "": the key has no placement
          asked.put(vkey, known);
        }
        shard = known.isEmpty() ? null : known;
      }
      if (shard == null) {
        return -1;
      }
      int index = directory.shardIndex(shard);
      if (index < 0) {
        throw unknownShard(shard, "a key of " + rule.name());
      }
      return index;
    };
  }

  @Override
  public BitSet lookupOwners(TableRule rule, String column, List<Object> values, Use use, List<String> cacheUsed)
      throws SQLException {
    BitSet owners = new BitSet();
    List<String> vkeys = new ArrayList<>(values.size());
    for (Object v : values) {
      vkeys.add(directory.keys().lookup(rule.name(), column, v));
    }
    if (use == Use.READ && vkeys.size() == 1) {
      String cached = directory.cached(vkeys.get(0));
      int index = cached == null ? -1 : directory.shardIndex(cached);
      if (index >= 0) {
        cacheUsed.add(vkeys.get(0));
        owners.set(index);
        return owners;
      }
    }
    Map<String, DirectoryStore.Entry> found = directory.store().lookups(rule.name(), column, vkeys);
    for (Map.Entry<String, DirectoryStore.Entry> e : found.entrySet()) {
      int index = directory.shardIndex(e.getValue().shard());
      if (index < 0) {
        throw unknownShard(e.getValue().shard(), "a value of " + rule.name() + "." + column);
      }
      if (index >= 0) {
        owners.set(index);
        directory.remember(e.getKey(), e.getValue().shard());
      }
    }
    return owners;
  }

  /**
   * A read whose directory entry names a shard this configuration lacks (a reshard moved the row to a shard added
   * since this instance started): an error, not an empty answer. A drained shard's entries are re-pointed or deleted
   * by the reshard, so an entry names an unknown shard only when the configuration is behind.
   */
  static SQLException unknownShard(String shard, String what) {
    return new SQLException("the directory places " + what + " on shard '" + shard + "', which this "
        + "configuration lacks (a reshard moved it there): add 'shards." + shard + ".url'", SqlStates.BAD_CONFIG);
  }
}
