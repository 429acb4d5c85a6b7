package org.collegedb.metrics;

import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The driver's hooks, one static call each. With no {@link DriverMetrics} installed (the default) every hook is a
 * read of one field and a return: no clock is read, nothing is allocated, and no Micrometer class is loaded.
 * Connection counts and cache hits are kept always (they cost a counter increment at connect and close, and a
 * check per cache lookup), so that a registry bound later sees the connections already open.
 */
public final class Metrics {
  private static volatile DriverMetrics sink; // null: off
  private static final CopyOnWriteArrayList<DriverMetrics> SINKS = new CopyOnWriteArrayList<>();
  private static final Map<String, AtomicInteger> CONNECTIONS = new ConcurrentHashMap<>();
  private static final Map<String, CacheCounter> CACHES = new ConcurrentHashMap<>();

  private Metrics() {
  }

  /** Whether any implementation is installed. */
  public static boolean on() {
    return sink != null;
  }

  /** Installs an implementation beside those installed already. */
  static synchronized void install(DriverMetrics metrics) {
    SINKS.addIfAbsent(metrics);
    rebuild();
  }

  /** Removes an implementation. */
  static synchronized void uninstall(DriverMetrics metrics) {
    SINKS.remove(metrics);
    rebuild();
  }

  private static void rebuild() {
    if (SINKS.isEmpty()) {
      sink = null;
    } else if (SINKS.size() == 1) {
      sink = SINKS.get(0);
    } else {
      DriverMetrics[] all = SINKS.toArray(DriverMetrics[]::new);
      sink = new DriverMetrics() {
        @Override
        public void routed(String kind, int shards) {
          for (DriverMetrics m : all) {
            m.routed(kind, shards);
          }
        }

        @Override
        public void shardCall(String shard, long nanos, boolean failed) {
          for (DriverMetrics m : all) {
            m.shardCall(shard, nanos, failed);
          }
        }
      };
    }
  }

  /** Statements counted by how they ran rather than by their route's kind. */
  public enum Path {
    /** A SELECT answered on the distributed path (fragments, scratch database). */
    CROSS_SHARD
  }

  /** Hook: a statement was routed to {@code shards} shards. */
  public static void routed(Enum<?> kind, int shards) {
    DriverMetrics s = sink;
    if (s != null) {
      s.routed(kind.name().toLowerCase(java.util.Locale.ROOT), shards);
    }
  }

  /** Hook: the start of a statement on a shard; 0 when metrics are off (then no clock is read). */
  public static long start() {
    return sink == null ? 0L : System.nanoTime();
  }

  /** Hook: the end of a statement on a shard that started at {@code started} (from {@link #start()}). */
  public static void shard(String shard, long started, boolean failed) {
    DriverMetrics s = sink;
    if (s != null && started != 0L) {
      s.shardCall(shard, System.nanoTime() - started, failed);
    }
  }

  /** Hook: physical connections to {@code shard} opened (+n) or closed (-n). */
  public static void connections(String shard, int delta) {
    CONNECTIONS.computeIfAbsent(shard, k -> new AtomicInteger()).addAndGet(delta);
  }

  /** The open physical connections per shard name, of every CollegeDB runtime in this JVM. */
  static Map<String, AtomicInteger> connectionCounts() {
    return CONNECTIONS;
  }

  /**
   * Hook: the statistics counter for a Caffeine cache ({@code Caffeine.recordStats(Metrics.cacheStats("plan"))}).
   * Every cache of that name in the JVM counts into one counter.
   */
  public static Supplier<StatsCounter> cacheStats(String cache) {
    CacheCounter counter = CACHES.computeIfAbsent(cache, k -> new CacheCounter());
    return () -> counter;
  }

  /** The hit and miss counters of the caches, by cache name. */
  static Map<String, CacheCounter> caches() {
    return CACHES;
  }
}
