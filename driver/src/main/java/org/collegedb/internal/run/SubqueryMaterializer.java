package org.collegedb.internal.run;


import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.internal.plan.Plan;

import org.collegedb.parse.Tokens;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.rewrite.Edit;
import org.collegedb.internal.rewrite.Edits;
import org.collegedb.internal.rewrite.SubqueryAnswers;
import org.collegedb.internal.value.Bindings;

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
    List<Edit> edits = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (ParsedStatement.Block b : chosen) {
      if (b.context() == ParsedStatement.BlockContext.IN && isRow(tokens, b.names().operand())) {
        return null; // (a, b) IN (SELECT x, y ...): not answered first (refused as it was)
      }
      List<Object> answer = run(b, tokens, params);
      switch (b.context()) {
        case IN -> {
          if (answer.isEmpty()) {
            Edit nothing = SubqueryAnswers.inNothing(tokens, b);
            if (nothing == null) {
              return null;
            }
            edits.add(nothing);
          } else {
            edits.add(SubqueryAnswers.in(tokens, b, values.size() + 1, answer.size()));
            values.addAll(answer);
          }
        }
        case SCALAR -> {
          values.add(answer.isEmpty() ? null : answer.get(0));
          edits.add(SubqueryAnswers.scalar(b, values.size()));
        }
        default -> edits.add(SubqueryAnswers.exists(b, !answer.isEmpty())); // EXISTS
      }
    }
    ShardSql rewritten = Edits.of(edits).applyTo(tokens);
    return new Rewritten(rewritten.sql(), Rewritten.parameters(rewritten.params(), params, values));
  }

  /** Whether the operand starting at token {@code t} is a row value: parentheses holding a comma at their level. */
  private static boolean isRow(Tokens tokens, int t) {
    if (t < 0 || !tokens.is(t, org.collegedb.parse.TokenType.LPAREN)) {
      return false;
    }
    return tokens.items(t + 1, tokens.matchingParen(t) - 1).size() > 1;
  }

  /** Runs one subquery as a plan of its own: its first column's values (at most one row for EXISTS). */
  private List<Object> run(ParsedStatement.Block b, Tokens tokens, Bindings.Parameters params)
      throws SQLException {
    ShardSql query = SubqueryAnswers.query(tokens, b);
    List<Object> values = new ArrayList<>();
    try (StatementRunner subquery = runner.child(query.sql(), Rewritten.parameters(query.params(), params, List.of()),
        GeneratedKeysRequest.NONE)) {
      try (ResultSet rs = subquery.outcome().rows()) {
        int columns = rs.getMetaData().getColumnCount();
        if (columns != 1 && b.context() != ParsedStatement.BlockContext.EXISTS) {
          throw new java.sql.SQLSyntaxErrorException("a subquery " + (b.context() == ParsedStatement.BlockContext.IN
              ? "compared with IN" : "used as a value") + " returns " + columns + " columns: it must return one",
              SqlStates.SUBQUERY_COLUMNS);
        }
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
