package org.collegedb.differential;

import static org.assertj.core.api.Assertions.fail;

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
 * the same rows must give the same answer (row by row when ordered, as multisets otherwise; same labels, types and
 * values). On any difference it prints the query and both answers.
 */
class GeneratedQueriesDifferentialTest {
  private static final AtomicInteger QUERIES = new AtomicInteger();

  @Property(tries = 400, seed = "20261122")
  void h2(@ForAll("shardCounts") int shards, @ForAll("h2Queries") Queries.Query query) throws Exception {
    check(TestShards.Backend.H2, shards, query);
  }

  @Property(tries = 400, seed = "20261123")
  void sqlite(@ForAll("shardCounts") int shards, @ForAll("sqliteQueries") Queries.Query query) throws Exception {
    check(TestShards.Backend.SQLITE, shards, query);
  }

  @Property(tries = 400, seed = "20261124")
  void postgres(@ForAll("shardCounts") int shards, @ForAll("postgresQueries") Queries.Query query)
      throws Exception {
    check(TestShards.Backend.POSTGRES, shards, query);
  }

  @Property(tries = 400, seed = "20261125")
  void mariadb(@ForAll("shardCounts") int shards, @ForAll("mariadbQueries") Queries.Query query)
      throws Exception {
    check(TestShards.Backend.MARIADB, shards, query);
  }

  @Provide
  Arbitrary<Integer> shardCounts() {
    return Arbitraries.of(2, 3, 7);
  }

  @Provide
  Arbitrary<Queries.Query> h2Queries() {
    return new Queries(TestShards.Backend.H2).any();
  }

  @Provide
  Arbitrary<Queries.Query> sqliteQueries() {
    return new Queries(TestShards.Backend.SQLITE).any();
  }

  @Provide
  Arbitrary<Queries.Query> postgresQueries() {
    return new Queries(TestShards.Backend.POSTGRES).any();
  }

  @Provide
  Arbitrary<Queries.Query> mariadbQueries() {
    return new Queries(TestShards.Backend.MARIADB).any();
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
    String difference = Answers.difference(expected, actual, query.ordered(),
        backend == TestShards.Backend.MARIADB);
    if (difference != null) {
      fail(backend + " over " + shards + " shards: " + difference + "\n  query: " + query + "\n  expected: "
          + expected + "\n  actual:   " + actual);
    }
  }

  @AfterContainer
  static void report() {
    System.out.println("differential queries compared: " + QUERIES.get());
  }
}
