package org.collegedb.internal.run;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import org.collegedb.SqlStates;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.SqlSyntaxException;
import org.collegedb.parse.StatementAnalyzer;
import org.collegedb.parse.Tokens;

/**
 * Analysed statements, kept so that a statement is parsed once. Plans are filed under the text's shape (its tokens
 * with literal values masked), so statements that differ only in literals share one; a plan that depends on a
 * literal's value (an ORDER BY ordinal) is filed under its exact text instead.
 */
public final class PlanCache implements org.collegedb.internal.plan.Planner.Analyzer {
  private final Cache<String, ParsedStatement> cache;
  private final SqlLexer.Options lexerOptions;

  PlanCache(int size, SqlLexer.Options lexerOptions) {
    this.cache = Caffeine.newBuilder().maximumSize(size)
        .recordStats(org.collegedb.metrics.Metrics.cacheStats("plan")).build(); // metrics hook
    this.lexerOptions = lexerOptions;
  }

  @Override
  public Tokens lex(String sql) throws SQLException {
    try {
      return SqlLexer.lex(sql, lexerOptions);
    } catch (SqlSyntaxException e) {
      throw new SQLSyntaxErrorException(e.getMessage(), SqlStates.SYNTAX, e);
    }
  }

  @Override
  public ParsedStatement analyze(Tokens tokens) throws SQLException {
    return plan(tokens);
  }

  public ParsedStatement plan(Tokens tokens) throws SQLException {
    String shape = tokens.shapeKey();
    ParsedStatement plan = cache.getIfPresent(shape);
    if (plan != null) {
      return plan;
    }
    String exact = "\u0000" + tokens.sql();
    plan = cache.getIfPresent(exact);
    if (plan != null) {
      return plan;
    }
    try {
      plan = StatementAnalyzer.analyze(tokens);
    } catch (SqlSyntaxException e) {
      throw new SQLSyntaxErrorException(e.getMessage(), SqlStates.SYNTAX, e);
    }
    cache.put(plan.literalSensitive() ? exact : shape, plan);
    return plan;
  }

  public long size() {
    return cache.estimatedSize();
  }
}
