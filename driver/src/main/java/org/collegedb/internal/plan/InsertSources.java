package org.collegedb.internal.plan;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.InsertSpans;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.rewrite.InsertSelectText;
import org.collegedb.internal.route.Route;
import org.collegedb.internal.route.ShardRouter;
import org.collegedb.internal.schema.TableRule;

/**
 * Plans INSERT ... SELECT. When both sides are whole on every shard, each shard copies its own rows. Otherwise the
 * query runs as a plan of its own (so it reads every shard it must, merged as any query), and its rows are inserted
 * in chunks (each row to its key's shard), in one transaction per shard.
 */
final class InsertSources {
  private InsertSources() {
  }

  static Plan plan(ParsedStatement.Insert insert, TableRule target, Tokens tokens, ShardRouter router)
      throws SQLException {
    boolean sourceEverywhere = true;
    for (var t : insert.source().tables()) {
      if (!router.context().rule(t.name()).broadcast()) {
        sourceEverywhere = false;
      }
    }
    if (target.broadcast() && sourceEverywhere) {
      return new Plan.ShardWrite(tokens, router.everywhere(Route.Kind.BROADCAST_WRITE));
    }
    if (target.broadcast()) {
      return new Plan.Refusal(SqlStates.NOT_SUPPORTED, "INSERT into the broadcast table '" + target.name()
          + "' from sharded tables is not supported: read the rows, then insert them",
          SQLFeatureNotSupportedException.class);
    }
    if (insert.upsert() != ParsedStatement.Upsert.NONE || insert.returning()) {
      return new Plan.Refusal(SqlStates.NOT_SUPPORTED, "INSERT ... SELECT with an upsert clause or RETURNING cannot "
          + "run across shards", SQLFeatureNotSupportedException.class);
    }
    InsertSpans spans = InsertSpans.of(tokens);
    int start = spans.sourceStart();
    if (start < 0) {
      return new Plan.Refusal(SqlStates.SYNTAX, "INSERT ... SELECT without a query", SQLSyntaxErrorException.class);
    }
    List<String> columns = insert.columns().isEmpty() ? target.columns() : insert.columns();
    if (columns.isEmpty()) {
      return new Plan.Refusal(SqlStates.UNDEFINED_TABLE, "table '" + insert.table().name() + "' does not exist",
          SQLException.class);
    }
    String head = InsertSelectText.head(spans, columns).apply(tokens).sql();
    return new Plan.InsertFromQuery(tokens, start, head, columns.size());
  }
}
