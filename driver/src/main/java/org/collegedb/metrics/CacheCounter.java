package org.collegedb.metrics;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import java.util.concurrent.atomic.LongAdder;

/** Hits and misses of the caches of one name, counted while metrics are on. */
final class CacheCounter implements StatsCounter {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  @Override
  public void recordHits(int count) {
    if (Metrics.on()) {
      hits.add(count);
    }
  }

  @Override
  public void recordMisses(int count) {
    if (Metrics.on()) {
      misses.add(count);
    }
  }

  @Override
  public void recordLoadSuccess(long loadTime) {
    // the driver's caches are filled with put, never loaded
  }

  @Override
  public void recordLoadFailure(long loadTime) {
    // as above
  }

  @Override
  public void recordEviction(int weight, RemovalCause cause) {
    if (Metrics.on()) {
      evictions.increment();
    }
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  long evictions() {
    return evictions.sum();
  }

  @Override
  public CacheStats snapshot() {
    return CacheStats.of(hits.sum(), misses.sum(), 0, 0, 0, evictions.sum(), 0);
  }
}
