package org.collegedb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;

/**
 * Instances reaching new PostgreSQL shards at the same moment all connect: each creates CollegeDB's tables there
 * with {@code CREATE TABLE IF NOT EXISTS}, which PostgreSQL does not make atomic (the loser of the race failed with
 * {@code 23505} on {@code pg_type}, seen in the reshard property test).
 */
class ConcurrentFirstConnectTest {
  private static final int INSTANCES = 6;

  /** What one instance does when all start together. */
  @FunctionalInterface
  private interface Step {
    void run(int instance) throws Exception;
  }

  /** One round of a test: fresh shards, the instances it connects (closed after the round). */
  @FunctionalInterface
  private interface Round {
    void run(ExecutorService pool, TestShards shards, int round, List<Connection> instances) throws Exception;
  }

  /** Four rounds of {@code body}, each on two new PostgreSQL shards named {@code name}. */
  private static void rounds(String name, Round body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
    try {
      for (int round = 0; round < 4; round++) {
        TestShards shards = TestShards.create(Backend.POSTGRES, name, 2, false);
        List<Connection> instances = new ArrayList<>();
        try {
          body.run(pool, shards, round, instances);
        } finally {
          for (Connection c : instances) {
            c.close();
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs {@code step} for every instance on the pool's threads, all released at once; each must succeed. */
  private static void together(ExecutorService pool, Step step) throws Exception {
    CyclicBarrier start = new CyclicBarrier(INSTANCES);
    List<Future<Integer>> done = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      int instance = i;
      done.add(pool.submit(() -> {
        start.await();
        step.run(instance);
        return instance;
      }));
    }
    for (int i = 0; i < INSTANCES; i++) {
      assertThat(done.get(i).get()).isEqualTo(i); // rethrows the instance's failure
    }
  }

  @Test
  void instancesCreatingTheShardMapTogetherAllConnect() throws Exception {
    rounds("first_connect", (pool, shards, round, instances) -> together(pool, i -> {
      String cacheSize = String.valueOf(100 + round * INSTANCES + i); // a distinct instance each
      try (Connection c = shards.connect("planCacheSize", cacheSize); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT 1")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1L);
      }
    }));
  }

  /**
   * Instances committing their first transaction over both shards at the same moment all commit: the coordinator
   * creates the two-phase decision table in its own transaction on PostgreSQL, where the losers of that race would have
   * aborted the whole transaction.
   */
  @Test
  void instancesCommittingTheirFirstAtomicTransactionTogetherAllCommit() throws Exception {
    rounds("first_commit", (pool, shards, round, instances) -> {
      for (int s = 0; s < 2; s++) {
        try (Connection d = DriverManager.getConnection(shards.url(s), "postgres", "");
             Statement st = d.createStatement()) {
          st.execute("CREATE TABLE kv (id BIGINT NOT NULL PRIMARY KEY)");
        }
      }
      for (int i = 0; i < INSTANCES; i++) {
        Connection c = shards.connect("planCacheSize", String.valueOf(300 + round * INSTANCES + i),
            "tables.kv.key", "id");
        instances.add(c);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) { // ten keys: both shards
          for (int k = 0; k < 10; k++) {
            s.executeUpdate("INSERT INTO kv (id) VALUES (" + (i * 100 + k) + ")");
          }
        }
      }
      together(pool, i -> instances.get(i).commit());
      long rows = 0;
      for (int s = 0; s < 2; s++) {
        try (Connection d = shards.direct(s); Statement st = d.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM kv")) {
          rs.next();
          rows += rs.getLong(1);
        }
      }
      assertThat(rows).isEqualTo(10L * INSTANCES);
    });
  }

  /**
   * Instances running their first schema change at the same moment, with a new PostgreSQL directory database, all
   * succeed: each records its change in the directory's {@code collegedb_operations} (a reshard waits for it), made
   * there with {@code CREATE TABLE IF NOT EXISTS} by whichever comes first.
   */
  @Test
  void instancesRunningTheirFirstSchemaChangeTogetherAllSucceed() throws Exception {
    rounds("first_ddl", (pool, shards, round, instances) -> {
      String directory = TestShards.emptyPostgres(TestShards.DB_PREFIX + "_first_ddl_dir");
      for (int i = 0; i < INSTANCES; i++) { // connected first: only the schema changes run together
        instances.add(shards.connect("planCacheSize", String.valueOf(200 + round * INSTANCES + i),
            "directory.url", directory, "directory.user", "postgres"));
      }
      together(pool, i -> {
        try (Statement s = instances.get(i).createStatement()) {
          s.execute("CREATE TABLE t" + i + " (id BIGINT NOT NULL PRIMARY KEY)");
        }
      });
    });
  }
}
