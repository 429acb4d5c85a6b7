package org.collegedb.differential;

import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.collegedb.testing.TestShards;

/**
 * Differential suite: generated queries run on CollegeDB over 2, 3 and 7 shards and on one unsharded database with
 * the same rows, on H2, SQLite, PostgreSQL and MariaDB, must give the same answer (row by row when ordered, as multisets otherwise; same labels, types and
 * values). On any difference it prints the query and both answers.
 */
class GeneratedQueriesDifferentialTest {
  /**
   * Tries per backend in every build: 2,000 (each fixture is loaded once per JVM, in one transaction, and reused by
   * every try). 2,000 per backend took 39 s on SQLite with the 2-core machine under a load average of 19.
   */
  static final int TRIES = 2000;
  /**
   * Queries per try: 1 in every build; a nightly-sized run sets {@code -Dcollegedb.differential.scale=N} for N times
   * as many (5: 10,000 per backend).
   */
  static final int SCALE = Integer.getInteger("collegedb.differential.scale", 1);
  private static final AtomicInteger QUERIES = new AtomicInteger();
  /** Queries the distributed path's hash join answered. */
  private static final AtomicInteger HASH_JOINS = new AtomicInteger();

  @Property(tries = TRIES, seed = "20261122")
  void h2(@ForAll("shardCounts") int shards, @ForAll("h2Queries") List<Queries.Query> queries) throws Exception {
    check(TestShards.Backend.H2, shards, queries);
  }

  @Property(tries = TRIES, seed = "20261123")
  void sqlite(@ForAll("shardCounts") int shards, @ForAll("sqliteQueries") List<Queries.Query> queries) throws Exception {
    check(TestShards.Backend.SQLITE, shards, queries);
  }

  @Property(tries = TRIES, seed = "20261124")
  void postgres(@ForAll("shardCounts") int shards, @ForAll("postgresQueries") List<Queries.Query> queries)
      throws Exception {
    check(TestShards.Backend.POSTGRES, shards, queries);
  }

  @Property(tries = TRIES, seed = "20261125")
  void mariadb(@ForAll("shardCounts") int shards, @ForAll("mariadbQueries") List<Queries.Query> queries)
      throws Exception {
    check(TestShards.Backend.MARIADB, shards, queries);
  }

  @Provide
  Arbitrary<Integer> shardCounts() {
    return Arbitraries.of(2, 3, 7);
  }

  @Provide
  Arbitrary<List<Queries.Query>> h2Queries() {
    return new Queries(TestShards.Backend.H2).any().list().ofSize(SCALE);
  }

  @Provide
  Arbitrary<List<Queries.Query>> sqliteQueries() {
    return new Queries(TestShards.Backend.SQLITE).any().list().ofSize(SCALE);
  }

  @Provide
  Arbitrary<List<Queries.Query>> postgresQueries() {
    return new Queries(TestShards.Backend.POSTGRES).any().list().ofSize(SCALE);
  }

  @Provide
  Arbitrary<List<Queries.Query>> mariadbQueries() {
    return new Queries(TestShards.Backend.MARIADB).any().list().ofSize(SCALE);
  }

  private static void check(TestShards.Backend backend, int shards, List<Queries.Query> queries) throws Exception {
    for (Queries.Query query : queries) {
      check(backend, shards, query);
    }
  }

  private static void check(TestShards.Backend backend, int shards, Queries.Query query) throws Exception {
    Fixture f = Fixture.of(backend, shards);
    QUERIES.incrementAndGet();
    Answers.Answer expected = Answers.run(f.reference, query);
    Answers.Answer actual;
    try {
      actual = Answers.run(f.sharded, query);
    } catch (java.sql.SQLException e) {
      fail(backend + " over " + shards + " shards refused or failed: " + query + "\n  error: " + e.getSQLState()
          + " " + e.getMessage() + "\n  expected: " + expected);
      return;
    }
    org.collegedb.ExecutionInfo info = f.sharded.unwrap(org.collegedb.jdbc.CollegeConnection.class).lastExecution();
    if (info != null && info.shards().contains("hash join")) {
      HASH_JOINS.incrementAndGet();
    }
    String difference = Answers.difference(expected, actual, query.ordered(),
        backend == TestShards.Backend.MARIADB);
    if (difference != null) {
      fail(backend + " over " + shards + " shards: " + difference + "\n  query: " + query + "\n  expected: "
          + expected + "\n  actual:   " + actual);
    }
  }

  @AfterContainer
  static void report() {
    System.out.println("differential queries compared: " + QUERIES.get() + " (hash joins: " + HASH_JOINS.get() + ")");
  }
}
