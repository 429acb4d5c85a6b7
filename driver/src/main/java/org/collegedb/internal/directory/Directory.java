package org.collegedb.internal.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.config.DirectorySpec;

/**
 * The directory of one sharded database, shared by every connection of one configuration in a JVM: the store (a
 * real database, reached lazily on first use), the way its keys are made, and a bounded cache of its answers. The
 * cache is a hint: uniqueness is decided by the store, and a read routed by a cached answer that finds nothing is
 * routed again from the store.
 */
public final class Directory {
  private final CollegeConfig config;
  private final DirectorySpec spec;
  private final DirectoryKeys keys;
  private final DirectoryStore store;
  private final Cache<String, String> cache;
  private final KeyBlocks blocks;
  private volatile java.util.function.Supplier<org.collegedb.internal.route.ShardMap> shardMap;
  private final ShardSizes sizes;
  private volatile org.collegedb.ShardChooser chooser;

  private Directory(CollegeConfig config) {
    this.config = config;
    this.spec = config.directory();
    this.keys = new DirectoryKeys(spec.secret(), spec.hashKeys());
    this.store = new DirectoryStore(spec.url(), spec.user(), spec.password(), keys);
    this.cache = spec.cacheSize() == 0 ? null : Caffeine.newBuilder().maximumSize(spec.cacheSize())
        .recordStats(org.collegedb.metrics.Metrics.cacheStats("directory")).build();
    this.blocks = new KeyBlocks(store, spec.blockSize());
    this.sizes = new ShardSizes(spec.maxShardSize(), spec.sizeCheckMillis());
    this.store.onFirstOpen(c -> {
      DirectoryBinding.verify(store, c, config);
      return null;
    });
  }

  /**
   * At connect: when this configuration routes through the directory, or the shards record a directory (someone
   * used one), opens the directory, which checks that the shards are not served by another one.
   *
   * @param names       the shard names, matching {@code connections}
   * @param connections a connection to each shard, in auto-commit mode
   */
  public void checkBinding(List<String> names, List<java.sql.Connection> connections, boolean routes)
      throws java.sql.SQLException {
    if (routes || DirectoryBinding.anyBound(names, connections)) {
      store.ensureOpen();
    }
  }

  ShardSizes sizes() {
    return sizes;
  }

  /** The custom strategy's chooser, made once. */
  org.collegedb.ShardChooser chooser() throws java.sql.SQLException {
    org.collegedb.ShardChooser c = chooser;
    if (c == null) {
      synchronized (this) {
        if (chooser == null) {
          try {
            chooser = spec.chooser().getConstructor().newInstance();
          } catch (ReflectiveOperationException | RuntimeException e) {
            throw new java.sql.SQLException("cannot make the shard chooser " + spec.chooser().getName() + ": " + e,
                org.collegedb.SqlStates.BAD_CONFIG, e);
          }
        }
        c = chooser;
      }
    }
    return c;
  }

  /** The directory of a configuration; nothing is opened until it is used. */
  public static Directory of(CollegeConfig config) {
    return new Directory(config);
  }

  public DirectorySpec spec() {
    return spec;
  }

  CollegeConfig config() {
    return config;
  }

  DirectoryKeys keys() {
    return keys;
  }

  KeyBlocks blocks() {
    return blocks;
  }

  DirectoryStore store() {
    return store;
  }

  /** The index of a shard, by name, in the sorted shard list; -1 if it is not configured. */
  int shardIndex(String name) {
    List<ShardSpec> shards = config.shards();
    for (int i = 0; i < shards.size(); i++) {
      if (shards.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The shard the shard map gives a hash position. */
  int hashOwner(long hash) {
    return shardMap.get().ownerIndex(hash);
  }

  /** Gives the directory the shard map, once the runtime has read it. */
  public void useShardMap(java.util.function.Supplier<org.collegedb.internal.route.ShardMap> map) {
    this.shardMap = map;
  }

  /** The shard map this directory's runtime routes by (null before the first connection read it). */
  public org.collegedb.internal.route.ShardMap shardMap() {
    java.util.function.Supplier<org.collegedb.internal.route.ShardMap> m = shardMap;
    return m == null ? null : m.get();
  }

  /**
   * The shards this directory records as served by it: empty when it has not recorded any, or when this runtime has
   * not opened it (a configuration that neither routes through it nor finds shards bound to it).
   */
  public List<String> servedShards() throws java.sql.SQLException {
    if (!store.ready()) {
      return List.of(); // not opened by this runtime: opening it here would bind the shards to it
    }
    String served = store.read(c -> DirectoryBinding.meta(c, "served_shards"));
    return served == null || served.isEmpty() ? List.of() : List.of(served.split(","));
  }

  String shardName(int index) {
    return config.shards().get(index).name();
  }

  /** A cached answer, or null. */
  String cached(String key) {
    return cache == null ? null : cache.getIfPresent(key);
  }

  void remember(String key, String shard) {
    if (cache != null) {
      cache.put(key, shard);
    }
  }

  /** Drops one cached answer (it led a read to a shard without the row). */
  public void forget(String key) {
    if (cache != null) {
      cache.invalidate(key);
    }
  }

  /** Drops every cached answer. */
  public void forgetAll() {
    if (cache != null) {
      cache.invalidateAll();
    }
  }
}
