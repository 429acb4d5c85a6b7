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
 * What the distributed path costs: a join of two tables of 100,000 rows each on a column that is not their shard key,
 * through CollegeDB over four shards ({@code target=collegedb}: every row fetched from the shards and joined in the
 * driver, the distributed path's hash join; before it, loaded into a scratch database of the shards' product and
 * joined there), against the same statement on one database holding all
 * rows ({@code target=direct}), with the same indexes (H2's reuse of an unchanged query's last result is turned off
 * there: the scratch database never has it). {@link #join} returns the 100,000 joined rows;
 * {@link #derivedAggregate} is a derived-table aggregate over one table; {@link #semiJoin} the join with one side
 * narrowed to 100 rows by its own condition, whose keys narrow the other side's fragment (semi-join key pushing).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class CrossShardJoinBenchmark {
  static final int ROWS = 100_000;
  static final String JOIN = "SELECT a.id, b.w FROM a JOIN b ON a.k = b.k";
  static final String DERIVED = "SELECT COUNT(*), SUM(t.v) FROM (SELECT k, v FROM a WHERE v < 500) t";
  /** a narrowed to 100 rows by its own condition: their 100 keys are sent to b (semi-join), not b's 100,000 rows. */
  static final String SEMI_JOIN = "SELECT a.id, b.w FROM a JOIN b ON a.k = b.k WHERE a.v = 7";

  @Param({"direct", "collegedb"})
  public String target;

  /** In-memory H2 shards, or PostgreSQL databases on the local server. */
  @Param({"H2", "POSTGRES"})
  public String backend;

  private TestShards shards;
  private Connection connection;
  private PreparedStatement join;
  private PreparedStatement derived;
  private PreparedStatement semiJoin;

  @Setup
  public void open() throws Exception {
    shards = TestShards.create(TestShards.Backend.valueOf(backend), "crossjoin", 4);
    try (Connection college = shards.connect(); Connection reference = shards.reference()) {
      for (Connection c : new Connection[] {college, reference}) {
        try (Statement st = c.createStatement()) {
          st.execute("CREATE TABLE a (id INT PRIMARY KEY, k INT NOT NULL, v INT NOT NULL)");
          st.execute("CREATE TABLE b (id INT PRIMARY KEY, k INT NOT NULL, w INT NOT NULL)");
          st.execute("CREATE INDEX a_k ON a (k)");
          st.execute("CREATE INDEX b_k ON b (k)");
        }
        fill(c, "a", 7919);
        fill(c, "b", 104_729);
      }
    }
    connection = target.equals("direct") ? shards.reference() : shards.connect();
    if (target.equals("direct") && backend.equals("H2")) {
      try (Statement st = connection.createStatement()) {
        st.execute("SET OPTIMIZE_REUSE_RESULTS FALSE"); // H2 would return the last result again, unchanged data
      }
    }
    join = connection.prepareStatement(JOIN);
    derived = connection.prepareStatement(DERIVED);
    semiJoin = connection.prepareStatement(SEMI_JOIN);
  }

  /** Rows 1..ROWS; k a permutation of 0..ROWS-1 (so the join is one to one). */
  private static void fill(Connection c, String table, int factor) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
      for (int id = 1; id <= ROWS; id++) {
        ps.setInt(1, id);
        ps.setInt(2, (int) ((long) id * factor % ROWS));
        ps.setInt(3, id * 31 % 1000);
        ps.addBatch();
        if (id % 5000 == 0) {
          ps.executeBatch();
        }
      }
    }
    c.commit();
    c.setAutoCommit(auto);
  }

  @TearDown
  public void close() throws SQLException {
    connection.close();
  }

  @Benchmark
  public void join(Blackhole bh) throws SQLException {
    try (ResultSet rs = join.executeQuery()) {
      while (rs.next()) {
        bh.consume(rs.getInt(1));
        bh.consume(rs.getInt(2));
      }
    }
  }

  @Benchmark
  public void semiJoin(Blackhole bh) throws SQLException {
    try (ResultSet rs = semiJoin.executeQuery()) {
      while (rs.next()) {
        bh.consume(rs.getInt(1));
        bh.consume(rs.getInt(2));
      }
    }
  }

  @Benchmark
  public long derivedAggregate() throws SQLException {
    try (ResultSet rs = derived.executeQuery()) {
      rs.next();
      return rs.getLong(1) + rs.getLong(2);
    }
  }
}
