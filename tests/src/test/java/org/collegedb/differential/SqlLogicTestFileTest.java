package org.collegedb.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The sqllogictest parser and comparison the corpus test relies on. */
class SqlLogicTestFileTest {
  private static final List<String> TEXT = List.of(
      "hash-threshold 8",
      "",
      "statement ok",
      "CREATE TABLE t1(a INTEGER, b INTEGER)",
      "",
      "skipif postgresql",
      "query I rowsort label-1",
      "SELECT a",
      "  FROM t1",
      "----",
      "3 values hashing to abc",
      "",
      "onlyif mysql",
      "query II nosort",
      "SELECT a, b FROM t1 ORDER BY 1",
      "----",
      "1",
      "2",
      "",
      "halt",
      "",
      "query I valuesort",
      "SELECT 1");

  @Test
  void keepsTheRecordsThatApplyToTheDatabase() {
    List<SqlLogicTestFile.Record> sqlite = SqlLogicTestFile.parse(TEXT, "sqlite");
    assertThat(sqlite).hasSize(2);
    assertThat(((SqlLogicTestFile.Statement) sqlite.get(0)).sql()).isEqualTo("CREATE TABLE t1(a INTEGER, b INTEGER)");
    SqlLogicTestFile.Query q = (SqlLogicTestFile.Query) sqlite.get(1);
    assertThat(q.sql()).isEqualTo("SELECT a\n  FROM t1");
    assertThat(q.types()).isEqualTo("I");
    assertThat(q.sortMode()).isEqualTo(SqlLogicTestFile.SortMode.ROWSORT);

    List<SqlLogicTestFile.Record> mysql = SqlLogicTestFile.parse(TEXT, "mysql");
    assertThat(mysql).hasSize(3); // halt ends the file for every database
    assertThat(((SqlLogicTestFile.Query) mysql.get(2)).sortMode()).isEqualTo(SqlLogicTestFile.SortMode.NOSORT);
    assertThat(SqlLogicTestFile.parse(TEXT, "postgresql")).hasSize(1);
  }

  @Test
  void comparesAsTheRunnerDoes() {
    SqlLogicTestFile.Query byFirst = new SqlLogicTestFile.Query(1, "II", SqlLogicTestFile.SortMode.NOSORT,
        "SELECT a, b FROM t1 ORDER BY 1");
    // rows that tie on the ORDER BY key may come in any order
    assertThat(SqlLogicAnswers.difference(byFirst, List.of(List.of("1", "x"), List.of("1", "y"), List.of("2", "z")),
        List.of(List.of("1", "y"), List.of("1", "x"), List.of("2", "z")))).isNull();
    assertThat(SqlLogicAnswers.difference(byFirst, List.of(List.of("1", "x"), List.of("2", "z")),
        List.of(List.of("2", "z"), List.of("1", "x")))).startsWith("order differs");
    assertThat(SqlLogicAnswers.difference(byFirst, List.of(List.of("1", "x")), List.of(List.of("1", "w"))))
        .isNotNull();
    SqlLogicTestFile.Query values = new SqlLogicTestFile.Query(1, "II", SqlLogicTestFile.SortMode.VALUESORT, "");
    assertThat(SqlLogicAnswers.difference(values, List.of(List.of("1", "2")), List.of(List.of("2", "1")))).isNull();
    assertThat(SqlLogicAnswers.text(new java.math.BigDecimal("3.000"))).isEqualTo("3");
    assertThat(SqlLogicAnswers.text(2.5d)).isEqualTo("2.500");
    assertThat(SqlLogicAnswers.text(null)).isEqualTo("NULL");
    assertThat(SqlLogicAnswers.text("")).isEqualTo("(empty)");
  }
}
