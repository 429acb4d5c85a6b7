package org.collegedb.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.StatementAnalyzer;
import org.collegedb.parse.Tokens;
import org.junit.jupiter.api.Test;

/** {@link SubqueryAnswers}: subqueries answered first are replaced by their values as the driver's placeholders. */
class SubqueryAnswersTest {
  private static List<ParsedStatement.Block> blocks(Tokens t) {
    return ((ParsedStatement.Select) StatementAnalyzer.analyze(t)).blocks();
  }

  private static ParsedStatement.Block block(Tokens t, ParsedStatement.BlockContext context) {
    return blocks(t).stream().filter(b -> b.context() == context).findFirst().orElseThrow();
  }

  @Test
  void anInSubqueryBecomesAListOfPlaceholdersAndRunsOnItsOwn() {
    Tokens t = SqlLexer.lex("SELECT * FROM users WHERE id IN (SELECT user_id FROM orders WHERE amount > ?) AND age > ?");
    ParsedStatement.Block b = block(t, ParsedStatement.BlockContext.IN);
    ShardSql query = SubqueryAnswers.query(t, b);
    assertThat(query.sql()).isEqualTo("SELECT user_id FROM orders WHERE amount > ?");
    assertThat(query.params()).containsExactly(1);
    ShardSql answered = SubqueryAnswers.in(t, b, 1, 3).applyTo(t);
    assertThat(answered.sql()).isEqualTo("SELECT * FROM users WHERE id IN (?, ?, ?) AND age > ?");
    assertThat(answered.params()).containsExactly(-1, -2, -3, 2);
  }

  @Test
  void anEmptyAnswerReplacesTheWholePredicate() {
    Tokens in = SqlLexer.lex("SELECT * FROM users WHERE id IN (SELECT user_id FROM orders) OR age = 1");
    assertThat(SubqueryAnswers.inNothing(in, block(in, ParsedStatement.BlockContext.IN)).applyTo(in).sql())
        .isEqualTo("SELECT * FROM users WHERE (1 = 0) OR age = 1");
    Tokens notIn = SqlLexer.lex("SELECT * FROM users WHERE id NOT IN (SELECT user_id FROM orders)");
    assertThat(SubqueryAnswers.inNothing(notIn, block(notIn, ParsedStatement.BlockContext.IN)).applyTo(notIn).sql())
        .isEqualTo("SELECT * FROM users WHERE (1 = 1)");
  }

  @Test
  void scalarAndExistsSubqueriesBecomeAValueAndATruth() {
    Tokens t = SqlLexer.lex("SELECT id, (SELECT MAX(amount) FROM orders) FROM users "
        + "WHERE EXISTS (SELECT 1 FROM orders WHERE amount > 5)");
    ParsedStatement.Block exists = block(t, ParsedStatement.BlockContext.EXISTS);
    ParsedStatement.Block scalar = block(t, ParsedStatement.BlockContext.SCALAR);
    ShardSql answered = Edits.of(List.of(SubqueryAnswers.scalar(scalar, 1), SubqueryAnswers.exists(exists, false)))
        .applyTo(t);
    assertThat(answered.sql()).isEqualTo("SELECT id, (?) FROM users WHERE (1 = 0)");
    assertThat(answered.params()).containsExactly(-1);
    assertThat(SubqueryAnswers.exists(exists, true).applyTo(t).sql()).endsWith("WHERE (1 = 1)");
  }
}
