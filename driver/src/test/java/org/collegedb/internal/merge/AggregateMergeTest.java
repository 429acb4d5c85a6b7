package org.collegedb.internal.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.collegedb.internal.schema.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AggregateMerge} finishes aggregates from the shards' partial groups: every answer is compared with one
 * database holding all the rows (values, Java types, decimal scales and NULLs exactly), on H2, SQLite, PostgreSQL and
 * MariaDB shards, one of which is empty.
 */
class AggregateMergeTest {
  static MergeShards shards(String backend) throws SQLException {
    MergeShards m = MergeShards.of(backend, 3);
    m.everywhere("CREATE TABLE t (id INT PRIMARY KEY, g VARCHAR(10), x INT, d DECIMAL(10,2), f DOUBLE PRECISION)");
    m.everywhere("CREATE TABLE empty_t (id INT PRIMARY KEY, g VARCHAR(10), x INT, d DECIMAL(10,2))");
    m.on(0, "INSERT INTO t VALUES (1, 'a', 10, 1.50, 0.5), (2, 'b', NULL, 2.25, 0.25), (3, NULL, 7, NULL, NULL),"
        + " (4, 'a', 10, 3.00, 4.0)");
    m.on(1, "INSERT INTO t VALUES (5, 'b', 3, 0.10, 1.5), (6, NULL, NULL, 4.40, -2.0), (7, 'c', -5, 1.11, 2.5),"
        + " (8, 'a', 1, 9.99, 0.75)");
    // shard 2 holds no row of t
    return m;
  }

