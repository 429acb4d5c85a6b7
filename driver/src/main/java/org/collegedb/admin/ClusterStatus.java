package org.collegedb.admin;

import java.util.List;
import java.util.Map;

/**
 * What {@link CollegeAdmin#status()} reports: the shard map, and for each shard its part of the hash space, its rows
 * and its size.
 *
 * @param mapVersion   the version of the shard map in use
 * @param shards       one entry per configured shard, in name order
 * @param distribution rows of every sharded table per shard, with the spread's summary (skew = max / min)
 * @param directory    the directory's URL
 * @param served       the shards the directory records as served by it (empty if it has not been used)
 */
public record ClusterStatus(long mapVersion, List<Shard> shards, Distribution distribution, String directory,
    List<String> served) {

  /**
   * One shard.
   *
   * @param name   its configured name
   * @param ranges the hash ranges it owns: start (inclusive) to end (inclusive), signed 64-bit positions
   * @param share  its fraction of the hash space
   * @param rows   rows of the sharded tables on it
   * @param bytes  its database's size in bytes; null when the backend cannot tell
   */
  public record Shard(String name, List<Map.Entry<Long, Long>> ranges, double share, long rows, Long bytes) {
  }
}
