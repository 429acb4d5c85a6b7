package org.collegedb.parse;

/**
 * Where the parts of an UPDATE or DELETE stand in its tokens (indices into {@link Tokens}), found at the top level
 * (outside parentheses), for the driver's rewrites of the statement: the target table with its alias from
 * {@code tableFrom} to {@code tableTo}; the {@code SET} keyword (-1 for a DELETE); the {@code WHERE} keyword (-1 when
 * there is none); {@code end}, the first token after the statement proper (its {@code RETURNING} clause, a trailing
 * semicolon, or the end).
 */
public record WriteSpans(int tableFrom, int tableTo, int set, int where, int end) {

  /** The spans of an UPDATE ({@code update}) or DELETE; {@code tableFrom} is -1 when no table is found. */
  public static WriteSpans of(Tokens tokens, boolean update) {
    int end = tokens.size();
    while (end > 0 && tokens.type(end - 1) == TokenType.SEMICOLON) {
      end--;
    }
    int tableFrom = -1;
    int tableTo = -1;
    int set = -1;
    int where = -1;
    int stop = end;
    int depth = 0;
    for (int i = 0; i < end; i++) {
      TokenType t = tokens.type(i);
      if (t == TokenType.LPAREN) {
        depth++;
      } else if (t == TokenType.RPAREN) {
        depth--;
      } else if (depth == 0 && t == TokenType.WORD) {
        if (tableFrom < 0 && (update ? tokens.isWord(i, "UPDATE") : tokens.isWord(i, "FROM"))) {
          tableFrom = i + 1;
          continue;
        }
        boolean setWord = update && set < 0 && tokens.isWord(i, "SET");
        boolean whereWord = where < 0 && tokens.isWord(i, "WHERE");
        boolean returning = tokens.isWord(i, "RETURNING");
        if (tableFrom >= 0 && tableTo < 0 && (setWord || whereWord || returning)) {
          tableTo = i - 1;
        }
        if (setWord) {
          set = i;
        } else if (whereWord) {
          where = i;
        } else if (returning) {
          stop = i;
          break;
        }
      }
    }
    if (tableFrom >= 0 && tableTo < 0) {
      tableTo = stop - 1;
    }
    return new WriteSpans(tableFrom, tableTo, set, where, stop);
  }
}
