package org.collegedb.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.StatementAnalyzer;
import org.collegedb.parse.Tokens;
import org.collegedb.parse.WriteSpans;
import org.junit.jupiter.api.Test;

/** {@link AffectedRowsText}: the read of the rows an UPDATE or DELETE will touch, from the statement's own text. */
class AffectedRowsTextTest {
  private static WriteSpans spans(Tokens t) {
    ParsedStatement s = StatementAnalyzer.analyze(t);
    return s instanceof ParsedStatement.Update u ? u.spans() : ((ParsedStatement.Delete) s).spans();
  }

  @Test
  void anUpdateKeepsItsTableAndWhereWithTheirParameters() {
    Tokens t = SqlLexer.lex("UPDATE users SET email = ? WHERE id = ? AND /* who */ age > ?");
    Composed read = AffectedRowsText.select(spans(t), List.of("id", "email"));
    assertThat(read).hasToString("compose 'SELECT id, email FROM ' + copy 1..1 + ' ' + copy 6..13");
    ShardSql sql = read.apply(t);
    assertThat(sql.sql()).isEqualTo("SELECT id, email FROM users WHERE id = ? AND /* who */ age > ?");
    assertThat(sql.params()).containsExactly(2, 3); // the SET's parameter is not read
  }

  @Test
  void aDeleteWithoutWhereReadsTheWholeTable() {
    Tokens t = SqlLexer.lex("DELETE FROM app.users");
    ShardSql sql = AffectedRowsText.select(spans(t), List.of("id")).apply(t);
    assertThat(sql.sql()).isEqualTo("SELECT id FROM app.users");
    assertThat(sql.params()).isEmpty();
  }

  @Test
  void aReturningClauseIsLeftOut() {
    Tokens t = SqlLexer.lex("DELETE FROM \"Users\" WHERE email LIKE ? RETURNING id");
    Composed read = AffectedRowsText.select(spans(t), List.of("id", "email"));
    ShardSql sql = read.apply(t);
    assertThat(sql.sql()).isEqualTo("SELECT id, email FROM \"Users\" WHERE email LIKE ?");
    assertThat(sql.params()).containsExactly(1);
    assertThat(read).hasToString("compose 'SELECT id, email FROM ' + copy 2..2 + ' ' + copy 3..6");
  }
}
