package org.collegedb.it;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * Four shards plus a reference database per backend and test class, created once per JVM: creating PostgreSQL
 * databases for every test would cost more than the tests. Tests reset their tables with {@link Schema}.
 */
final class ShardSets {
  static final int SHARDS = 4;
  private static final Map<String, TestShards> SETS = new ConcurrentHashMap<>();

  private ShardSets() {
  }

  /** The shard set of {@code owner} on {@code backend}. */
  static TestShards of(Backend backend, Class<?> owner) throws Exception {
    String key = backend + "/" + owner.getSimpleName();
    TestShards shards = SETS.get(key);
    if (shards == null) {
      shards = TestShards.create(backend, "it_" + owner.getSimpleName(), SHARDS);
      SETS.put(key, shards);
    }
    return shards;
  }
}
