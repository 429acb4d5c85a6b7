package org.collegedb.metrics;

/**
 * What the driver reports as it runs statements. The driver calls it through {@link Metrics}, which does nothing
 * when no implementation is installed; {@link CollegeMetrics} installs one that feeds a Micrometer registry.
 */
interface DriverMetrics {
  /** A statement was routed: {@code kind} as routing sees it (read, write, ddl, ...), run on {@code shards} shards. */
  void routed(String kind, int shards);

  /** One statement ran on {@code shard} for {@code nanos}; {@code failed} when the shard reported an error. */
  void shardCall(String shard, long nanos, boolean failed);
}
