package org.collegedb.parse;

import java.util.Locale;
import java.util.Set;

/**
 * Reads the head of an EXPLAIN-like statement: which statement it explains (the first token of a query or write
 * after the options) and whether that statement runs. Returns null for the forms that explain no statement
 * ({@code EXPLAIN users}, {@code DESCRIBE users}, {@code ANALYZE users}): those stay server information or
 * maintenance.
 */
final class ExplainReader {
  private static final Set<String> VERBS = Set.of("SELECT", "WITH", "VALUES", "TABLE", "INSERT", "REPLACE", "UPSERT",
      "UPDATE", "DELETE", "MERGE");
  private static final Set<String> FALSE = Set.of("FALSE", "OFF", "0");

  private ExplainReader() {
  }

  static ParsedStatement.Explain read(Tokens tokens, int first, int end) {
    String head = tokens.text(first).toUpperCase(Locale.ROOT);
    int i = first + 1;
    boolean analyze = head.startsWith("ANALY");
    if (head.equals("EXPLAIN") && tokens.isWord(i, "COLLEGEDB")) {
      i++;
      boolean run = tokens.isWord(i, "ANALYZE") || tokens.isWord(i, "ANALYSE");
      if (run) {
        i++;
      }
      if (i >= end) {
        throw new SqlSyntaxException("EXPLAIN COLLEGEDB needs a statement to explain");
      }
      return new ParsedStatement.Explain(true, run, i);
    }
    while (i < end) {
      if (tokens.is(i, TokenType.WORD) && VERBS.contains(tokens.text(i).toUpperCase(Locale.ROOT))
          && !(head.startsWith("ANALY") && tokens.isWord(i, "TABLE"))) { // MySQL's ANALYZE TABLE t: maintenance
        return new ParsedStatement.Explain(false, analyze, i);
      }
      if (tokens.is(i, TokenType.LPAREN)) { // PostgreSQL: EXPLAIN (ANALYZE, FORMAT JSON) ...
        int close = tokens.matchingParen(i);
        if (close < 0) {
          return null;
        }
        for (int j = i + 1; j < close; j++) {
          if ((tokens.isWord(j, "ANALYZE") || tokens.isWord(j, "ANALYSE"))
              && !(j + 1 < close && tokens.is(j + 1, TokenType.WORD)
              && FALSE.contains(tokens.text(j + 1).toUpperCase(Locale.ROOT)))
              && !(j + 1 < close && tokens.is(j + 1, TokenType.NUMBER) && tokens.text(j + 1).equals("0"))) {
            analyze = true;
          }
        }
        i = close + 1;
        continue;
      }
      if (tokens.isWord(i, "ANALYZE") || tokens.isWord(i, "ANALYSE")) {
        analyze = true;
      } else if (!tokens.is(i, TokenType.WORD) && !tokens.isSymbol(i, "=")) {
        return null; // not an option: EXPLAIN of something else
      }
      i++;
    }
    return null;
  }
}
