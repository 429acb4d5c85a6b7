package org.collegedb.reshard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writer threads that insert users (with an order each) and rename earlier ones through their own CollegeDB
 * connections while a reshard runs; they record which inserts succeeded, every failure and every write's latency.
 */
final class Writers implements AutoCloseable {
  final Set<Long> inserted = ConcurrentHashMap.newKeySet();
  final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
  final List<long[]> latencies = Collections.synchronizedList(new ArrayList<>()); // {end nanos, micros}
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  final AtomicLong writes = new AtomicLong();
  /** A pause after each round of three writes (0: none): H2 in memory writes some 10,000 rows a second. */
  private final long pauseMillis;

  Writers() {
    this(0);
  }

  Writers(long pauseMillis) {
    this.pauseMillis = pauseMillis;
  }

  /**
   * Starts two writers through two instances of {@code f}'s five-shard configuration (ids above 1,000,000 and
   * 2,000,000; {@code existing} users to rename) and lets them run for 200 ms.
   */
  void startTwo(ReshardFixture f, long existing) throws InterruptedException {
    start(f.config(ReshardFixture.names(1, 5), "planCacheSize", "101"), 1_000_000, existing);
    start(f.config(ReshardFixture.names(1, 5), "planCacheSize", "102"), 2_000_000, existing);
    Thread.sleep(200);
  }

  /** Starts a thread writing ids {@code base + 1, base + 2, ...} through a connection made with {@code config}. */
  void start(Properties config, long base, long existing) {
    Thread t = new Thread(() -> {
      try (Connection c = ReshardFixture.connect(config);
           PreparedStatement u = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)");
           PreparedStatement o = c.prepareStatement("INSERT INTO orders (id, user_id, amount) VALUES (?, ?, ?)");
           PreparedStatement r = c.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
        long n = 0;
        while (!stop.get()) {
          n++;
          long id = base + n;
          try {
            long t0 = System.nanoTime();
            u.setLong(1, id);
            u.setString(2, "w" + id);
            u.executeUpdate();
            inserted.add(id);
            record(t0);
            t0 = System.nanoTime();
            o.setLong(1, id * 10);
            o.setLong(2, id);
            o.setLong(3, n);
            o.executeUpdate();
            record(t0);
            t0 = System.nanoTime();
            r.setString(1, "r" + n);
            r.setLong(2, 1 + (n * 7919) % existing);
            r.executeUpdate();
            record(t0);
          } catch (SQLException e) {
            failures.add(e);
          }
          if (pauseMillis > 0) {
            try {
              Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      } catch (SQLException e) {
        failures.add(e);
      }
    });
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void record(long t0) {
    long end = System.nanoTime();
    latencies.add(new long[] {end, (end - t0) / 1000});
    writes.incrementAndGet();
  }

  /** The p99 latency in milliseconds of the writes that ended between {@code from} and {@code to} (nanos). */
  double p99Millis(long from, long to) {
    List<Long> l = new ArrayList<>();
    synchronized (latencies) {
      for (long[] x : latencies) {
        if (x[0] >= from && x[0] <= to) {
          l.add(x[1]);
        }
      }
    }
    if (l.isEmpty()) {
      return 0;
    }
    Collections.sort(l);
    return l.get((int) Math.min(l.size() - 1, Math.ceil(l.size() * 0.99) - 1)) / 1000.0;
  }

  double maxMillis() {
    long max = 0;
    synchronized (latencies) {
      for (long[] x : latencies) {
        max = Math.max(max, x[1]);
      }
    }
    return max / 1000.0;
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(30_000);
    }
  }
}
