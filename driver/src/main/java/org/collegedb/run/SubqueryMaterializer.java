package org.collegedb.run;


import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.plan.Plan;

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
      if (b.context() == ParsedStatement.BlockContext.IN && isRow(tokens, b.names().operand())) {
        return null; // (a, b) IN (SELECT x, y ...): not answered first (refused as it was)
      }
      List<Object> answer = run(b, tokens, params);
      boolean bare = bareTable(b, tokens); // SQLite's x IN t1: no parentheses around the list
      switch (b.context()) {
        case IN -> {
          if (answer.isEmpty()) {
            // x IN (<no rows>) is false and x NOT IN (<no rows>) true, for every x, NULL too: the whole predicate
            // is replaced (an IN (NULL) would be NULL).
            int operand = b.names().operand();
            if (operand < 0) {
              return null;
            }
            splice.replace(operand, bare ? b.last() : b.last() + 1,
                tokens.isWord(b.first() - (bare ? 2 : 3), "NOT") ? "(1 = 1)" : "(1 = 0)");
          } else {
            Object[] parts = new Object[answer.size() * 2 - 1 + (bare ? 2 : 0)];
            int at = bare ? 1 : 0;
            for (int i = 0; i < answer.size(); i++) {
              values.add(answer.get(i));
              if (i > 0) {
                parts[at++] = ", ";
              }
              parts[at++] = new Splice.Bound(-values.size());
            }
            if (bare) {
              parts[0] = "(";
              parts[at] = ")";
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

  /** Whether a block is SQLite's table-as-a-list ({@code x IN t1}): one name token, not in parentheses. */
  private static boolean bareTable(ParsedStatement.Block b, Tokens tokens) {
    return b.first() == b.last() && !tokens.is(b.first() - 1, org.collegedb.parse.TokenType.LPAREN);
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
    String sql = tokens.sql().substring(tokens.start(b.first()), tokens.end(b.last()));
    if (bareTable(b, tokens)) {
      sql = "SELECT * FROM " + sql;
    }
    List<Object> values = new ArrayList<>();
    try (StatementRunner subquery = runner.child(sql, Rewritten.span(tokens, b.first(), b.last(), params),
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
