package org.collegedb.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CollegeDB's meters in a Micrometer registry. Spring Boot binds every {@link MeterBinder} bean to its registry, so
 * a bean is all it takes there:
 *
 * <pre>{@code @Bean MeterBinder collegeDbMetrics() { return new CollegeMetrics(); }}</pre>
 *
 * <p>Elsewhere: {@code CollegeMetrics.bind(registry)}. For JMX, bind a {@code JmxMeterRegistry}
 * (micrometer-registry-jmx), or let Spring Boot export to JMX ({@code management.jmx.metrics.export.enabled=true}).
 * Metrics cover every CollegeDB runtime of the JVM; shards are told apart by their configured names.
 *
 * <p>Meters: {@code collegedb.shard.statements} (timer: statements run on a shard, their time; tag {@code shard}),
 * {@code collegedb.shard.errors} (counter; tag {@code shard}), {@code collegedb.statements} (counter; tag
 * {@code kind}: read, write, broadcast_write, ddl, locking_read, broadcast_lock), {@code collegedb.fanout.width}
 * (summary: shards per statement), {@code collegedb.cache.gets} (function counter; tags {@code cache}: plan or
 * directory, {@code result}: hit or miss), {@code collegedb.cache.hit.ratio} (gauge; tag {@code cache}) and
 * {@code collegedb.shard.connections} (gauge: open physical connections; tag {@code shard}).
 */
public final class CollegeMetrics implements MeterBinder, AutoCloseable {
  private volatile Sink sink;

  /** Binds CollegeDB's meters to {@code registry}; {@link #close()} unbinds them again. */
  public static CollegeMetrics bind(MeterRegistry registry) {
    CollegeMetrics m = new CollegeMetrics();
    m.bindTo(registry);
    return m;
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (sink != null) {
      Metrics.uninstall(sink);
    }
    sink = new Sink(registry);
    Metrics.install(sink);
  }

  /** Stops reporting to the registry (its meters stay registered, unchanged from then on). */
  @Override
  public synchronized void close() {
    if (sink != null) {
      Metrics.uninstall(sink);
      sink = null;
    }
  }

  /** The meters of one registry. */
  private static final class Sink implements DriverMetrics {
    private final MeterRegistry registry;
    private final Map<String, ShardMeters> shards = new ConcurrentHashMap<>();
    private final Map<String, Counter> kinds = new ConcurrentHashMap<>();
    private final Map<String, Boolean> connectionGauges = new ConcurrentHashMap<>();
    private final DistributionSummary fanOut;

    Sink(MeterRegistry registry) {
      this.registry = registry;
      this.fanOut = DistributionSummary.builder("collegedb.fanout.width").baseUnit("shards")
          .description("shards a statement ran on").register(registry);
      for (String cache : new String[] {"plan", "directory"}) {
        CacheCounter c = (CacheCounter) Metrics.cacheStats(cache).get();
        FunctionCounter.builder("collegedb.cache.gets", c, CacheCounter::hits).tags("cache", cache, "result", "hit")
            .description("lookups in CollegeDB's " + cache + " cache").register(registry);
        FunctionCounter.builder("collegedb.cache.gets", c, CacheCounter::misses)
            .tags("cache", cache, "result", "miss").description("lookups in CollegeDB's " + cache + " cache")
            .register(registry);
        Gauge.builder("collegedb.cache.hit.ratio", c, x -> {
          long all = x.hits() + x.misses();
          return all == 0 ? Double.NaN : (double) x.hits() / all;
        }).tags("cache", cache).description("hits / lookups since metrics were bound").register(registry);
      }
      Metrics.connectionCounts().keySet().forEach(this::connectionGauge);
    }

    private void connectionGauge(String shard) {
      if (connectionGauges.putIfAbsent(shard, Boolean.TRUE) == null) {
        AtomicInteger count = Metrics.connectionCounts().computeIfAbsent(shard, k -> new AtomicInteger());
        Gauge.builder("collegedb.shard.connections", count, AtomicInteger::get).tags("shard", shard)
            .description("open physical connections to the shard").register(registry);
      }
    }

    @Override
    public void routed(String kind, int shards) {
      kinds.computeIfAbsent(kind, k -> Counter.builder("collegedb.statements").tags("kind", k)
          .description("statements routed, by kind").register(registry)).increment();
      fanOut.record(shards);
    }

    @Override
    public void shardCall(String shard, long nanos, boolean failed) {
      ShardMeters m = shards.computeIfAbsent(shard, s -> {
        connectionGauge(s);
        return new ShardMeters(Timer.builder("collegedb.shard.statements").tags("shard", s)
            .description("statements run on the shard").register(registry),
            Counter.builder("collegedb.shard.errors").tags("shard", s)
                .description("statements the shard failed").register(registry));
      });
      m.statements().record(nanos, TimeUnit.NANOSECONDS);
      if (failed) {
        m.errors().increment();
      }
    }
  }

  private record ShardMeters(Timer statements, Counter errors) {
  }
}
