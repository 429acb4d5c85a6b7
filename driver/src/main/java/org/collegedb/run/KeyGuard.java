package org.collegedb.run;


import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import org.collegedb.SqlStates;
import java.util.List;
import org.collegedb.execute.ParameterStore;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.plan.Plan;
import org.collegedb.parse.WriteSpans;
import org.collegedb.parse.Tokens;
import org.collegedb.rewrite.ShardSql;
import org.collegedb.rewrite.Splice;
import org.collegedb.value.Bindings;

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
    int where = spans.where();
    int stop = spans.end();
    if (set < 0) {
      throw refusal;
    }
    String column = update.setColumns().get(assignment);
    Object value = bindings.value(update.setValues().get(assignment));
    if (value == null) {
      throw new SQLException("UPDATE sets the shard key '" + column + "' to NULL", SqlStates.NOT_NULL);
    }
    String table = tokens.sql().substring(tokens.start(spans.tableFrom()), tokens.end(spans.tableTo()));
    // Rows the UPDATE matches whose key differs from the new value: if there are any, it would move them.
    StringBuilder check = new StringBuilder("SELECT COUNT(*) FROM ").append(table).append(" WHERE ");
    if (where >= 0) {
      check.append('(').append(tokens.sql(), tokens.start(where + 1), tokens.end(stop - 1)).append(") AND ");
    }
    check.append("NOT (").append(column).append(" = ?)");
    ParameterStore checkParams = new ParameterStore();
    int n = where >= 0 ? Rewritten.bindSpan(checkParams, 1, tokens, where + 1, stop - 1, params) : 0;
    checkParams.set(n + 1, ParameterStore.Setter.OBJECT, value);
    try (StatementRunner count = runner.child(check.toString(), checkParams, GeneratedKeysRequest.NONE)) {
      ResultSet rs = count.outcome().rows();
      rs.next();
      long moving = rs.getLong(1);
      if (moving > 0) {
        return null; // rows would move: the caller moves them (KeyMove) or refuses
      }
    }
    Splice splice = new Splice(tokens);
    if (where >= 0) {
      splice.replace(where + 1, stop - 1, "(", new Splice.Copy(where + 1, stop - 1), ") AND " + column + " = ",
          new Splice.Bound(-1));
    } else {
      splice.replace(stop, stop - 1, " WHERE " + column + " = ", new Splice.Bound(-1), " ");
    }
    ShardSql guarded = splice.apply();
    return new Rewritten(guarded.sql(), Rewritten.parameters(guarded.params(), params, List.of(value)));
  }
}
