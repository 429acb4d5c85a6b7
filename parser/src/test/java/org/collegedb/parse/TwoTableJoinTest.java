package org.collegedb.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TwoTableJoinTest {
  private static TwoTableJoin of(String sql) {
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement statement = StatementAnalyzer.analyze(tokens);
    return statement instanceof ParsedStatement.Select select ? TwoTableJoin.of(select, tokens) : null;
  }

  @Test
  void readsTablesAliasesEqualitiesAndItems() {
    TwoTableJoin j = of("SELECT a.id, b.w AS total, k FROM a JOIN b AS y ON a.k = y.k AND a.v = y.v WHERE a.v > 3");
    assertThat(j).isNotNull();
    assertThat(j.tables()).containsExactly(new TwoTableJoin.Table("a", null), new TwoTableJoin.Table("b", "y"));
    assertThat(j.tables().get(1).qualifier()).isEqualTo("y");
    assertThat(j.left()).isFalse();
    assertThat(j.hasWhere()).isTrue();
    List<String> on = new ArrayList<>();
    for (TwoTableJoin.Column[] pair : j.on()) {
      on.add(pair[0].qualifier() + "." + pair[0].column() + "=" + pair[1].qualifier() + "." + pair[1].column());
    }
    assertThat(on).containsExactly("a.k=y.k", "a.v=y.v");
    assertThat(j.onText()).isEqualTo("a.k = y.k AND a.v = y.v");
    assertThat(j.items()).containsExactly(
        new TwoTableJoin.Item(new TwoTableJoin.Column("a", "id"), null),
        new TwoTableJoin.Item(new TwoTableJoin.Column("b", "w"), "total"),
        new TwoTableJoin.Item(new TwoTableJoin.Column(null, "k"), null));
  }

  @Test
  void readsLeftOuterJoinsAndInnerJoins() {
    assertThat(of("SELECT x.id FROM a x LEFT OUTER JOIN b ON x.k = b.k").left()).isTrue();
    assertThat(of("SELECT x.id FROM a x LEFT JOIN b ON x.k = b.k").left()).isTrue();
    assertThat(of("SELECT x.id FROM a x INNER JOIN b ON x.k = b.k;").left()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT a.id FROM a JOIN b ON a.k = b.k ORDER BY a.id",
      "SELECT a.id FROM a JOIN b ON a.k = b.k LIMIT 3",
      "SELECT DISTINCT a.id FROM a JOIN b ON a.k = b.k",
      "SELECT COUNT(*) FROM a JOIN b ON a.k = b.k",
      "SELECT a.id + 1 FROM a JOIN b ON a.k = b.k",
      "SELECT a.id FROM a JOIN b ON a.k < b.k",
      "SELECT a.id FROM a JOIN b ON a.k = b.k OR a.v = b.v",
      "SELECT a.id FROM a RIGHT JOIN b ON a.k = b.k",
      "SELECT a.id FROM a FULL JOIN b ON a.k = b.k",
      "SELECT a.id FROM a, b WHERE a.k = b.k",
      "SELECT a.id FROM a JOIN b USING (k)",
      "SELECT a.id FROM a JOIN b ON a.k = b.k JOIN c ON c.k = a.k",
      "SELECT a.id FROM s.a JOIN b ON a.k = b.k",
      "SELECT a.id FROM a JOIN b ON a.k = b.k WHERE a.v IN (SELECT v FROM c)",
      "SELECT a.id FROM a JOIN b ON a.k = b.k UNION SELECT id FROM c",
      "SELECT a.id FROM \"a\" JOIN b ON a.k = b.k",
      "SELECT a.id FROM a JOIN b ON a.k = b.\"k\"",
      "SELECT a.id FROM a AS \"x\" JOIN b ON a.k = b.k",
      "SELECT id FROM a"})
  void otherShapesAreNotThisJoin(String sql) {
    assertThat(of(sql)).isNull();
  }
}
