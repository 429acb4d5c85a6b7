package org.collegedb.run;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.plan.Plan;
import org.collegedb.parse.TableRef;
import org.collegedb.parse.Tokens;
import org.collegedb.rewrite.ShardSql;
import org.collegedb.rewrite.Splice;
import org.collegedb.value.Bindings;

/**
 * Answers statements whose uncorrelated subqueries read rows of other shards: each such subquery runs first, through
 * CollegeDB (so it is exact across shards), and its answer replaces it in the statement as parameters: the values of
 * {@code x IN (SELECT ...)}, the value of a scalar {@code (SELECT ...)}, the truth of {@code EXISTS (SELECT ...)}.
 * The rewritten statement is then routed like any other (an IN list on the shard key narrows it to its shards).
 */
final class SubqueryMaterializer {
  /** More values than this from one subquery and the statement is refused rather than sent with them. */
  static final int MAX_VALUES = 50_000;

  private final StatementRunner runner;

  SubqueryMaterializer(StatementRunner runner) {
    this.runner = runner;
  }

  /** The statement with its uncorrelated cross-shard subqueries answered. */
  Rewritten materialize(Plan.SubqueriesFirst plan, Bindings bindings) throws SQLException {
    List<ParsedStatement.Block> chosen = plan.subqueries();
    Tokens tokens = plan.tokens();
    Bindings.Parameters params = bindings.parameters();
    Splice splice = new Splice(tokens);
    List<Object> values = new ArrayList<>();
    for (ParsedStatement.Block b : chosen) {
      List<Object> answer = run(b, tokens, params);
      switch (b.context()) {
        case IN -> {
          if (answer.isEmpty()) {
            splice.replace(b.first(), b.last(), "NULL");
          } else {
            Object[] parts = new Object[answer.size() * 2 - 1];
            for (int i = 0; i < answer.size(); i++) {
              values.add(answer.get(i));
              if (i > 0) {
                parts[2 * i - 1] = ", ";
              }
              parts[2 * i] = new Splice.Bound(-values.size());
            }
            splice.replace(b.first(), b.last(), parts);
          }
        }
        case SCALAR -> {
          values.add(answer.isEmpty() ? null : answer.get(0));
          splice.replace(b.first(), b.last(), new Splice.Bound(-values.size()));
        }
        default -> { // EXISTS
          int exists = b.first() - 2; // the planner made sure the word is there
          splice.replace(exists, b.last() + 1, answer.isEmpty() ? "(1 = 0)" : "(1 = 1)");
        }
      }
    }
    ShardSql rewritten = splice.apply();
    return new Rewritten(rewritten.sql(), Rewritten.parameters(rewritten.params(), params, values));
  }

  /** Runs one subquery as a plan of its own: its first column's values (at most one row for EXISTS). */
  private List<Object> run(ParsedStatement.Block b, Tokens tokens, Bindings.Parameters params)
      throws SQLException {
    String sql = tokens.sql().substring(tokens.start(b.first()), tokens.end(b.last()));
    List<Object> values = new ArrayList<>();
    try (StatementRunner subquery = runner.child(sql, Rewritten.span(tokens, b.first(), b.last(), params),
        GeneratedKeysRequest.NONE)) {
      try (ResultSet rs = subquery.outcome().rows()) {
        while (rs.next()) {
          values.add(rs.getObject(1));
          if (b.context() == ParsedStatement.BlockContext.EXISTS) {
            break;
          }
          if (b.context() == ParsedStatement.BlockContext.SCALAR && values.size() > 1) {
            throw new SQLException("a subquery used as a value returned more than one row", SqlStates.CARDINALITY);
          }
          if (values.size() > MAX_VALUES) {
            throw new java.sql.SQLFeatureNotSupportedException("a subquery over rows of several shards returned "
                + "more than " + MAX_VALUES + " values; CollegeDB runs such subqueries first and sends their values "
                + "with the statement. Rewrite it as a join on the shard keys", SqlStates.NOT_SUPPORTED);
          }
        }
      }
    }
    return values;
  }
}
