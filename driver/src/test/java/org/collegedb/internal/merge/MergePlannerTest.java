package org.collegedb.internal.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import org.collegedb.SqlStates;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.schema.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What {@link MergePlanner} asks every shard to run (the exact spliced text and its parameter map) and how it plans
 * to merge, for statements lexed and analysed by the real parser. No database: the plan depends on the text, the
 * bound values and the dialect only.
 */
class MergePlannerTest {
  private record Planned(MergePlan plan, ShardSql sql) {
    String text() {
      return sql.sql();
    }

    int[] params() {
      return sql.params();
    }
  }

  private static Planned plan(String sql, Object... params) throws SQLException {
    return plan(Dialect.H2, false, sql, params);
  }

  private static Planned plan(Dialect dialect, boolean groupsLocal, String sql, Object... params)
      throws SQLException {
    Tokens tokens = SqlLexer.lex(sql);
    MergePlan plan = MergePlanner.plan(MergeShards.select(tokens), MergeShards.bindings(tokens, params), dialect,
        groupsLocal);
    return new Planned(plan, MergeShards.shardSql(tokens, plan));
  }

  // ------------------------------------------------------------ rows: concatenation and ordered merge

  @Test
  void aPlainFanOutRunsUnchangedAndConcatenates() throws SQLException {
    Planned p = plan("SELECT id, name FROM users WHERE age > 30");
    assertThat(p.plan().kind()).isEqualTo(MergePlan.Kind.CONCAT);
    assertThat(p.plan().edits()).isNotNull(); // the edits exist but change nothing
    assertThat(p.text()).isEqualTo("SELECT id, name FROM users WHERE age > 30");
    assertThat(p.plan().hidden).isZero();
    assertThat(p.plan().skip).isZero();
    assertThat(p.plan().limit).isEqualTo(-1);
    assertThat(p.plan().reusable()).isTrue();
  }

  @Test
  void theMergesEditsAreRecordsThatPrint() throws SQLException {
    Planned p = plan("SELECT id FROM users ORDER BY id LIMIT 3 OFFSET 5");
    assertThat(p.text()).isEqualTo("SELECT id FROM users ORDER BY id LIMIT 8");
    assertThat(p.plan().edits()).hasToString("replace 7..10 with 'LIMIT 8'");
    Planned hidden = plan("SELECT name FROM users ORDER BY age DESC LIMIT 2");
    assertThat(hidden.plan().edits())
        .hasToString("insert before 2 with ', ' + copy 6..6 + ' AS __cdb_1'; replace 8..9 with 'LIMIT 2'");
    Planned avg = plan("SELECT AVG(age) FROM users");
    assertThat(avg.plan().edits()).hasToString("insert before 5 with ', SUM(' + copy 3..3 + ') AS __cdb_1, COUNT(' "
        + "+ copy 3..3 + ') AS __cdb_2, ' + copy 1..4 + ' AS __cdb_3'");
  }

