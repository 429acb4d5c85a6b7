package org.collegedb;

import java.util.List;

/**
 * Chooses the shard for a new key under {@code strategy=custom} (name the implementing class with
 * {@code strategy.class=}; it needs a public no-argument constructor). It is called once per new key, before the
 * key's first row is written; its answer is recorded in the directory, so the key stays there whatever the chooser
 * says later. It must be thread-safe.
 */
public interface ShardChooser {
  /**
   * The shard for a key that has no placement yet.
   *
   * @param table    the table whose row is being inserted, lower case
   * @param key      the key's values, in key-column order, canonical ({@code Long}, {@code String}, ...)
   * @param eligible the shards that may take new keys (not over {@code maxShardSize}), sorted by name; never empty
   * @return one of {@code eligible}
   */
  String choose(String table, List<Object> key, List<String> eligible);
}
