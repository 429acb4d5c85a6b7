package org.collegedb.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the lexer and the analyser over generated input: they fail only with {@link SqlSyntaxException};
 * one template filled with different literals gives one shape and one analysis; every value reference points at
 * a literal token or an existing parameter.
 */
class AnalyzerPropertiesTest {
  private static final String SQLISH = "'\"`$?-/*#\\\n\r\t ;(),.:+=<>!|xXeEnNbB0123456789_aé😀\u2028";

  private static SqlLexer.Options options(boolean mysql) {
    return mysql ? SqlLexer.Options.MYSQL : SqlLexer.Options.STANDARD;
  }

  // ---------------------------------------------------------------- (a) the lexer

  @Provide
  Arbitrary<String> sqlish() {
    return Arbitraries.oneOf(Arbitraries.strings().withChars(SQLISH.toCharArray()).ofMaxLength(60),
        Arbitraries.strings().ofMaxLength(40));
  }

  @Property(tries = 3000)
  void theLexerFailsOnlyWithSyntaxErrors(@ForAll("sqlish") String sql, @ForAll boolean mysql) {
    Tokens tokens;
    try {
      tokens = SqlLexer.lex(sql, options(mysql));
    } catch (SqlSyntaxException e) {
      Statistics.collect("syntax error");
      return;
    }
    Statistics.collect("lexed");
    int previousEnd = 0;
    int params = 0;
    for (int i = 0; i < tokens.size(); i++) {
      assertThat(tokens.start(i)).as("token %s of %s", i, tokens).isGreaterThanOrEqualTo(previousEnd);
      assertThat(tokens.end(i)).isGreaterThan(tokens.start(i)).isLessThanOrEqualTo(sql.length());
      previousEnd = tokens.end(i);
      if (tokens.type(i) == TokenType.PARAM) {
        assertThat(tokens.paramIndex(i)).isEqualTo(++params);
      }
    }
    assertThat(tokens.paramCount()).isEqualTo(params);
    assertThat(SqlLexer.lex(sql, options(mysql)).shapeKey()).isEqualTo(tokens.shapeKey());
  }

  // ---------------------------------------------------------------- (b) the analyser on token soups

  private static final String[] VERBS = {"SELECT", "SELECT * FROM t WHERE", "INSERT INTO t", "INSERT INTO t (a, b)"
      + " VALUES", "UPDATE t SET", "DELETE FROM t WHERE", "WITH x AS (SELECT", "REPLACE INTO t", "INSERT OR", "(SELECT",
      "/*+ h */ SELECT", "VALUES", "UPSERT INTO", "INSERT IGNORE INTO t", "SELECT date FROM t WHERE"};
  private static final String[] KEYWORDS = {"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "IS", "NULL", "AS",
      "JOIN", "LEFT", "ON", "USING", "GROUP", "BY", "ORDER", "HAVING", "LIMIT", "OFFSET", "FETCH", "FIRST", "ROWS",
      "ONLY", "UNION", "ALL", "DISTINCT", "VALUES", "SET", "INTO", "RETURNING", "ON CONFLICT", "DO", "UPDATE",
      "NOTHING", "DUPLICATE", "KEY", "FOR", "SHARE", "LOCK", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "DATE",
      "TIMESTAMP", "INTERVAL", "DEFAULT", "TRUE", "FALSE", "EXISTS", "BETWEEN", "LIKE", "OVER", "PARTITION", "WITH",
      "RECURSIVE", "EXCLUDED", "IGNORE", "REPLACE", "NEXT", "VALUE", "OF", "NOWAIT", "SKIP", "LOCKED"};
  private static final String[] NAMES = {"t", "u", "id", "t.id", "u.name", "\"x\"", "`y`", "date", "time", "limit",
      "offset", "count", "user", "status", "value", "a.b.c", "*", "t.*", "count(*)", "max(id)", "f(?)", "lower(x)"};
  private static final String[] LITERALS = {"1", "-1", "0", "1.5", ".5", "1e10", "0x1F", "'x'", "''", "'it''s'",
      "N'n'", "X'0A'", "E'\\''", "$$d$$", "DATE '2024-01-01'", "B'1'", "?", "?", "?", "$1", ":name", "NULL"};
  private static final String[] SYMBOLS = {"(", ")", "(", ")", ",", ",", "=", "<>", "<", ">=", "+", "-", "*", "/",
      "||", "::", "->>", ".", ";", "/*+ x */", "-- c\n", "/* c */"};

