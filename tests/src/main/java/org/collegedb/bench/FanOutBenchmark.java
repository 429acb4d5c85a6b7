package org.collegedb.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.collegedb.testing.TestShards;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a query across shards costs: CollegeDB over four shards ({@code target=collegedb}) against the same statement
 * run directly on each of the four shards, one after the other ({@code target=direct}: the sum of the four), in the
 * same run, on in-memory H2 shards and on PostgreSQL databases of the local server. {@link #count} is a fan-out {@code COUNT(*)}; {@link #orderByLimit} an
 * {@code ORDER BY ... LIMIT 10 OFFSET 100}, which CollegeDB sends to each shard as {@code LIMIT 110} and merges.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class FanOutBenchmark {
  static final int EVENTS = 40_000;
  static final String COUNT = "SELECT COUNT(*) FROM events";
  static final String PAGE = "SELECT id, amount FROM events ORDER BY created DESC, id LIMIT 10 OFFSET 100";
  /** What an exact page needs from each shard: its first 110 rows, with the sort key. */
  static final String SHARD_PAGE = "SELECT id, amount, created FROM events ORDER BY created DESC, id LIMIT 110";

  @Param({"direct", "collegedb"})
  public String target;

  /** In-memory H2 shards, or PostgreSQL databases on the local server (a network round trip per statement). */
  @Param({"H2", "POSTGRES"})
  public String backend;

  /**
   * H2's result reuse ({@code OPTIMIZE_REUSE_RESULTS}), on by default: H2 answers a statement run again on unchanged
   * tables with a copy of its last result, so with {@code on} an H2 figure measures copying that result, not running
   * the query. {@code off} (set on each shard database, for both targets) makes H2 run it, as it must when the data
   * changes between reads.
   */
  @Param({"on"})
  public String h2ResultCache;

  private TestShards shards;
  private Connection college;
  private Connection[] direct;
  private PreparedStatement[] count;
  private PreparedStatement[] page;
  private PreparedStatement[] shardPage;

  @Setup
  public void open() throws Exception {
    shards = TestShards.create(TestShards.Backend.valueOf(backend), "fanout", 4);
    college = shards.connect();
    try (Statement st = college.createStatement()) {
      st.execute("CREATE TABLE events (id BIGINT PRIMARY KEY, user_id INT NOT NULL, amount INT NOT NULL, "
          + "created BIGINT NOT NULL)");
      st.execute("CREATE INDEX events_created ON events (created)");
    }
    try (PreparedStatement ps = college.prepareStatement(
        "INSERT INTO events (id, user_id, amount, created) VALUES (?, ?, ?, ?)")) {
      for (int id = 1; id <= EVENTS; id++) {
        ps.setLong(1, id);
        ps.setInt(2, id % 997);
        ps.setInt(3, id * 31 % 1000);
        ps.setLong(4, (long) id * 7919 % 100_003);
        ps.addBatch();
        if (id % 2000 == 0) {
          ps.executeBatch();
        }
      }
    }
    if (backend.equals("H2") && h2ResultCache.equals("off")) {
      for (int i = 0; i < shards.count(); i++) {
        try (Connection c = shards.direct(i); Statement st = c.createStatement()) {
          st.execute("SET OPTIMIZE_REUSE_RESULTS FALSE"); // a database setting: every session of that shard
        }
      }
    }
    if (target.equals("direct")) {
      direct = new Connection[shards.count()];
      count = new PreparedStatement[direct.length];
      page = new PreparedStatement[direct.length];
      shardPage = new PreparedStatement[direct.length];
      for (int i = 0; i < direct.length; i++) {
        direct[i] = shards.direct(i);
        count[i] = direct[i].prepareStatement(COUNT);
        page[i] = direct[i].prepareStatement(PAGE);
        shardPage[i] = direct[i].prepareStatement(SHARD_PAGE);
      }
    } else {
      count = new PreparedStatement[] {college.prepareStatement(COUNT)};
      page = new PreparedStatement[] {college.prepareStatement(PAGE)};
    }
  }

  @TearDown
  public void close() throws SQLException {
    if (direct != null) {
      for (Connection c : direct) {
        c.close();
      }
    }
    college.close();
  }

  @Benchmark
  public long count() throws SQLException {
    long total = 0;
    for (PreparedStatement ps : count) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        total += rs.getLong(1);
      }
    }
    return total;
  }

  /**
   * The exact page without CollegeDB: with {@code target=direct}, the least any program can do over JDBC to answer
   * the page exactly: each shard's first 110 rows ({@link #SHARD_PAGE}) merged by hand, four heads compared on
   * {@code created} (no two rows share it) and only the rows passed read. Its score over {@link #orderByLimit}'s
   * direct score is the floor of any exact merge's ratio; with {@code target=collegedb} it runs CollegeDB's page,
   * so its ratio is CollegeDB's page against that hand-written merge.
   */
  @Benchmark
  public void orderByLimitExact(Blackhole bh) throws SQLException {
    if (shardPage == null) {
      orderByLimit(bh);
      return;
    }
    int n = shardPage.length;
    ResultSet[] rs = new ResultSet[n];
    long[] created = new long[n];
    try {
      for (int i = 0; i < n; i++) {
        rs[i] = shardPage[i].executeQuery();
        created[i] = rs[i].next() ? rs[i].getLong(3) : Long.MIN_VALUE;
      }
      for (int row = 0; row < 110; row++) {
        int best = -1;
        for (int i = 0; i < n; i++) {
          if (created[i] != Long.MIN_VALUE && (best < 0 || created[i] > created[best])) {
            best = i;
          }
        }
        if (best < 0) {
          break;
        }
        if (row >= 100) {
          bh.consume(rs[best].getLong(1));
          bh.consume(rs[best].getInt(2));
        }
        created[best] = rs[best].next() ? rs[best].getLong(3) : Long.MIN_VALUE;
      }
    } finally {
      for (ResultSet r : rs) {
        if (r != null) {
          r.close();
        }
      }
    }
  }

  @Benchmark
  public void orderByLimit(Blackhole bh) throws SQLException {
    for (PreparedStatement ps : page) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          bh.consume(rs.getLong(1));
          bh.consume(rs.getInt(2));
        }
      }
    }
  }
}
