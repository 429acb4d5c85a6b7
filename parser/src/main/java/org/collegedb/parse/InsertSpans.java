package org.collegedb.parse;

/**
 * Where the parts of an {@code INSERT ... SELECT} stand in its tokens: the target table (with any schema) from
 * {@code tableFrom} to {@code tableTo}, and {@code sourceStart}, the first token of its query (-1 when there is
 * none).
 */
public record InsertSpans(int tableFrom, int tableTo, int sourceStart) {

  public static InsertSpans of(Tokens tokens) {
    int from = 1;
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.isWord(i, "INTO")) {
        from = i + 1;
        break;
      }
    }
    int to = from;
    while (tokens.isSymbol(to + 1, ".")) {
      to += 2;
    }
    int i = to + 1;
    if (tokens.is(i, TokenType.LPAREN) && !isQueryStart(tokens, i + 1)) {
      i = tokens.matchingParen(i) + 1;
    }
    return new InsertSpans(from, to, i >= tokens.size() ? -1 : i);
  }

  private static boolean isQueryStart(Tokens tokens, int i) {
    return tokens.isWord(i, "SELECT") || tokens.isWord(i, "WITH") || tokens.isWord(i, "VALUES");
  }
}
