package org.collegedb.internal.run;


import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import org.collegedb.SqlStates;
import java.util.List;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.internal.plan.Plan;
import org.collegedb.parse.WriteSpans;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.rewrite.KeyGuardText;
import org.collegedb.internal.value.Bindings;

/**
 * Runs an UPDATE that sets the shard key to a value its WHERE clause does not pin, as ORMs do when they write every
 * column ({@code UPDATE orders SET customer_id = ?, total = ? WHERE id = ?}). It is a no-op for placement only if
 * every row it matches has that key already. CollegeDB first counts the rows it matches whose key differs (if there
 * are any, {@link KeyMove} moves them), then runs it with {@code AND key = <value>} added to its WHERE:
 * the guard never lets it change a key, and pins it to the key's shard.
 */
final class KeyGuard {
  private final StatementRunner runner;

  KeyGuard(StatementRunner runner) {
    this.runner = runner;
  }

  /** The guarded UPDATE, or null when rows the UPDATE matches have another key (it would move them). */
  Rewritten guard(Plan.GuardedKeyUpdate plan, Bindings bindings) throws SQLException {
    ParsedStatement.Update update = plan.update();
    int assignment = plan.assignment();
    Tokens tokens = plan.tokens();
    Bindings.Parameters params = bindings.parameters();
    SQLException refusal = new SQLFeatureNotSupportedException(plan.refusal(), SqlStates.NOT_SUPPORTED);
    WriteSpans spans = update.spans();
    int set = spans.set();
    if (set < 0) {
      throw refusal;
    }
    String column = update.setColumns().get(assignment);
    Object value = bindings.value(update.setValues().get(assignment));
    if (value == null) {
      throw new SQLException("UPDATE sets the shard key '" + column + "' to NULL", SqlStates.NOT_NULL);
    }
    // Rows the UPDATE matches whose key differs from the new value: if there are any, it would move them.
    ShardSql check = KeyGuardText.moving(tokens, spans, column);
    ParameterStore checkParams = Rewritten.parameters(check.params(), params, List.of(value));
    try (StatementRunner count = runner.child(check.sql(), checkParams, GeneratedKeysRequest.NONE)) {
      ResultSet rs = count.outcome().rows();
      rs.next();
      long moving = rs.getLong(1);
      if (moving > 0) {
        return null; // rows would move: the caller moves them (KeyMove) or refuses
      }
    }
    ShardSql guarded = KeyGuardText.pin(spans, column).applyTo(tokens);
    return new Rewritten(guarded.sql(), Rewritten.parameters(guarded.params(), params, List.of(value)));
  }
}
