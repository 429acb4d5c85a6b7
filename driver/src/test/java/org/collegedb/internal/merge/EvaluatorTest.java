package org.collegedb.internal.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.collegedb.parse.Expr;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.schema.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Evaluator} over the expression trees the real parser builds for select items and HAVING, with the
 * aggregates' merged values given: SQL's three-valued logic, CASE/COALESCE/NULLIF, comparisons of text parameters
 * with numbers, and the backend's arithmetic.
 */
class EvaluatorTest {
  /** A statement's aggregate plan and an evaluator for it. */
  private record Planned(MergePlan.Aggregation agg, Evaluator evaluator) {
    Object having(Object... aggregates) throws SQLException {
      return evaluator.eval(agg.having, group(aggregates));
    }

    Object item(int index, Object... aggregates) throws SQLException {
      return evaluator.eval(agg.itemExprs[index], group(aggregates));
    }

    /** A group whose aggregates (in the plan's order) have these values, and whose carried columns are 100. */
    Evaluator.Group group(Object... aggregates) {
      return new Evaluator.Group() {
        @Override
        public Object aggregate(int index) {
          return aggregates[index];
        }

        @Override
        public Object carried(Expr node) {
          return 100L;
        }
      };
    }
  }

  private static Planned plan(Dialect dialect, String sql, Object... params) throws SQLException {
    Tokens tokens = SqlLexer.lex(sql);
    MergePlan plan = MergePlanner.plan(MergeShards.select(tokens), MergeShards.bindings(tokens, params), dialect);
    return new Planned(plan.aggregation, new Evaluator(plan.aggregation, new Arithmetic(dialect),
        new ValueOrder(dialect)));
  }

  private static Planned plan(String sql, Object... params) throws SQLException {
    return plan(Dialect.H2, sql, params);
  }

  @Test
  void havingUsesThreeValuedLogic() throws SQLException {
    // aggregates in order: COUNT(*), SUM(x), MAX(x)
    Planned p = plan("SELECT g FROM t GROUP BY g HAVING COUNT(*) > ? AND NOT (SUM(x) <= 2) OR MAX(x) IS NULL", 3);
    assertThat(p.having(4L, 5L, 1L)).isEqualTo(true);
    assertThat(p.having(4L, 2L, 1L)).isEqualTo(false);
    assertThat(p.having(4L, null, 1L)).as("NOT unknown is unknown; unknown OR false is unknown").isNull();
    assertThat(p.having(4L, null, null)).as("unknown OR true is true").isEqualTo(true);
    assertThat(p.having(1L, null, 1L)).as("false AND unknown is false").isEqualTo(false);
    assertThat(Evaluator.truth(p.having(4L, null, 1L))).isNull();
  }

  @Test
  void aTextParameterComparesWithANumberAsANumber() throws SQLException {
    Planned p = plan("SELECT g FROM t GROUP BY g HAVING COUNT(*) >= ?", "10");
    assertThat(p.having(9L)).isEqualTo(false);
    assertThat(p.having(10L)).isEqualTo(true);
    assertThat(p.having(BigDecimal.valueOf(100))).as("100 >= 10 as numbers, although '100' < '10' as text")
        .isEqualTo(true);
    Planned bad = plan("SELECT g FROM t GROUP BY g HAVING COUNT(*) >= ?", "ten");
    assertThatThrownBy(() -> bad.having(1L)).isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22018");
  }

  @Test
  void conditionalFunctions() throws SQLException {
    // aggregates in order: SUM(x), MAX(x), COUNT(*), AVG(x), MIN(x)
    Planned p = plan("SELECT CASE WHEN SUM(x) > 1 THEN 'a' WHEN SUM(x) IS NULL THEN 'n' ELSE 'b' END,"
        + " COALESCE(MAX(x), -1), NULLIF(COUNT(*), 2), ROUND(AVG(x), 1), ABS(MIN(x)), -SUM(x), SUM(x) <> COUNT(*),"
        + " CASE WHEN COUNT(*) = 0 THEN 'none' END FROM t");
    List<Object> withRows = items(p, 8, 5L, 9L, 2L, new BigDecimal("2.25"), -3L);
    assertThat(withRows).containsExactly("a", 9L, null, new BigDecimal("2.3"), 3L, -5L, true, null);
    List<Object> empty = items(p, 8, null, null, 0L, null, null);
    assertThat(empty).containsExactly("n", -1L, 0L, null, null, null, null, "none");
    List<Object> low = items(p, 8, 1L, 1L, 1L, 1.25, 1L);
    assertThat(low).containsExactly("b", 1L, 1L, 1.3, 1L, -1L, false, null);
  }

  private static List<Object> items(Planned p, int n, Object... aggregates) throws SQLException {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(p.item(i, aggregates));
    }
    return out;
  }

  @Test
  void carriedGroupColumnsTakeTheShardsValue() throws SQLException {
    Planned p = plan("SELECT g, MAX(x) - g FROM t GROUP BY g");
    assertThat(p.agg().itemExprs[0]).as("a plain group column is carried, not evaluated").isNull();
    assertThat(p.item(1, 130L)).isEqualTo(30L);
  }

  @ParameterizedTest
  @CsvSource({"H2, 3", "SQLITE, 3", "POSTGRES, 3", "MYSQL, 3.5000"})
  void integerDivisionFollowsTheBackend(Dialect dialect, String expected) throws SQLException {
    Planned p = plan(dialect, "SELECT SUM(x) / COUNT(*) FROM t");
    Object v = p.item(0, 7L, 2L);
    assertThat(v.toString()).isEqualTo(expected);
  }

  @Test
  void anOperatorTheEvaluatorDoesNotKnowIsAnInternalError() throws SQLException {
    Planned p = plan("SELECT SUM(x) + 1 FROM t");
    Expr unknown = new Expr.Call("POWER", Arrays.asList(p.agg().itemExprs[0]), 0, 0);
    assertThatThrownBy(() -> p.evaluator().eval(unknown, p.group(1L))).isInstanceOf(IllegalStateException.class)
        .hasMessage("operator POWER");
  }

  @Test
  void truthOfValues() {
    assertThat(Evaluator.truth(null)).isNull();
    assertThat(Evaluator.truth(0L)).isFalse();
    assertThat(Evaluator.truth(new BigDecimal("0.5"))).isTrue();
    assertThat(Evaluator.truth("true")).isTrue();
    assertThat(Evaluator.truth("yes")).isFalse();
    assertThat(Evaluator.truth(Boolean.FALSE)).isFalse();
  }
}
