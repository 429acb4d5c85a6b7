package org.collegedb.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.Tokens;
import org.junit.jupiter.api.Test;

/** {@link FilterText}: conditions pushed to a shard, copied from the caller's text and joined by AND. */
class FilterTextTest {
  @Test
  void conditionsAreParenthesisedAndJoined() {
    // tokens: 0 SELECT 1 * 2 FROM 3 a 4 WHERE 5 a 6 . 7 v 8 > 9 ? 10 AND 11 b 12 = 13 ? 14 AND 15 a 16 . 17 w 18 IS
    // 19 NULL
    Tokens t = SqlLexer.lex("SELECT * FROM a WHERE a.v > ? AND b = ? AND a.w IS NULL");
    Composed filter = FilterText.and(t, List.of(new int[] {5, 9}, new int[] {15, 19}));
    assertThat(filter).hasToString("compose '(' + copy 5..9 + ') AND (' + copy 15..19 + ')'");
    ShardSql sql = filter.apply(t);
    assertThat(sql.sql()).isEqualTo("(a.v > ?) AND (a.w IS NULL)");
    assertThat(sql.params()).containsExactly(1); // b's parameter stays behind
  }

  @Test
  void aConditionInParenthesesIsNotWrappedAgain() {
    Tokens t = SqlLexer.lex("SELECT * FROM a WHERE (v = ? OR v = ?) AND w  BETWEEN ? AND ?");
    // tokens: 5 ( .. 13 ), 14 AND, 15 w .. 19 ?
    ShardSql sql = FilterText.and(t, List.of(new int[] {5, 13}, new int[] {15, 19})).apply(t);
    assertThat(sql.sql()).isEqualTo("(v = ? OR v = ?) AND (w  BETWEEN ? AND ?)");
    assertThat(sql.params()).containsExactly(1, 2, 3, 4);
    assertThat(FilterText.and(t, List.of(new int[] {5, 13})))
        .hasToString("compose copy 5..13");
  }

  @Test
  void noConditionsNoFilter() {
    assertThat(FilterText.and(SqlLexer.lex("SELECT 1"), List.of())).isNull();
  }
}
