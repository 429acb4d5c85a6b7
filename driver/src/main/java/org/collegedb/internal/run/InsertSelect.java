package org.collegedb.internal.run;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.plan.Plan;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.rewrite.InsertSelectText;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.route.Route;


/**
 * INSERT ... SELECT. When both sides are whole on every shard, each shard copies its own rows. Otherwise the query
 * runs through CollegeDB (so it reads every shard it must, merged as any query), and its rows are inserted through
 * CollegeDB in chunks (so each row goes to its key's shard), all in one transaction per shard.
 */
final class InsertSelect {
  private static final int CHUNK = 500;
  private final StatementRunner runner;

  InsertSelect(StatementRunner runner) {
    this.runner = runner;
  }

  /** Runs the plan; the number of rows inserted. */
  long run(Plan.InsertFromQuery plan, Bindings bindings) throws SQLException {
    Tokens tokens = plan.tokens();
    List<Object[]> rows = readSource(tokens, plan.sourceStart(), bindings.parameters(), plan.width());
    Session session = runner.session();
    int[] all = session.router().everywhere(Route.Kind.WRITE).shards();
    return session.shards().atomically(all, () -> {
      long count = 0;
      for (int from = 0; from < rows.size(); from += CHUNK) {
        List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
        count += insertChunk(plan.head(), plan.width(), chunk);
      }
      return count;
    });
  }

  private long insertChunk(String head, int width, List<Object[]> chunk) throws SQLException {
    ParameterStore values = new ParameterStore();
    int p = 1;
    for (Object[] row : chunk) {
      for (Object v : row) {
        values.set(p++, ParameterStore.Setter.OBJECT, v);
      }
    }
    String sql = InsertSelectText.values(head, width, chunk.size());
    try (StatementRunner insert = runner.child(sql, values, GeneratedKeysRequest.NONE)) {
      return insert.outcome().count();
    }
  }

  private List<Object[]> readSource(Tokens tokens, int start, Bindings.Parameters params, int width)
      throws SQLException {
    ShardSql sql = InsertSelectText.query(start).apply(tokens);
    List<Object[]> rows = new ArrayList<>();
    try (StatementRunner query = runner.child(sql.sql(), Rewritten.parameters(sql.params(), params, List.of()),
        GeneratedKeysRequest.NONE)) {
      try (ResultSet rs = query.outcome().rows()) {
        int columns = rs.getMetaData().getColumnCount();
        if (columns != width) {
          throw new SQLSyntaxErrorException("INSERT ... SELECT: the query returns " + columns + " columns for "
              + width + " target columns", SqlStates.SYNTAX);
        }
        while (rs.next()) {
          Object[] r = new Object[columns];
          for (int c = 0; c < columns; c++) {
            r[c] = rs.getObject(c + 1);
          }
          rows.add(r);
        }
      }
    }
    return rows;
  }
}
