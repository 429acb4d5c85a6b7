package org.collegedb.internal.rewrite;

import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;

/**
 * The edits that put the answers of subqueries run first into their statement, and the text each such subquery runs
 * as. Values are the driver's own placeholders: {@code ?v1, ?v2, ...} ({@link Splice.Bound} -1, -2, ...), numbered
 * across the whole statement.
 */
public final class SubqueryAnswers {
  private SubqueryAnswers() {
  }

  /** The text a subquery runs as on its own, with the caller's parameters it holds. */
  public static ShardSql query(Tokens tokens, ParsedStatement.Block b) {
    Splice.Copy body = new Splice.Copy(b.first(), b.last());
    return bareTable(tokens, b) ? Splice.compose(tokens, "SELECT * FROM ", body) : Splice.compose(tokens, body);
  }

  /**
   * {@code x IN (SELECT ...)} answered with {@code count} values, the placeholders {@code ?v<first>} onwards:
   * {@code x IN (?v1, ?v2)}.
   */
  public static Edit in(Tokens tokens, ParsedStatement.Block b, int first, int count) {
    boolean bare = bareTable(tokens, b);
    Object[] parts = new Object[count * 2 - 1 + (bare ? 2 : 0)];
    int at = bare ? 1 : 0;
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        parts[at++] = ", ";
      }
      parts[at++] = new Splice.Bound(-(first + i));
    }
    if (bare) {
      parts[0] = "(";
      parts[at] = ")";
    }
    return Edit.replace(b.first(), b.last(), parts);
  }

  /**
   * {@code x [NOT] IN (<no rows>)}: false (true with NOT) for every x, NULL too, so the whole predicate is replaced
   * (an {@code IN (NULL)} would be NULL). Null when the operand is not known.
   */
  public static Edit inNothing(Tokens tokens, ParsedStatement.Block b) {
    int operand = b.names().operand();
    if (operand < 0) {
      return null;
    }
    boolean bare = bareTable(tokens, b);
    return Edit.replace(operand, bare ? b.last() : b.last() + 1,
        tokens.isWord(b.first() - (bare ? 2 : 3), "NOT") ? "(1 = 1)" : "(1 = 0)");
  }

  /** A scalar {@code (SELECT ...)} answered with the placeholder {@code ?v<value>}. */
  public static Edit scalar(ParsedStatement.Block b, int value) {
    return Edit.replace(b.first(), b.last(), new Splice.Bound(-value));
  }

  /** {@code EXISTS (SELECT ...)} answered: the planner made sure the word EXISTS is there. */
  public static Edit exists(ParsedStatement.Block b, boolean any) {
    return Edit.replace(b.first() - 2, b.last() + 1, any ? "(1 = 1)" : "(1 = 0)");
  }

  /** Whether a block is SQLite's table-as-a-list ({@code x IN t1}): one name token, not in parentheses. */
  public static boolean bareTable(Tokens tokens, ParsedStatement.Block b) {
    return b.first() == b.last() && !tokens.is(b.first() - 1, TokenType.LPAREN);
  }
}
