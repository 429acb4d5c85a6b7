package org.collegedb.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.internal.route.ShardMap;
import org.collegedb.testing.TestShards;
import org.collegedb.internal.value.KeyHasher;
import org.collegedb.internal.value.KeyType;

/**
 * Adds a fifth shard to four holding {@code rows} rows while {@code writers} threads insert and update through
 * CollegeDB, and reports: the fraction of rows moved, the time taken, failed writes, the p99 write latency while the
 * switch fenced writes (and half a second after), and verify's differences.
 *
 * <p>With a fourth argument {@code lookup}, {@code owner} is a lookup column (entries backfilled after the load, in an
 * SQLite directory database of the run's own): the switch then re-points the moved rows' entries while the sources
 * are fenced.
 *
 * <pre>java -cp tests/target/benchmarks.jar org.collegedb.bench.ReshardBenchmark SQLITE 1000000 8 [lookup]</pre>
 */
public final class ReshardBenchmark {
  private ReshardBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    TestShards.Backend backend = TestShards.Backend.valueOf(args.length > 0 ? args[0] : "SQLITE");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int writerCount = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    boolean lookup = args.length > 3 && args[3].equals("lookup");
    TestShards shards = TestShards.create(backend, "reshard_bench", 5);
    java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("reshard-bench-directory");
    Properties four = config(shards, 4, lookup, directory);
    Properties five = config(shards, 5, lookup, directory);
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", four); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE accounts (id BIGINT NOT NULL PRIMARY KEY, balance BIGINT NOT NULL, owner VARCHAR(40))");
    }
    long t0 = System.nanoTime();
    load(shards, rows);
    if (lookup) {
      try (Connection c = DriverManager.getConnection("jdbc:collegedb:", four)) {
        CollegeAdmin.of(c).backfillLookup("accounts", "owner", n -> { });
      }
    }
    System.out.printf(Locale.ROOT, "loaded %,d rows into 4 %s shards in %.1f s%n", rows, backend,
        (System.nanoTime() - t0) / 1e9);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong failed = new AtomicLong();
    AtomicLong writes = new AtomicLong();
    List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writerCount; w++) {
      long base = 100_000_000L * (w + 1);
      Thread t = new Thread(() -> write(five, base, rows, stop, failed, writes, latencies));
      t.start();
      threads.add(t);
    }
    Thread.sleep(1000);
    long[] fence = new long[2];
    long start = System.nanoTime();
    Reshard.Result result;
    try (Connection admin = DriverManager.getConnection("jdbc:collegedb:", five)) {
      result = CollegeAdmin.of(admin).reshard(Reshard.Options.defaults().batchSize(2000), (step, done, total) -> {
        if (step.equals("fence")) {
          fence[0] = System.nanoTime();
        } else if (step.equals("switch")) {
          fence[1] = System.nanoTime();
        }
      });
      double seconds = (System.nanoTime() - start) / 1e9;
      Thread.sleep(1000);
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      long moved = 0;
      long onFifth = 0;
      try (Connection d = shards.direct(4); Statement s = d.createStatement();
           ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(CASE WHEN id <= " + rows + " THEN 1 ELSE 0 END) "
               + "FROM accounts")) {
        rs.next();
        onFifth = rs.getLong(1);
        moved = rs.getLong(2);
      }
      long v0 = System.nanoTime();
      var report = CollegeAdmin.of(admin).verify();
      System.out.printf(Locale.ROOT, "reshard %s, %,d rows, %d writers%s%n", backend, rows, writerCount,
          lookup ? ", lookup column owner" : "");
      System.out.printf(Locale.ROOT, "  rows moved: %,d of %,d initial rows = %.1f%% (target <= 22%%); %,d rows on "
          + "the new shard%n", moved, rows, 100.0 * moved / rows, onFifth);
      System.out.printf(Locale.ROOT, "  time taken: %.1f s (fence up %d ms)%n", seconds, result.switchMillis());
      System.out.printf(Locale.ROOT, "  %s%n", result.text().lines().findFirst().orElse(""));
      System.out.printf(Locale.ROOT, "  writes: %,d, failed: %d%n", writes.get(), failed.get());
      System.out.printf(Locale.ROOT, "  p99 write latency around the switch: %.1f ms (all writes: p99 %.1f ms, max "
          + "%.1f ms)%n", p99(latencies, fence[0], fence[1] + 500_000_000L), p99(latencies, 0, Long.MAX_VALUE),
          max(latencies));
      System.out.printf(Locale.ROOT, "  verify: %,d rows checked, %d difference(s) (%.1f s)%n", report.rows(),
          report.problems().size(), (System.nanoTime() - v0) / 1e9);
    }
    System.exit(0);
  }

  private static Properties config(TestShards shards, int count, boolean lookup, java.nio.file.Path directory) {
    Properties all = shards.properties();
    Properties p = new Properties();
    for (int i = 1; i <= count; i++) {
      for (String f : new String[] {"url", "user"}) {
        String v = all.getProperty("shards.s" + i + "." + f);
        if (v != null) {
          p.setProperty("shards.s" + i + "." + f, v);
        }
      }
    }
    p.setProperty("tables.accounts.key", "id");
    p.setProperty("directory.url", "jdbc:sqlite:" + directory.resolve("directory.db"));
    if (lookup) {
      p.setProperty("tables.accounts.lookup", "owner");
    }
    return p;
  }

  /** Loads rows 1..rows directly into their owners under the first map (faster than through the driver). */
  private static void load(TestShards shards, int rows) throws SQLException {
    ShardMap map = ShardMap.initial(List.of("s1", "s2", "s3", "s4"));
    Connection[] c = new Connection[4];
    PreparedStatement[] ps = new PreparedStatement[4];
    int[] pending = new int[4];
    for (int i = 0; i < 4; i++) {
      c[i] = shards.direct(i);
      c[i].setAutoCommit(false);
      ps[i] = c[i].prepareStatement("INSERT INTO accounts (id, balance, owner) VALUES (?, ?, ?)");
    }
    for (long id = 1; id <= rows; id++) {
      int s = map.ownerIndex(KeyHasher.hash(KeyType.INTEGER, id));
      ps[s].setLong(1, id);
      ps[s].setLong(2, id % 1000);
      ps[s].setString(3, "owner-" + id);
      ps[s].addBatch();
      if (++pending[s] == 5000) {
        ps[s].executeBatch();
        c[s].commit();
        pending[s] = 0;
      }
    }
    for (int i = 0; i < 4; i++) {
      ps[i].executeBatch();
      c[i].commit();
      c[i].close();
    }
  }

  private static void write(Properties config, long base, int rows, AtomicBoolean stop, AtomicLong failed,
      AtomicLong writes, List<long[]> latencies) {
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", config);
         PreparedStatement insert = c.prepareStatement("INSERT INTO accounts (id, balance, owner) VALUES (?, 0, ?)");
         PreparedStatement update = c.prepareStatement("UPDATE accounts SET balance = balance + 1 WHERE id = ?")) {
      java.util.Random random = new java.util.Random(base);
      long n = 0;
      while (!stop.get()) {
        long t0 = System.nanoTime();
        try {
          if (n % 2 == 0) {
            insert.setLong(1, base + n);
            insert.setString(2, "w" + (base + n)); // unique: owner may be a lookup column
            insert.executeUpdate();
          } else {
            update.setLong(1, 1 + random.nextInt(rows));
            update.executeUpdate();
          }
          long end = System.nanoTime();
          latencies.add(new long[] {end, (end - t0) / 1000});
          writes.incrementAndGet();
        } catch (SQLException e) {
          failed.incrementAndGet();
          System.err.println("write failed: " + e.getMessage());
        }
        n++;
      }
    } catch (SQLException e) {
      failed.incrementAndGet();
      System.err.println("writer failed: " + e.getMessage());
    }
  }

  private static double p99(List<long[]> latencies, long from, long to) {
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

  private static double max(List<long[]> latencies) {
    long m = 0;
    synchronized (latencies) {
      for (long[] x : latencies) {
        m = Math.max(m, x[1]);
      }
    }
    return m / 1000.0;
  }
}
