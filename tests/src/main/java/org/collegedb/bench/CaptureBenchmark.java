package org.collegedb.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.collegedb.capture.ChangeCapture;
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

/**
 * What change capture costs a writer: an auto-commit single-row {@code UPDATE} by primary key on one database
 * (plain JDBC), without capture ({@code capture=off}) and with it ({@code capture=on}: the trigger appends the
 * change, the row before and after as JSON, to the log in the same transaction). Giving positions and reading are
 * the consumers' work, not the writer's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Thread)
public class CaptureBenchmark {
  static final int ROWS = 1000;

  @Param({"off", "on"})
  public String capture;

  @Param({"SQLITE", "H2", "POSTGRES", "MARIADB"})
  public String backend;

  private TestShards db;
  private Connection c;
  private PreparedStatement update;
  private int next;

  @Setup
  public void open() throws Exception {
    db = TestShards.create(TestShards.Backend.valueOf(backend), "capture_bench", 1);
    c = db.direct(0);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE accounts (id INTEGER NOT NULL PRIMARY KEY, balance BIGINT NOT NULL, "
          + "owner VARCHAR(40) NOT NULL)");
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, balance, owner) VALUES (?, 0, ?)")) {
      c.setAutoCommit(false);
      for (int id = 0; id < ROWS; id++) {
        ps.setInt(1, id);
        ps.setString(2, "owner number " + id);
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
      c.setAutoCommit(true);
    }
    if (capture.equals("on")) {
      ChangeCapture.install(c, "accounts");
    }
    update = c.prepareStatement("UPDATE accounts SET balance = balance + 1 WHERE id = ?");
  }

  @TearDown
  public void close() throws SQLException {
    c.close();
  }

  @Benchmark
  public int update() throws SQLException {
    update.setInt(1, next++ % ROWS);
    return update.executeUpdate();
  }
}
