package org.collegedb.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.StatementAnalyzer;
import org.collegedb.parse.Tokens;
import org.junit.jupiter.api.Test;

/** {@link KeyGuardText}: the count of rows a key update would move, and the update pinned to the new key. */
class KeyGuardTextTest {
  private static ParsedStatement.Update update(Tokens t) {
    return (ParsedStatement.Update) StatementAnalyzer.analyze(t);
  }

  @Test
  void anUpdateWithAWhereIsCountedAndPinnedWithItsConditionKept() {
    Tokens t = SqlLexer.lex("UPDATE orders SET customer_id = ?, total = ? WHERE id = ? OR total > ?");
    ParsedStatement.Update u = update(t);
    ShardSql moving = KeyGuardText.moving(t, u.spans(), "customer_id");
    assertThat(moving.sql())
        .isEqualTo("SELECT COUNT(*) FROM orders WHERE (id = ? OR total > ?) AND NOT (customer_id = ?)");
    assertThat(moving.params()).containsExactly(3, 4, -1);
    Edit pin = KeyGuardText.pin(u.spans(), "customer_id");
    ShardSql pinned = pin.applyTo(t);
    assertThat(pinned.sql())
        .isEqualTo("UPDATE orders SET customer_id = ?, total = ? WHERE (id = ? OR total > ?) AND customer_id = ?");
    assertThat(pinned.params()).containsExactly(1, 2, 3, 4, -1);
    assertThat(pin).hasToString("replace 11..17 with '(' + copy 11..17 + ') AND customer_id = ' + ?v1");
  }

  @Test
  void anUpdateWithoutAWhereGetsOne() {
    Tokens t = SqlLexer.lex("UPDATE orders SET customer_id = 7");
    ParsedStatement.Update u = update(t);
    assertThat(KeyGuardText.moving(t, u.spans(), "customer_id").sql())
        .isEqualTo("SELECT COUNT(*) FROM orders WHERE NOT (customer_id = ?)");
    ShardSql pinned = KeyGuardText.pin(u.spans(), "customer_id").applyTo(t);
    assertThat(pinned.sql()).isEqualTo("UPDATE orders SET customer_id = 7 WHERE customer_id = ? ");
    assertThat(pinned.params()).containsExactly(-1);
  }

  @Test
  void aReturningClauseStaysAfterThePinnedWhere() {
    Tokens t = SqlLexer.lex("UPDATE orders SET customer_id = ? WHERE id = 3 RETURNING id");
    ParsedStatement.Update u = update(t);
    assertThat(KeyGuardText.moving(t, u.spans(), "customer_id").sql())
        .isEqualTo("SELECT COUNT(*) FROM orders WHERE (id = 3) AND NOT (customer_id = ?)");
    assertThat(KeyGuardText.pin(u.spans(), "customer_id").applyTo(t).sql())
        .isEqualTo("UPDATE orders SET customer_id = ? WHERE (id = 3) AND customer_id = ? RETURNING id");
  }
}