  /** Rows in a stable order, for answers whose order SQL leaves open. */
  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }

  private static void assertSameAnswer(MergeShards m, String sql, boolean ordered, Object... params)
      throws SQLException {
    MergeShards.Answer merged = m.merged(sql, params);
    MergeShards.Answer expected = m.reference(sql, params);
    assertThat(merged.labels()).as("labels of %s", sql).isEqualTo(expected.labels());
    assertThat(merged.types()).as("JDBC types of %s", sql).isEqualTo(expected.types());
    assertThat(ordered ? merged.rows() : sorted(merged.rows())).as("rows of %s", sql)
        .isEqualTo(ordered ? expected.rows() : sorted(expected.rows()));
    assertThat(merged.classes()).as("Java types of %s", sql).isEqualTo(expected.classes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void globalAggregatesEqualOneDatabases(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      assertSameAnswer(m, "SELECT COUNT(*), COUNT(x), SUM(x), MIN(x), MAX(x), MIN(g), MAX(g) FROM t", false);
      assertSameAnswer(m, "SELECT SUM(d), MIN(d), MAX(d), SUM(f), MIN(f), MAX(f) FROM t", false);
      MergeShards.Answer a = m.merged("SELECT COUNT(*), SUM(x), MIN(g) FROM t");
      assertThat(a.rows()).hasSize(1);
      assertThat(((Number) a.rows().get(0).get(0)).longValue()).isEqualTo(8);
      assertThat(((Number) a.rows().get(0).get(1)).longValue()).isEqualTo(26);
      assertThat(a.rows().get(0).get(2)).isEqualTo("a");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void averagesHaveTheScaleAndTypeOneDatabaseGives(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      assertSameAnswer(m, "SELECT AVG(x), AVG(d), AVG(f) FROM t", false);
      assertSameAnswer(m, "SELECT g, AVG(x), AVG(d) FROM t GROUP BY g", false);
      Object avgD = m.merged("SELECT AVG(d) FROM t").rows().get(0).get(0);
      switch (m.dialect) {
        case SQLITE -> assertThat(avgD).isEqualTo((1.50 + 2.25 + 3.00 + 0.10 + 4.40 + 1.11 + 9.99) / 7);
        // PostgreSQL: numeric division with at least 16 significant digits
        case POSTGRES -> assertThat(avgD).isEqualTo(new BigDecimal("3.1928571428571429"));
        default -> assertThat(avgD).isInstanceOf(BigDecimal.class);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void anEmptyInputGivesOneRowForAGlobalAggregateAndNoneForGroups(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      assertSameAnswer(m, "SELECT COUNT(*), COUNT(DISTINCT x), SUM(x), AVG(d), MIN(g), MAX(x) FROM empty_t", false);
      MergeShards.Answer global = m.merged("SELECT COUNT(*), SUM(x), 7 AS seven FROM empty_t");
      assertThat(global.rows()).hasSize(1);
      assertThat(((Number) global.rows().get(0).get(0)).longValue()).isZero();
      assertThat(global.rows().get(0).get(1)).isNull();
      assertThat(((Number) global.rows().get(0).get(2)).intValue()).isEqualTo(7);
      assertThat(m.merged("SELECT g, COUNT(*) FROM empty_t GROUP BY g").rows()).isEmpty();
      assertThat(m.merged("SELECT COUNT(*) FROM t WHERE x > 100 HAVING COUNT(*) > 0").rows()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void nullIsOneGroupAcrossShards(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      assertSameAnswer(m, "SELECT g, COUNT(*), COUNT(x), SUM(x), MIN(d) FROM t GROUP BY g", false);
      List<List<Object>> rows = m.merged("SELECT g, COUNT(*) FROM t GROUP BY g ORDER BY g").rows();
      // g IS NULL on both non-empty shards: one group of 2
      List<Object> nullGroup = rows.stream().filter(r -> r.get(0) == null).findFirst().orElseThrow();
      assertThat(((Number) nullGroup.get(1)).longValue()).isEqualTo(2);
      assertThat(rows).hasSize(4);
      // NULL sorts first in ascending order except on PostgreSQL, where it is largest
      assertThat(rows.get(m.dialect == Dialect.POSTGRES ? 3 : 0).get(0)).isNull();
      assertSameAnswer(m, "SELECT g, COUNT(*) FROM t GROUP BY g ORDER BY g", true);
      assertSameAnswer(m, "SELECT g, COUNT(*) FROM t GROUP BY g ORDER BY g DESC", true);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void distinctAggregatesCountTheUnionOfTheShardsValues(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      // x = 10 appears twice on shard 0; 1, 3, -5 on shard 1
      assertSameAnswer(m, "SELECT COUNT(DISTINCT x), SUM(DISTINCT x) FROM t", false);
      assertSameAnswer(m, "SELECT g, COUNT(DISTINCT x), SUM(DISTINCT x) FROM t GROUP BY g", false);
      List<Object> row = m.merged("SELECT COUNT(DISTINCT x), SUM(DISTINCT x), COUNT(DISTINCT g) FROM t").rows()
          .get(0);
      assertThat(((Number) row.get(0)).longValue()).isEqualTo(5);
      assertThat(((Number) row.get(1)).longValue()).isEqualTo(10 + 7 + 3 - 5 + 1);
      assertThat(((Number) row.get(2)).longValue()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void havingOrderByOffsetAndLimitApplyToTheMergedGroups(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      // group a spans both shards: on neither alone does it have 3 rows
      assertSameAnswer(m, "SELECT g, COUNT(*) AS n FROM t GROUP BY g HAVING COUNT(*) >= 3", false);
      assertThat(m.merged("SELECT g FROM t GROUP BY g HAVING COUNT(*) >= 3").rows())
          .containsExactly(Arrays.asList("a"));
      assertSameAnswer(m, "SELECT g, SUM(x) FROM t WHERE g IS NOT NULL GROUP BY g ORDER BY SUM(x) DESC", true);
      assertSameAnswer(m, "SELECT g, SUM(d) FROM t WHERE g IS NOT NULL GROUP BY g ORDER BY 2 LIMIT 2 OFFSET 1", true);
      assertSameAnswer(m, "SELECT g, MAX(id) FROM t GROUP BY g HAVING MAX(id) > ? ORDER BY MAX(id) LIMIT ?", true,
          4, 2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void expressionsOverAggregatesUseTheBackendsArithmetic(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      // integer division truncates on these backends; 26 / 8 = 3
      assertSameAnswer(m, "SELECT SUM(x) / COUNT(*), SUM(x) % 7, -SUM(x), ABS(MIN(x)) FROM t", false);
      assertSameAnswer(m, "SELECT g, COALESCE(SUM(x), 0) + 1, MAX(x) - MIN(x) FROM t GROUP BY g", false);
      assertSameAnswer(m, "SELECT g, CASE WHEN COUNT(*) > 2 THEN 'many' ELSE 'few' END FROM t GROUP BY g", false);
      assertThat(((Number) m.merged("SELECT SUM(x) / COUNT(*) FROM t").rows().get(0).get(0)).longValue())
          .isEqualTo(3);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void selectDistinctRemovesRowsRepeatedAcrossShards(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      assertSameAnswer(m, "SELECT DISTINCT g FROM t", false);
      assertSameAnswer(m, "SELECT DISTINCT g, x FROM t ORDER BY x DESC, g", true);
      assertThat(m.merged("SELECT DISTINCT g FROM t").rows()).hasSize(4);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void divisionByZeroIsAnErrorWhereTheBackendRaisesOne(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      assertThatThrownBy(() -> m.merged("SELECT SUM(x) / (COUNT(*) - 8) FROM t"))
          .isInstanceOf(java.sql.SQLDataException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22012");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "mariadb"})
  void divisionByZeroIsNullOnSqliteAndMariadb(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      assertSameAnswer(m, "SELECT SUM(x) / (COUNT(*) - 8) FROM t", false);
      assertThat(m.merged("SELECT SUM(x) / (COUNT(*) - 8) FROM t").rows().get(0).get(0)).isNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void textGroupsAsTheBackendsCollationGroups(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      m.everywhere("CREATE TABLE words (id INT PRIMARY KEY, w VARCHAR(10))");
      m.on(0, "INSERT INTO words VALUES (1, 'Ab'), (2, 'x')");
      m.on(1, "INSERT INTO words VALUES (3, 'AB'), (4, 'ab '), (5, 'X')");
      m.on(2, "INSERT INTO words VALUES (6, '\u00c0b'), (7, 'y')");
      assertSameAnswer(m, "SELECT COUNT(*) AS n, MIN(id) FROM words GROUP BY w", false);
      assertSameAnswer(m, "SELECT COUNT(DISTINCT w), COUNT(*) FROM words", false);
      long groups = m.merged("SELECT COUNT(*) FROM words GROUP BY w").rows().size();
      // MariaDB's utf8mb4_general_ci: case, accents and trailing spaces do not count
      assertThat(groups).isEqualTo(m.dialect == Dialect.MYSQL ? 3 : 7);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void maxRowsCutsTheMergedGroups(String backend) throws SQLException {
    try (MergeShards m = shards(backend)) {
      assertThat(m.mergedWith("SELECT g, COUNT(*) FROM t GROUP BY g ORDER BY COUNT(*) DESC, g", false, 2).rows())
          .hasSize(2)
          .first().satisfies(r -> assertThat(r.get(0)).isEqualTo("a"));
    }
  }
}
