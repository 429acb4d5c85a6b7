package org.collegedb.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.collegedb.metrics.CollegeMetrics;
import org.collegedb.testing.TestShards;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What metrics cost: a prepared point select and a fan-out {@code COUNT(*)} through CollegeDB over four in-memory H2
 * shards, with no registry bound ({@code metrics=off}, the default) and with a Micrometer
 * {@code SimpleMeterRegistry} bound ({@code metrics=micrometer}). Both in one JMH run: read the ratio.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class MetricsOverheadBenchmark {
  static final int USERS = 10_000;

  @Param({"off", "micrometer"})
  public String metrics;

  private TestShards shards;
  private Connection connection;
  private PreparedStatement select;
  private PreparedStatement count;
  private CollegeMetrics bound;
  private int next;

  @Setup(Level.Trial)
  public void open() throws Exception {
    if (metrics.equals("micrometer")) {
      bound = CollegeMetrics.bind(new SimpleMeterRegistry());
    }
    shards = TestShards.create(TestShards.Backend.H2, "bench_metrics", 4);
    connection = shards.connect();
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL)");
    }
    try (PreparedStatement ps = connection.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
      for (int id = 1; id <= USERS; id++) {
        ps.setLong(1, id);
        ps.setString(2, "user " + id);
        ps.addBatch();
        if (id % 1000 == 0) {
          ps.executeBatch();
        }
      }
    }
    select = connection.prepareStatement("SELECT name FROM users WHERE id = ?");
    count = connection.prepareStatement("SELECT COUNT(*) FROM users");
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    connection.close();
    if (bound != null) {
      bound.close();
    }
  }

  @Benchmark
  public String pointSelect() throws SQLException {
    next = next % USERS + 1;
    select.setLong(1, next);
    try (ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Benchmark
  public long fanOutCount() throws SQLException {
    try (ResultSet rs = count.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
