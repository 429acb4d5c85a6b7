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
    ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
    try {
      for (int round = 0; round < 4; round++) {
        TestShards shards = TestShards.create(Backend.POSTGRES, "first_connect", 2, false);
        int first = 100 + round * INSTANCES;
        together(pool, i -> {
          String cacheSize = String.valueOf(first + i); // a distinct instance each
          try (Connection c = shards.connect("planCacheSize", cacheSize); Statement s = c.createStatement();
               ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1L);
          }
        });
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Instances committing their first transaction over both shards at the same moment all commit: the coordinator
   * creates the two-phase decision table in its own transaction on PostgreSQL, where the losers of that race would have
   * aborted the whole transaction.
   */
  @Test
  void instancesCommittingTheirFirstAtomicTransactionTogetherAllCommit() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
    try {
      for (int round = 0; round < 4; round++) {
        TestShards shards = TestShards.create(Backend.POSTGRES, "first_commit", 2, false);
        try (Connection c = DriverManager.getConnection(shards.url(0), "postgres", "");
             Connection d = DriverManager.getConnection(shards.url(1), "postgres", "")) {
          for (Connection x : List.of(c, d)) {
            try (Statement s = x.createStatement()) {
              s.execute("CREATE TABLE kv (id BIGINT NOT NULL PRIMARY KEY)");
            }
          }
        }
        List<Connection> instances = new ArrayList<>();
        try {
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

  /**
   * Instances running their first schema change at the same moment, with a new PostgreSQL directory database, all
   * succeed: each records its change in the directory's {@code collegedb_operations} (a reshard waits for it), made
   * there with {@code CREATE TABLE IF NOT EXISTS} by whichever comes first.
   */
  @Test
  void instancesRunningTheirFirstSchemaChangeTogetherAllSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
    try {
      for (int round = 0; round < 4; round++) {
        TestShards shards = TestShards.create(Backend.POSTGRES, "first_ddl", 2, false);
        String directory = TestShards.emptyPostgres(TestShards.DB_PREFIX + "_first_ddl_dir");
        List<Connection> instances = new ArrayList<>();
        try {
          for (int i = 0; i < INSTANCES; i++) { // connected first: only the schema changes run together
            instances.add(shards.connect("planCacheSize", String.valueOf(200 + round * INSTANCES + i),
                "directory.url", directory, "directory.user", "postgres"));
          }
          together(pool, i -> {
            try (Statement s = instances.get(i).createStatement()) {
              s.execute("CREATE TABLE t" + i + " (id BIGINT NOT NULL PRIMARY KEY)");
            }
          });
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
}
