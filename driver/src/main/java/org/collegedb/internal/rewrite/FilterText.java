package org.collegedb.internal.rewrite;

import java.util.ArrayList;
import java.util.List;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;

/**
 * Conditions of a WHERE clause pushed to a shard as text: the chosen conjuncts, copied from the caller's text, each
 * in parentheses (unless it is one parenthesised expression already), joined by {@code AND}.
 */
public final class FilterText {
  private FilterText() {
  }

  /**
   * @param conjuncts token ranges {@code {first, last}} of the conditions, in order; none empty
   * @return {@code (c1) AND (c2)}, or null when there are no conditions
   */
  public static Composed and(Tokens tokens, List<int[]> conjuncts) {
    if (conjuncts.isEmpty()) {
      return null;
    }
    List<Object> parts = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (int[] c : conjuncts) {
      if (!parts.isEmpty() || pending.length() > 0) {
        pending.append(" AND ");
      }
      boolean wrapped = tokens.is(c[0], TokenType.LPAREN) && tokens.matchingParen(c[0]) == c[1];
      if (!wrapped) {
        pending.append('(');
      }
      if (pending.length() > 0) {
        parts.add(pending.toString());
        pending.setLength(0);
      }
      parts.add(new Splice.Copy(c[0], c[1]));
      if (!wrapped) {
        pending.append(')');
      }
    }
    if (pending.length() > 0) {
      parts.add(pending.toString());
    }
    return new Composed(parts);
  }
}