  @Test
  void aHiddenColumnCopiesTheParametersOfItsExpression() throws SQLException {
    Planned p = plan("SELECT name FROM users WHERE age > ? ORDER BY age * ? DESC LIMIT 2", 30, 2);
    assertThat(p.text()).isEqualTo("SELECT name, age * ? AS __cdb_1 FROM users WHERE age > ? ORDER BY age * ? DESC "
        + "LIMIT 2");
    assertThat(p.params()).containsExactly(2, 1, 2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      SELECT id FROM t ORDER BY id LIMIT 10 OFFSET 5                       | SELECT id FROM t ORDER BY id LIMIT 15                | 5 | 10
      SELECT id FROM t ORDER BY id LIMIT 5, 10                             | SELECT id FROM t ORDER BY id LIMIT 15                | 5 | 10
      SELECT id FROM t ORDER BY id OFFSET 5 ROWS FETCH FIRST 10 ROWS ONLY  | SELECT id FROM t ORDER BY id FETCH FIRST 15 ROWS ONLY | 5 | 10
      SELECT id FROM t ORDER BY id OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY   | SELECT id FROM t ORDER BY id FETCH FIRST 15 ROWS ONLY | 5 | 10
      SELECT id FROM t ORDER BY id FETCH NEXT 3 ROWS ONLY                  | SELECT id FROM t ORDER BY id FETCH FIRST 3 ROWS ONLY  | 0 | 3
      SELECT id FROM t ORDER BY id LIMIT 7                                 | SELECT id FROM t ORDER BY id LIMIT 7                 | 0 | 7
      SELECT id FROM t ORDER BY id LIMIT 0                                 | SELECT id FROM t ORDER BY id LIMIT 0                 | 0 | 0
      SELECT id FROM t ORDER BY id LIMIT -1                                | 'SELECT id FROM t ORDER BY id '                      | 0 | -1
      SELECT id FROM t ORDER BY id OFFSET 5                                | 'SELECT id FROM t ORDER BY id '                      | 5 | -1
      SELECT id FROM t LIMIT 10 OFFSET 5                                   | SELECT id FROM t LIMIT 15                            | 5 | 10
      SELECT id FROM t ORDER BY id LIMIT ALL OFFSET 2                      | 'SELECT id FROM t ORDER BY id '                      | 2 | -1
      SELECT id FROM t ORDER BY id OFFSET 2 ROWS                           | 'SELECT id FROM t ORDER BY id '                      | 2 | -1
      SELECT id FROM t ORDER BY id OFFSET 1 ROW FETCH NEXT 1 ROW ONLY      | SELECT id FROM t ORDER BY id FETCH FIRST 2 ROWS ONLY  | 1 | 1
      """)
  void limitAndOffsetWidenToOnePerShardLimitInEverySyntax(String sql, String shardText, long skip, long limit)
      throws SQLException {
    Planned p = plan(sql);
    assertThat(p.text()).isEqualTo(shardText);
    assertThat(p.params()).isEmpty();
    assertThat(p.plan().skip).isEqualTo(skip);
    assertThat(p.plan().limit).isEqualTo(limit);
    assertThat(p.plan().kind()).isEqualTo(sql.contains("ORDER BY") ? MergePlan.Kind.ORDERED : MergePlan.Kind.CONCAT);
    assertThat(p.plan().reusable()).isTrue();
  }

  @Test
  void boundLimitAndOffsetBecomeALiteralAndThePlanServesOnlyThoseValues() throws SQLException {
    Planned p = plan("SELECT id FROM t WHERE a = ? ORDER BY id LIMIT ? OFFSET ?", "x", 7, 3L);
    assertThat(p.text()).isEqualTo("SELECT id FROM t WHERE a = ? ORDER BY id LIMIT 10");
    assertThat(p.params()).containsExactly(1); // the WHERE parameter stays, the LIMIT and OFFSET ones are gone
    assertThat(p.plan().skip).isEqualTo(3);
    assertThat(p.plan().limit).isEqualTo(7);
    assertThat(p.plan().reusable()).isFalse();

    Planned mysql = plan("SELECT id FROM t LIMIT ?, ?", 5, "7"); // offset first; text read as a number
    assertThat(mysql.text()).isEqualTo("SELECT id FROM t LIMIT 12");
    assertThat(mysql.plan().skip).isEqualTo(5);
    assertThat(mysql.plan().limit).isEqualTo(7);
  }

  @Test
  void parametersAfterTheLimitKeepTheirCallerIndices() throws SQLException {
    Planned p = plan("SELECT id, ? AS tag FROM t WHERE a IN (?, ?) ORDER BY id LIMIT ?", "t", 1, 2, 4);
    assertThat(p.text()).isEqualTo("SELECT id, ? AS tag FROM t WHERE a IN (?, ?) ORDER BY id LIMIT 4");
    assertThat(p.params()).containsExactly(1, 2, 3);
  }

  @Test
  void aNonIntegerLimitIsAClearError() {
    assertThatThrownBy(() -> plan("SELECT id FROM t ORDER BY id LIMIT ?", "ten"))
        .isInstanceOf(SQLException.class)
        .hasMessage("LIMIT must be an integer, not 'ten'")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.INVALID_PARAMETER);
    assertThatThrownBy(() -> plan("SELECT id FROM t ORDER BY id LIMIT 3 OFFSET ?", "1.5"))
        .hasMessage("OFFSET must be an integer, not '1.5'");
  }

  @Test
  void orderKeysNotInTheSelectListAreAppendedAsHiddenColumns() throws SQLException {
    Planned p = plan("SELECT id FROM t ORDER BY lower(name), id DESC LIMIT 3");
    assertThat(p.text()).isEqualTo("SELECT id, lower(name) AS __cdb_1 FROM t ORDER BY lower(name), id DESC LIMIT 3");
    assertThat(p.plan().hidden).isEqualTo(1);
    // visible column 1 is id; the hidden one follows it
    OrderKey[] keys = MergePlanner.resolve(p.plan().orderKeys, 1);
    assertThat(keys).extracting(OrderKey::column).containsExactly(2, 1);
    assertThat(keys).extracting(OrderKey::descending).containsExactly(false, true);
  }

  @Test
  void withAStarEveryOrderKeyIsHiddenBecauseTheColumnCountIsUnknown() throws SQLException {
    Planned p = plan("SELECT * FROM t ORDER BY name DESC, 1 LIMIT 2");
    assertThat(p.text()).isEqualTo("SELECT *, name AS __cdb_1 FROM t ORDER BY name DESC, 1 LIMIT 2");
    assertThat(MergePlanner.resolve(p.plan().orderKeys, 4)).extracting(OrderKey::column).containsExactly(5, 1);
  }

  @Test
  void orderByAliasOrdinalOrSameTextUsesTheSelectItem() throws SQLException {
    assertThat(plan("SELECT id AS k, name FROM t ORDER BY k").plan().orderKeys[0].column()).isEqualTo(1);
    assertThat(plan("SELECT id, name FROM t ORDER BY 2").plan().orderKeys[0].column()).isEqualTo(2);
    assertThat(plan("SELECT id, upper( name ) FROM t ORDER BY UPPER(name)").plan().orderKeys[0].column())
        .isEqualTo(2);
    Planned qualified = plan("SELECT x.id FROM t x ORDER BY x.id");
    assertThat(qualified.plan().hidden).isZero();
    assertThat(qualified.plan().orderKeys[0].column()).isEqualTo(1);
  }

  @Test
  void nullsGoWhereTheBackendOrTheStatementPutsThem() throws SQLException {
    // PostgreSQL: NULL is largest, so first in DESC order; H2, SQLite and MySQL: smallest.
    assertThat(plan(Dialect.POSTGRES, false, "SELECT id FROM t ORDER BY id DESC").plan().orderKeys[0].nullsFirst())
        .isTrue();
    assertThat(plan(Dialect.POSTGRES, false, "SELECT id FROM t ORDER BY id").plan().orderKeys[0].nullsFirst())
        .isFalse();
    assertThat(plan(Dialect.H2, false, "SELECT id FROM t ORDER BY id").plan().orderKeys[0].nullsFirst()).isTrue();
    assertThat(plan(Dialect.SQLITE, false, "SELECT id FROM t ORDER BY id DESC").plan().orderKeys[0].nullsFirst())
        .isFalse();
    assertThat(plan(Dialect.H2, false, "SELECT id FROM t ORDER BY id NULLS LAST").plan().orderKeys[0].nullsFirst())
        .isFalse();
    assertThat(plan(Dialect.POSTGRES, false, "SELECT id FROM t ORDER BY id DESC NULLS LAST").plan().orderKeys[0]
        .nullsFirst()).isFalse();
  }

  @Test
  void anExplicitBinaryCollationOrdersByCodePoint() throws SQLException {
    assertThat(plan("SELECT name FROM t ORDER BY name COLLATE \"C\"").plan().orderKeys[0].codePointText()).isTrue();
    assertThat(plan("SELECT name FROM t ORDER BY name").plan().orderKeys[0].codePointText()).isFalse();
  }

  // ------------------------------------------------------------ aggregates

  @Test
  void groupsAndAveragesAreSplitIntoPartials() throws SQLException {
    Planned p = plan("SELECT g, COUNT(*), AVG(x) FROM t GROUP BY g HAVING SUM(x) > 3 ORDER BY 2 DESC LIMIT 2");
    assertThat(p.plan().kind()).isEqualTo(MergePlan.Kind.AGGREGATE);
    // group key, COUNT(*), AVG as SUM and COUNT plus the verbatim AVG for its type, HAVING's SUM; HAVING, ORDER BY
    // and LIMIT are the merge's work
    assertThat(p.text()).isEqualTo("SELECT g, COUNT(*), AVG(x), g AS __cdb_1, COUNT(*) AS __cdb_2, SUM(x) AS __cdb_3,"
        + " COUNT(x) AS __cdb_4, AVG(x) AS __cdb_5, SUM(x) AS __cdb_6 FROM t GROUP BY g   ");
    assertThat(p.plan().hidden).isEqualTo(6);
    assertThat(p.plan().limit).isEqualTo(2);
    MergePlan.Aggregation agg = p.plan().aggregation;
    assertThat(agg.global).isFalse();
    assertThat(agg.groupColumns).containsExactly(-1);
    assertThat(agg.aggregates).extracting(MergePlan.Aggregate::function).containsExactly("count", "avg", "sum");
    assertThat(agg.aggregates.get(1).columns()).containsExactly(-3, -4);
    assertThat(agg.aggregates.get(1).typeColumn()).isEqualTo(-5);
    assertThat(agg.orderColumns).containsExactly(2);
  }

  @Test
  void theSameAggregateTwiceIsComputedOnce() throws SQLException {
    Planned p = plan("SELECT SUM(x), sum( x ) * 2 FROM t HAVING SUM(x) > 0");
    assertThat(p.text()).isEqualTo("SELECT SUM(x), sum( x ) * 2, SUM(x) AS __cdb_1 FROM t ");
    assertThat(p.plan().aggregation.aggregates).hasSize(1);
    assertThat(p.plan().aggregation.global).isTrue();
  }

  @Test
  void distinctAggregatesGroupTheShardsByTheirArgument() throws SQLException {
    Planned global = plan("SELECT COUNT(DISTINCT x), SUM(DISTINCT x) FROM t");
    assertThat(global.text())
        .isEqualTo("SELECT COUNT(DISTINCT x), SUM(DISTINCT x), x AS __cdb_1, SUM(DISTINCT x) AS __cdb_2 FROM t GROUP BY x ");
    Planned grouped = plan("SELECT g, COUNT(DISTINCT x) FROM t GROUP BY g");
    assertThat(grouped.text()).isEqualTo("SELECT g, COUNT(DISTINCT x), g AS __cdb_1, x AS __cdb_2 FROM t GROUP BY g, x");
    assertThat(plan("SELECT MAX(DISTINCT x) FROM t").plan().aggregation.aggregates.get(0).distinct()).isFalse();
  }

  @Test
  void selectDistinctGroupsByEveryVisibleColumn() throws SQLException {
    Planned p = plan("SELECT DISTINCT g, h FROM t ORDER BY h LIMIT 1");
    assertThat(p.text()).isEqualTo("SELECT DISTINCT g, h FROM t  ");
    assertThat(p.plan().aggregation.groupColumns).isNull();
    assertThat(p.plan().aggregation.distinct).isTrue();
    assertThat(p.plan().aggregation.orderColumns).containsExactly(2);
  }

  @Test
  void groupByAnOrdinalOrAnAliasGroupsByTheItemsExpression() throws SQLException {
    assertThat(plan("SELECT lower(n) AS k, COUNT(*) FROM t GROUP BY 1").text())
        .isEqualTo("SELECT lower(n) AS k, COUNT(*), lower(n) AS __cdb_1, COUNT(*) AS __cdb_2 FROM t GROUP BY 1");
    assertThat(plan("SELECT lower(n) AS k, COUNT(*) FROM t GROUP BY k").text())
        .isEqualTo("SELECT lower(n) AS k, COUNT(*), lower(n) AS __cdb_1, COUNT(*) AS __cdb_2 FROM t GROUP BY k");
  }

  @Test
  void groupsOnOneShardEachMergeLikeRowsAndKeepHavingOnTheShards() throws SQLException {
    Planned p = plan(Dialect.H2, true, "SELECT user_id, SUM(total) FROM orders GROUP BY user_id HAVING SUM(total) > 9"
        + " ORDER BY 2 DESC LIMIT 3 OFFSET 1");
    assertThat(p.plan().kind()).isEqualTo(MergePlan.Kind.ORDERED);
    assertThat(p.text()).isEqualTo("SELECT user_id, SUM(total) FROM orders GROUP BY user_id HAVING SUM(total) > 9"
        + " ORDER BY 2 DESC LIMIT 4");
    // ... but not with DISTINCT, which may join rows of several shards
    assertThat(plan(Dialect.H2, true, "SELECT DISTINCT user_id, COUNT(*) FROM orders GROUP BY user_id").plan().kind())
        .isEqualTo(MergePlan.Kind.AGGREGATE);
  }

  @Test
  void aParameterInAnAggregateExpressionIsReadAtPlanTimeSoThePlanIsNotReused() throws SQLException {
    Planned p = plan("SELECT COUNT(*) + ? FROM t", 10);
    assertThat(p.text()).isEqualTo("SELECT COUNT(*) + ?, COUNT(*) AS __cdb_1 FROM t");
    assertThat(p.params()).containsExactly(1);
    assertThat(p.plan().reusable()).isFalse();
    assertThat(plan("SELECT COUNT(*) FROM t WHERE a = ?", 1).plan().reusable()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      SELECT a FROM t UNION SELECT a FROM u                 | UNION, INTERSECT and EXCEPT
      WITH c AS (SELECT a FROM t) SELECT a FROM c           | WITH (common table expressions)
      SELECT MEDIAN(x) FROM t                               | the aggregate function MEDIAN()
      SELECT SUM(*) FROM t                                  | SUM(*)
      SELECT g, * FROM t GROUP BY g                         | * together with GROUP BY or aggregates
      SELECT COUNT(*) FROM t GROUP BY COUNT(*)              | an aggregate in GROUP BY
      SELECT DISTINCT g FROM t ORDER BY h                   | ORDER BY an expression that is not in the DISTINCT select list
      """)
  void whatCannotBeMergedExactlyIsRefusedNamingTheConstruct(String sql, String construct) {
    assertThatThrownBy(() -> plan(sql))
        .isInstanceOf(SQLFeatureNotSupportedException.class)
        .hasMessageStartingWith("CollegeDB cannot answer this query exactly across shards: it uses " + construct
            + ". Restrict it to one shard key")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.NOT_SUPPORTED);
  }
}
