package org.collegedb.internal.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardExecutor} over real H2 shards: results in target order, several shards at once, errors named after
 * their shard with their class and SQLState kept, the other shards' results closed on failure, and ordered runs in
 * ascending shard order.
 */
class ShardExecutorTest {
  private static final String[] NAMES = {"s1", "s2", "s3", "s4"};
  private final List<Connection> shards = new ArrayList<>();
  private ShardExecutor executor;

  @BeforeEach
  void open() throws SQLException {
    String tag = "cdbunit_exec_" + System.nanoTime();
    for (int i = 0; i < NAMES.length; i++) {
      Connection c = DriverManager.getConnection("jdbc:h2:mem:" + tag + "_" + i);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id INT PRIMARY KEY, shard VARCHAR(5))");
        s.execute("INSERT INTO t VALUES (" + i + ", '" + NAMES[i] + "')");
      }
      shards.add(c);
    }
    executor = new ShardExecutor(3);
  }

  @AfterEach
  void close() throws SQLException {
    executor.close();
    for (Connection c : shards) {
      c.close();
    }
  }

  private String name(int shard) {
    return NAMES[shard];
  }

  private ResultSet query(int shard, String sql) throws SQLException {
    return shards.get(shard).createStatement().executeQuery(sql);
  }

  @Test
  void resultsComeInTargetOrderWithTheirPositions() throws SQLException {
    int[] targets = {3, 0, 2};
    List<String> results = executor.onEach(targets, (position, shard) -> {
      try (ResultSet rs = query(shard, "SELECT shard FROM t")) {
        rs.next();
        return position + ":" + rs.getString(1);
      }
    }, this::name);
    assertThat(results).containsExactly("0:s4", "1:s1", "2:s3");
  }

  @Test
  void oneShardRunsOnTheCallersThreadAndSeveralRunAtOnce() throws Exception {
    Thread caller = Thread.currentThread();
    assertThat(executor.onEach(new int[] {2}, (p, s) -> Thread.currentThread(), this::name)).containsExactly(caller);
    CountDownLatch all = new CountDownLatch(3);
    List<Object> results = executor.onEach(new int[] {0, 1, 2}, (p, s) -> {
      all.countDown();
      // every task waits for the others: only parallel execution lets them all finish
      try {
        return all.await(20, TimeUnit.SECONDS) ? Thread.currentThread() : "timed out";
      } catch (InterruptedException e) {
        throw new SQLException(e);
      }
    }, this::name);
    assertThat(results).doesNotContain("timed out");
    assertThat(results.get(0)).as("the caller's thread takes the first target").isSameAs(caller);
    assertThat(results.get(1)).isNotSameAs(caller);
  }

  @Test
  void aShardsErrorIsNamedAndTheOtherShardsResultsAreClosed() throws SQLException {
    List<ResultSet> opened = Collections.synchronizedList(new ArrayList<>());
    assertThatThrownBy(() -> executor.onEach(new int[] {0, 1, 2, 3}, (position, shard) -> {
      if (shard == 2) {
        try (Statement s = shards.get(shard).createStatement()) {
          s.executeUpdate("INSERT INTO t VALUES (2, 'dup')"); // the shard's own duplicate key error
        }
      }
      ResultSet rs = query(shard, "SELECT * FROM t");
      opened.add(rs);
      return rs;
    }, this::name))
        .isInstanceOf(SQLIntegrityConstraintViolationException.class)
        .hasMessageStartingWith("shard 's3': ")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"))
        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(23505));
    assertThat(opened).hasSize(3);
    for (ResultSet rs : opened) {
      assertThat(rs.isClosed()).isTrue();
    }
  }

  @Test
  void severalFailuresKeepTheFirstAndSuppressTheOthers() {
    assertThatThrownBy(() -> executor.onEach(new int[] {1, 3}, (position, shard) -> {
      throw new SQLException("broken " + shard, "08006");
    }, this::name))
        .hasMessage("shard 's2': broken 1")
        .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
            .containsExactly("shard 's4': broken 3"));
  }

  @Test
  void aRuntimeFailureBecomesAnSqlExceptionNamingTheShard() {
    assertThatThrownBy(() -> executor.onEach(new int[] {0, 3}, (position, shard) -> {
      if (shard == 3) {
        throw new IllegalStateException("bug");
      }
      return "ok";
    }, this::name))
        .isInstanceOf(SQLException.class)
        .hasMessage("shard 's4': java.lang.IllegalStateException: bug")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("HY000"));
  }

  @Test
  void orderedRunsGoInAscendingShardOrderOnTheCallersThread() throws SQLException {
    List<Integer> order = new ArrayList<>();
    Thread caller = Thread.currentThread();
    List<String> results = executor.run(true, new int[] {3, 1, 2, 0}, (position, shard) -> {
      assertThat(Thread.currentThread()).isSameAs(caller);
      order.add(shard);
      return position + "@" + shard;
    }, this::name);
    assertThat(order).containsExactly(0, 1, 2, 3);
    assertThat(results).containsExactly("0@3", "1@1", "2@2", "3@0"); // still in target order
  }

  @Test
  void anOrderedRunStopsAtTheFirstFailureAndClosesWhatRan() throws SQLException {
    List<Integer> ran = new ArrayList<>();
    List<ResultSet> opened = new ArrayList<>();
    assertThatThrownBy(() -> executor.inOrder(new int[] {2, 0, 3, 1}, (position, shard) -> {
      ran.add(shard);
      if (shard == 2) {
        query(shard, "SELECT no_such_column FROM t");
      }
      ResultSet rs = query(shard, "SELECT * FROM t");
      opened.add(rs);
      return rs;
    }, this::name))
        .hasMessageStartingWith("shard 's3': ")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42S22"));
    assertThat(ran).containsExactly(0, 1, 2);
    assertThat(opened).hasSize(2).allSatisfy(rs -> assertThat(rs.isClosed()).isTrue());
  }

  @Test
  void shardOrderIsTheIdentityForAscendingShardsAndStableForEqualOnes() {
    assertThat(ShardExecutor.inShardOrder(new int[] {0, 1, 2, 3})).containsExactly(0, 1, 2, 3);
    assertThat(ShardExecutor.inShardOrder(new int[] {3, 1, 2, 0})).containsExactly(3, 1, 2, 0);
    assertThat(ShardExecutor.inShardOrder(new int[] {2, 0, 2, 0, 1})).containsExactly(1, 3, 4, 0, 2);
    assertThat(ShardExecutor.inShardOrder(new int[0])).isEmpty();
  }
}
