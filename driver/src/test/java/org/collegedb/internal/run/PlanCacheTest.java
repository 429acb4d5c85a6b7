package org.collegedb.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLSyntaxErrorException;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.junit.jupiter.api.Test;

/** Statements are analysed once per shape: those that differ only in literal values share one immutable plan. */
class PlanCacheTest {
  private final PlanCache cache = new PlanCache(100, SqlLexer.Options.STANDARD);

  @Test
  void statementsThatDifferOnlyInLiteralsShareOnePlan() throws Exception {
    ParsedStatement first = cache.plan(cache.lex("SELECT name FROM users WHERE id = 1 AND email = 'a@x'"));
    for (int i = 2; i < 50; i++) {
      ParsedStatement p = cache.plan(cache.lex("select name from users where id = " + i + " and email = 'b" + i
          + "@x'"));
      assertThat(p).isNotSameAs(first); // different spelling of the keywords: another shape
    }
    ParsedStatement again = cache.plan(cache.lex("SELECT name FROM users WHERE id = 99 AND email = 'z'"));
    assertThat(again).isSameAs(first);
    assertThat(cache.plan(cache.lex("SELECT name   FROM users /* note */ WHERE id = -7 AND email = ''")))
        .isNotSameAs(first); // a unary minus is a token of its own: another shape
    assertThat(cache.plan(cache.lex("SELECT name FROM users WHERE id = 8 AND email = 'q' -- tail"))).isSameAs(first);
  }

  @Test
  void aPlanDependingOnALiteralIsFiledUnderItsExactText() throws Exception {
    ParsedStatement byFirst = cache.plan(cache.lex("SELECT a, b FROM t ORDER BY 1"));
    ParsedStatement bySecond = cache.plan(cache.lex("SELECT a, b FROM t ORDER BY 2"));
    assertThat(byFirst.literalSensitive()).isTrue();
    assertThat(bySecond).isNotSameAs(byFirst);
    assertThat(((ParsedStatement.Select) bySecond).shape().orderBy().get(0).ordinal()).isEqualTo(2);
    assertThat(cache.plan(cache.lex("SELECT a, b FROM t ORDER BY 1"))).isSameAs(byFirst);
  }

  @Test
  void malformedTextIsASyntaxError() {
    assertThatThrownBy(() -> cache.plan(cache.lex("SELECT 'unterminated FROM t")))
        .isInstanceOf(SQLSyntaxErrorException.class)
        .satisfies(e -> assertThat(((SQLSyntaxErrorException) e).getSQLState()).isEqualTo("42000"));
    assertThatThrownBy(() -> cache.plan(cache.lex("SELECT 1; SELECT 2")))
        .isInstanceOf(SQLSyntaxErrorException.class);
  }
}
