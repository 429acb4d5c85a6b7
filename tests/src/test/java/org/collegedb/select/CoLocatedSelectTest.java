package org.collegedb.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.collegedb.testing.TestShards.Backend;

/**
 * Self-joins on the shard key and correlated subqueries: what is co-located runs shard by shard with the answer of
 * one database; a correlated subquery that is not is refused (0A000), never answered first on its own. Column
 * names are resolved against the tables' columns, so unqualified correlations count as correlations.
 */
class CoLocatedSelectTest {
  private static final List<String> TABLES = List.of("usertable", "orders", "lineitem", "t1");

  private static final java.util.Map<Backend, Both> OPEN = new java.util.EnumMap<>(Backend.class);

  @org.junit.jupiter.api.AfterAll
  static void closeAll() throws SQLException {
    for (Both b : OPEN.values()) {
      b.close();
    }
  }

  /** The tables and rows, loaded once per backend (the tests only read). */
  private static Both open(Backend backend) throws Exception {
    Both open = OPEN.get(backend);
    if (open != null) {
      return open;
    }
    Both b = Both.open(backend, CoLocatedSelectTest.class, TABLES, List.of(
        "CREATE TABLE usertable (id INT PRIMARY KEY, age INT)",
        "CREATE TABLE orders (o_orderkey INT PRIMARY KEY, o_custkey INT)",
        "CREATE TABLE lineitem (l_id INT PRIMARY KEY, l_orderkey INT NOT NULL, l_qty INT)",
        "CREATE TABLE t1 (id INT PRIMARY KEY, a INT, b INT)"), "tables.lineitem.key", "l_orderkey");
    StringBuilder users = new StringBuilder();
    StringBuilder orders = new StringBuilder();
    StringBuilder t1 = new StringBuilder();
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      String sep = i == 0 ? "" : ", ";
      users.append(sep).append("(" + i + ", " + (20 + i % 7) + ")");
      orders.append(sep).append("(" + i + ", " + (i % 5) + ")");
      t1.append(sep).append("(" + i + ", " + (i % 4) + ", " + (i * 7 % 11) + ")");
      for (int k = 0; k < i % 3; k++) {
        items.append(items.length() == 0 ? "" : ", ").append("(" + (100 * i + k) + ", " + i + ", " + (i + k) % 9
            + ")");
      }
    }
    b.execute("INSERT INTO usertable (id, age) VALUES " + users);
    b.execute("INSERT INTO orders (o_orderkey, o_custkey) VALUES " + orders);
    b.execute("INSERT INTO t1 (id, a, b) VALUES " + t1);
    b.execute("INSERT INTO lineitem (l_id, l_orderkey, l_qty) VALUES " + items);
    OPEN.put(backend, b);
    return b;
  }

  @EveryBackend
  void aSelfJoinOnTheShardKeyRunsShardByShard(Backend backend) throws Exception {
    Both b = open(backend);
    {
      Set<Integer> holders = new HashSet<>();
      for (int id = 0; id <= 4; id++) {
        holders.add(b.shardHolding("usertable", "id = " + id));
      }
      assertThat(holders).as("ids 0..4 live on several shards").hasSizeGreaterThan(1);
      String sql = "SELECT u.id, v.age FROM usertable u JOIN usertable v ON u.id = v.id WHERE u.id BETWEEN 0 AND 4";
      assertThat(b.actual(sql)).isEqualTo(b.expected(sql)).hasSize(5);
      assertThat(b.lastShards()).hasSize(4);
      String pinned = "SELECT u.id, v.age FROM usertable u JOIN usertable v ON v.id = u.id WHERE u.id = 3";
      assertThat(b.actual(pinned)).isEqualTo(b.expected(pinned)).hasSize(1);
      assertThat(b.lastShards()).hasSize(1);
      // Not on the key: it cannot run shard by shard; the distributed path answers it exactly.
      String offKey = "SELECT u.id FROM usertable u JOIN usertable v ON u.age = v.id";
      assertThat(b.actual(offKey)).isEqualTo(b.expected(offKey));
    }
  }

  @EveryBackend
  void aSubqueryCorrelatedByUnqualifiedNamesOnTheKeyRunsShardByShard(Backend backend) throws Exception {
    Both b = open(backend);
    {
      for (int order = 0; order < 20; order++) {
        int holder = b.shardHolding("orders", "o_orderkey = " + order);
        if (order % 3 != 0) {
          assertThat(b.shardHolding("lineitem", "l_orderkey = " + order + " AND l_id = " + (100 * order)))
              .as("line items live with their order").isEqualTo(holder);
        }
      }
      String sql = "SELECT o_orderkey FROM orders WHERE EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey "
          + "AND l_qty > 2)";
      assertThat(b.actual(sql)).isEqualTo(b.expected(sql)).isNotEmpty();
      assertThat(b.lastShards()).hasSize(4);
      String notExists = "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM lineitem WHERE o.o_orderkey "
          + "= l_orderkey)";
      assertThat(b.actual(notExists)).isEqualTo(b.expected(notExists));
      String aliased = "SELECT id, (SELECT COUNT(*) FROM t1 AS x WHERE x.id = t1.id AND x.b < 5) FROM t1";
      assertThat(b.actual(aliased)).isEqualTo(b.expected(aliased)).hasSize(20);
    }
  }

  @EveryBackend
  void aCorrelatedSubqueryNotOnTheKeyIsRefusedNotAnsweredFirst(Backend backend) throws Exception {
    Both b = open(backend);
    {
      for (String sql : List.of(
          "SELECT a, (SELECT COUNT(*) FROM t1 AS x WHERE x.b < t1.b) FROM t1",
          "SELECT o_orderkey FROM orders WHERE EXISTS (SELECT * FROM lineitem WHERE l_qty = o_custkey)",
          "SELECT o_orderkey FROM orders WHERE o_orderkey IN (SELECT l_orderkey FROM lineitem WHERE EXISTS "
              + "(SELECT 1 FROM t1 WHERE t1.a = o_custkey))")) {
        assertThat(b.expected(sql)).as("one database answers " + sql).isNotEmpty();
        // Never answered first (that gave "no such column" on every shard): the distributed path answers it
        // exactly; with crossShardQueries=pushdown-only it is refused (DistributedQueryTest checks the refusal).
        assertThat(b.actual(sql)).as(sql).isEqualTo(b.expected(sql));
      }
      // Uncorrelated, the same shapes are answered first and exactly.
      String uncorrelated = "SELECT o_orderkey FROM orders WHERE o_custkey IN (SELECT l_qty FROM lineitem WHERE "
          + "l_qty > 3)";
      assertThat(b.actual(uncorrelated)).isEqualTo(b.expected(uncorrelated));
    }
  }
}