  @Provide
  Arbitrary<String> soups() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.of(KEYWORDS)),
        net.jqwik.api.Tuple.of(3, Arbitraries.of(NAMES)),
        net.jqwik.api.Tuple.of(3, Arbitraries.of(LITERALS)),
        net.jqwik.api.Tuple.of(4, Arbitraries.of(SYMBOLS)));
    return Combinators.combine(Arbitraries.of(VERBS), piece.list().ofMaxSize(20))
        .as((verb, pieces) -> verb + " " + String.join(" ", pieces));
  }

  @Property(tries = 400)
  void theAnalyserFailsOnlyWithSyntaxErrors(@ForAll("soups") String sql, @ForAll boolean mysql) {
    Tokens tokens;
    ParsedStatement statement;
    try {
      tokens = SqlLexer.lex(sql, options(mysql));
      statement = StatementAnalyzer.analyze(tokens);
    } catch (SqlSyntaxException e) {
      Statistics.collect("syntax error");
      return;
    }
    Statistics.collect(statement.getClass().getSimpleName());
    assertThat(AnalysisInvariants.violations(tokens, statement)).as(sql).isEmpty();
  }

  // ---------------------------------------------------------------- (c) one template, one shape, one plan

  @Property(tries = 400)
  void oneTemplateHasOneShapeAndOneAnalysis(@ForAll long template, @ForAll long valuesA, @ForAll long valuesB,
      @ForAll boolean mysql) {
    RandomStatements.Template t = RandomStatements.template(new Random(template));
    String a = t.render(new Random(valuesA), new Random(valuesA + 1), mysql);
    String b = t.render(new Random(valuesB), new Random(valuesB + 1), mysql);
    Tokens ta = SqlLexer.lex(a, options(mysql));
    Tokens tb = SqlLexer.lex(b, options(mysql));
    assertThat(tb.shapeKey()).as("shape of\n%s\nand\n%s", a, b).isEqualTo(ta.shapeKey());
    ParsedStatement pa = StatementAnalyzer.analyze(ta);
    ParsedStatement pb = StatementAnalyzer.analyze(tb);
    Statistics.collect(pa.getClass().getSimpleName());
    assertThat(Canonical.of(pb)).as("analysis of\n%s\nand\n%s", a, b).isEqualTo(Canonical.of(pa));
  }

  // ---------------------------------------------------------------- (d) value references

  @Property(tries = 400)
  void valueReferencesPointAtLiteralsAndParameters(@ForAll long template, @ForAll long values,
      @ForAll boolean mysql) {
    String sql = RandomStatements.template(new Random(template)).render(new Random(values), new Random(~values),
        mysql);
    Tokens tokens = SqlLexer.lex(sql, options(mysql));
    ParsedStatement statement = StatementAnalyzer.analyze(tokens);
    if (!sql.contains("GLOB")) {
      assertThat(statement).as(sql).isNotInstanceOf(ParsedStatement.Unparsed.class);
    }
    Statistics.collect(statement.getClass().getSimpleName());
    for (ValueRef v : AnalysisInvariants.values(statement)) {
      if (v instanceof ValueRef.Literal l) {
        assertThat(tokens.type(l.token())).as(sql).isIn(TokenType.NUMBER, TokenType.STRING);
      } else if (v instanceof ValueRef.Param p) {
        assertThat(p.index()).as(sql).isBetween(1, tokens.paramCount());
      }
    }
    assertThat(AnalysisInvariants.violations(tokens, statement)).as(sql).isEmpty();
  }
}
