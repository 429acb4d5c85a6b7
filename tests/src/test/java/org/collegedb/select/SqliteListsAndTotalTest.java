package org.collegedb.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SQLite's own syntax, answered across shards as one SQLite database answers it: the empty list {@code x IN ()},
 * a table as the list ({@code x IN t1}, answered first when the table is spread over the shards) and the aggregate
 * {@code TOTAL()} (a floating-point sum, 0.0 when there is nothing to add).
 */
class SqliteListsAndTotalTest {
  private static Both b;

  @BeforeAll
  static void setUp() throws Exception {
    b = Both.open(Backend.SQLITE, SqliteListsAndTotalTest.class,
        List.of("lt_main", "lt_list", "lt_none", "lt_kinds"), List.of(
            "CREATE TABLE lt_main (id INT PRIMARY KEY, v INT, g VARCHAR(5), f REAL)",
            "CREATE TABLE lt_list (x INT PRIMARY KEY)",
            "CREATE TABLE lt_none (x INT PRIMARY KEY)",
            "CREATE TABLE lt_kinds (k INT PRIMARY KEY)"), "tables.lt_kinds.broadcast", "true");
    StringBuilder rows = new StringBuilder();
    for (int i = 1; i <= 24; i++) {
      rows.append(i == 1 ? "" : ", ").append("(" + i + ", " + (i % 5 == 0 ? "NULL" : String.valueOf(i % 7)) + ", 'g"
          + (i % 3) + "', " + (i % 4 == 0 ? "NULL" : i + ".5") + ")");
    }
    b.execute("INSERT INTO lt_main (id, v, g, f) VALUES " + rows);
    b.execute("INSERT INTO lt_list (x) VALUES (1), (3), (5), (40)");
    b.execute("INSERT INTO lt_kinds (k) VALUES (2), (4)");
  }

  @AfterAll
  static void tearDown() throws Exception {
    b.close();
  }

  private static void same(String sql) throws Exception {
    List<List<Object>> expected = Both.sorted(Both.rawRows(b.reference, sql));
    assertThat(Both.sorted(Both.rawRows(b.sharded, sql))).as(sql).isEqualTo(expected);
  }

  @Test
  void anEmptyListIsFalse() throws Exception {
    same("SELECT id FROM lt_main WHERE v IN ()");
    same("SELECT id FROM lt_main WHERE v NOT IN () AND id < 6");
    same("SELECT id, v IN (), v NOT IN () FROM lt_main");
    same("SELECT COUNT(*) FROM lt_main WHERE id IN () OR v = 3");
    assertThat(Both.rawRows(b.sharded, "SELECT id FROM lt_main WHERE id IN ()")).isEmpty();
  }

  @Test
  void aTableAsTheListIsItsRows() throws Exception {
    same("SELECT id FROM lt_main WHERE v IN lt_list");
    same("SELECT id FROM lt_main WHERE v NOT IN lt_list");
    same("SELECT id, v IN lt_list FROM lt_main");
    same("SELECT id FROM lt_main WHERE v IN lt_kinds"); // a broadcast table: each shard has it whole
    same("SELECT id FROM lt_main WHERE v IN lt_none OR id = 2");
    same("SELECT 1 IN lt_none, 1 NOT IN lt_none, NULL IN lt_none");
    assertThat(Both.rawRows(b.sharded, "SELECT COUNT(*) FROM lt_main WHERE v IN lt_list"))
        .isNotEqualTo(List.of(List.of(0)));
  }

  @Test
  void totalIsAFloatingPointSumThatIsZeroForNothing() throws Exception {
    same("SELECT TOTAL(v), SUM(v), TOTAL(f) FROM lt_main");
    same("SELECT g, TOTAL(v), COUNT(*) FROM lt_main GROUP BY g");
    same("SELECT TOTAL(v), SUM(v) FROM lt_main WHERE id < 0");
    same("SELECT TOTAL(v) FROM lt_main WHERE v IS NULL");
    same("SELECT TOTAL(DISTINCT v) FROM lt_main");
    same("SELECT g, TOTAL(v) FROM lt_main GROUP BY g HAVING TOTAL(v) > 20 ORDER BY TOTAL(v) DESC");
    List<List<Object>> empty = Both.rawRows(b.sharded, "SELECT TOTAL(v) FROM lt_main WHERE id < 0");
    assertThat(empty).containsExactly(List.of(0.0));
  }
}
