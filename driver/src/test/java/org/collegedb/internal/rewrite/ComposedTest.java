package org.collegedb.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.Tokens;
import org.junit.jupiter.api.Test;

/** {@link Composed}: a derived statement as parts, printed and made into text by {@link Splice#compose}. */
class ComposedTest {
  @Test
  void partsPrintAndComposeWithTheCallersParameters() {
    Tokens t = SqlLexer.lex("SELECT a FROM t WHERE a = ? AND b = ?");
    // tokens: 0 SELECT 1 a 2 FROM 3 t 4 WHERE 5 a 6 = 7 ? 8 AND 9 b 10 = 11 ?
    Composed c = Composed.of("SELECT COUNT(*) FROM ", new Splice.Copy(3, 3), " WHERE ", new Splice.Copy(9, 11),
        " AND c = ", new Splice.Bound(-1));
    assertThat(c).hasToString("compose 'SELECT COUNT(*) FROM ' + copy 3..3 + ' WHERE ' + copy 9..11 + ' AND c = ' "
        + "+ ?v1");
    ShardSql sql = c.apply(t);
    assertThat(sql.sql()).isEqualTo("SELECT COUNT(*) FROM t WHERE b = ? AND c = ?");
    assertThat(sql.params()).containsExactly(2, -1);
  }

  @Test
  void theRestKeepsTrailingSpacingAndComments() {
    Tokens t = SqlLexer.lex("EXPLAIN SELECT * FROM t WHERE k = ?  /* end */ ");
    ShardSql sql = Composed.rest(1).apply(t);
    assertThat(sql.sql()).isEqualTo("SELECT * FROM t WHERE k = ?  /* end */ ");
    assertThat(sql.params()).containsExactly(1);
    assertThat(Composed.rest(1)).hasToString("compose rest 1..");
    assertThat(Composed.rest(t.size()).apply(t).sql()).isEmpty();
  }
}
