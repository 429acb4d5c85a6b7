package org.collegedb.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's decimal arithmetic over merged aggregates: an AVG or a division keeps 9 (or 18, ...) decimals inside an
 * expression and is rounded to the column's scale only when shown, so {@code AVG(n) * 2} is not twice the shown
 * AVG. Found by the generated differential suite ({@code SELECT AVG(n) * 2 FROM accounts}: 94.4255, not 94.4256).
 */
class MariaDbArithmeticTest {
  private static Both b;

  @BeforeAll
  static void setUp() throws Exception {
    b = Both.open(Backend.MARIADB, MariaDbArithmeticTest.class, List.of("ar_nums"),
        List.of("CREATE TABLE ar_nums (id INT PRIMARY KEY, g INT, n INT, amt DECIMAL(12,2))"));
    StringBuilder rows = new StringBuilder();
    for (int i = 1; i <= 23; i++) {
      rows.append(i == 1 ? "" : ", ").append("(" + i + ", " + (i % 3) + ", " + (i * 37 % 101 - 20) + ", "
          + (i * 1234 % 9973 - 4000) + "." + (i * 7 % 100) + ")");
    }
    b.execute("INSERT INTO ar_nums (id, g, n, amt) VALUES " + rows);
  }

  @AfterAll
  static void tearDown() throws Exception {
    b.close();
  }

  @Test
  void expressionsOverAveragesAndQuotientsUseTheUnroundedValue() throws Exception {
    for (String sql : List.of(
        "SELECT AVG(n) * 2 FROM ar_nums",
        "SELECT AVG(n) * 3, AVG(n) FROM ar_nums WHERE id <= 3",
        "SELECT g, AVG(n) * 7, SUM(n) / COUNT(*) * 3 FROM ar_nums GROUP BY g",
        "SELECT AVG(amt) * 3, AVG(amt), SUM(amt) / COUNT(*) * 7 FROM ar_nums",
        "SELECT ROUND(AVG(n), 2) * 3, AVG(DISTINCT n) * 3 FROM ar_nums",
        "SELECT SUM(n) / 7 * 7 FROM ar_nums")) {
      List<List<Object>> expected = Both.sorted(Both.rawRows(b.reference, sql));
      assertThat(Both.sorted(Both.rawRows(b.sharded, sql))).as(sql).isEqualTo(expected);
    }
  }
}
