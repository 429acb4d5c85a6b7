package org.collegedb.internal.route;

import java.sql.SQLException;
import java.util.BitSet;
import java.util.List;
import org.collegedb.internal.schema.TableRule;

/**
 * What routing asks the directory (implemented in {@code org.collegedb.internal.directory}): where a key was placed, and
 * which shards hold the rows with given lookup-key values. Answers given from the in-process cache are reported in
 * {@code cacheUsed}, so that a read they sent to a shard that has no row can be routed again from the directory.
 */
public interface KeyDirectory {
  /** Why a key is looked up: reads may use the cache; writes ask the directory; an INSERT places new keys. */
  enum Use { READ, WRITE, INSERT }

  /** Whether keys are placed by the directory (else the shard map alone places them). */
  boolean placesKeys();

  /**
   * The shard index of a key's rows, or -1 for every shard (a key never placed, under {@code strategy.read=all}).
   * With {@link Use#INSERT}, a key that has no placement is placed now, before its row is written.
   */
  int owner(TableRule rule, Object[] key, long hash, Use use, List<String> cacheUsed) throws SQLException;

  /**
   * The placements of a table's keys as the directory holds them now (read from the directory, not the cache), for
   * the ownership filter of a read of several shards while a reshard moves rows: a placed key's row belongs to the
   * shard its placement names, wherever the map puts its hash. Null when the directory places no keys.
   */
  default Placements placements(TableRule rule) throws SQLException {
    return null;
  }

  /** A snapshot of placements: per key (the values a shard returned), the shard index it is placed on. */
  @FunctionalInterface
  interface Placements {
    /**
     * The shard index the key is placed on, or -1 when it has no placement (the map places it). A placement naming a
     * shard the configuration lacks is an error ({@code HY024}), never a row dropped.
     */
    int shardOf(Object[] key) throws SQLException;
  }

  /** The shards of the rows whose lookup column {@code column} has one of the (canonical) {@code values}. */
  BitSet lookupOwners(TableRule rule, String column, List<Object> values, Use use, List<String> cacheUsed)
      throws SQLException;
}
