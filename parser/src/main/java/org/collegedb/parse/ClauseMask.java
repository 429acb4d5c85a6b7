package org.collegedb.parse;

/**
 * The clauses of a statement that Calcite cannot parse but the backends accept: upsert forms, {@code RETURNING},
 * {@code FOR UPDATE}. They are blanked out of the copy Calcite parses; the original text is what gets sent.
 */
final class ClauseMask {
  private int blankFrom = -1; // a trailing clause, to the end of the statement
  private int blankTo = -1;
  private int orFrom = -1; // INSERT OR REPLACE / INSERT IGNORE
  private int orTo = -1;
  private int retFrom = -1;
  private final java.util.List<Integer> signs = new java.util.ArrayList<>(); // '-' of LIMIT -1 (SQLite: no limit)
  private final java.util.List<Integer> collations = new java.util.ArrayList<>(); // COLLATE x: Calcite has none
  private int replaceToken = -1;
  private int replaceLength;
  private int end;
  private ParsedStatement.Upsert upsert = ParsedStatement.Upsert.NONE;
  private boolean forUpdate;

  private ClauseMask() {
  }

  static ClauseMask find(Tokens tokens, int end, ParsedStatement.StatementKind kind) {
    ClauseMask m = new ClauseMask();
    m.end = end;
    int first = 0;
    while (first < end && tokens.type(first) == TokenType.HINT) {
      first++;
    }
    if (kind == ParsedStatement.StatementKind.INSERT) {
      if (tokens.isWord(first, "REPLACE") || tokens.isWord(first, "UPSERT")) {
        m.replaceToken = first;
        m.replaceLength = tokens.end(first) - tokens.start(first);
        m.upsert = ParsedStatement.Upsert.REPLACE;
      } else if (tokens.isWord(first + 1, "OR") && tokens.is(first + 2, TokenType.WORD)) {
        m.orFrom = first + 1;
        m.orTo = first + 2;
        m.upsert = tokens.isWord(first + 2, "IGNORE") ? ParsedStatement.Upsert.IGNORE
            : ParsedStatement.Upsert.REPLACE;
      } else if (tokens.isWord(first + 1, "IGNORE")) {
        m.orFrom = first + 1;
        m.orTo = first + 1;
        m.upsert = ParsedStatement.Upsert.IGNORE;
      }
    }
    for (int i = first; i + 1 < end; i++) {
      if (tokens.isWord(i, "COLLATE")
          && (tokens.is(i + 1, TokenType.WORD) || tokens.is(i + 1, TokenType.QUOTED_ID))) {
        m.collations.add(i);
      }
    }
    int depth = 0;
    for (int i = first; i < end; i++) {
      TokenType t = tokens.type(i);
      if (t == TokenType.LPAREN) {
        depth++;
        continue;
      }
      if (t == TokenType.RPAREN) {
        depth--;
        continue;
      }
      if (depth != 0 || t != TokenType.WORD) {
        continue;
      }
      if ((tokens.isWord(i, "LIMIT") || tokens.isWord(i, "OFFSET")) && tokens.isSymbol(i + 1, "-")
          && tokens.is(i + 2, TokenType.NUMBER)) {
        m.signs.add(i + 1);
      }
      if (tokens.isWord(i, "RETURNING") && kind != ParsedStatement.StatementKind.SELECT) {
        m.retFrom = i;
        break;
      }
      if (kind == ParsedStatement.StatementKind.INSERT && m.blankFrom < 0 && tokens.isWord(i, "ON")
          && (tokens.isWord(i + 1, "CONFLICT") || tokens.isWord(i + 1, "DUPLICATE"))) {
        m.blankFrom = tokens.isWord(i + 1, "DUPLICATE") ? rowAliasStart(tokens, i) : i;
        m.upsert = tokens.isWord(i + 1, "CONFLICT") ? ParsedStatement.Upsert.ON_CONFLICT
            : ParsedStatement.Upsert.ON_DUPLICATE_KEY;
      }
      if (kind == ParsedStatement.StatementKind.SELECT && m.blankFrom < 0
          && (tokens.isWord(i, "FOR") && (tokens.isWord(i + 1, "UPDATE") || tokens.isWord(i + 1, "SHARE")
              || tokens.isWord(i + 1, "NO") || tokens.isWord(i + 1, "KEY"))
          || tokens.isWord(i, "LOCK") && tokens.isWord(i + 1, "IN") && tokens.isWord(i + 2, "SHARE"))) {
        m.blankFrom = i;
        m.forUpdate = true;
      }
    }
    if (m.blankFrom >= 0) {
      m.blankTo = (m.retFrom >= 0 ? m.retFrom : end) - 1;
    }
    return m;
  }

  ParseText.Builder apply(ParseText.Builder text) {
    for (int sign : signs) {
      text.blank(sign, sign);
    }
    for (int c : collations) {
      text.blank(c, c + 1);
    }
    if (replaceToken >= 0) {
      text.overwrite(replaceToken, "INSERT" + " ".repeat(replaceLength - 6));
    }
    if (orFrom >= 0) {
      text.blank(orFrom, orTo);
    }
    if (blankFrom >= 0) {
      text.blank(blankFrom, blankTo);
    }
    if (retFrom >= 0) {
      text.blank(retFrom, end - 1);
    }
    return text;
  }

  /**
   * Where the clause ending before {@code on} starts when it is MySQL's row alias, {@code VALUES (..) AS new [(a, b)]
   * ON DUPLICATE KEY UPDATE}: at its {@code AS}, so that it is blanked with the clause. Otherwise {@code on}.
   */
  private static int rowAliasStart(Tokens tokens, int on) {
    int alias = on - 1;
    if (tokens.is(alias, TokenType.RPAREN)) {
      int depth = 0;
      do {
        depth += tokens.is(alias, TokenType.RPAREN) ? 1 : tokens.is(alias, TokenType.LPAREN) ? -1 : 0;
        alias--;
      } while (alias > 0 && depth > 0);
    }
    boolean afterRow = tokens.isWord(alias - 1, "AS") && tokens.is(alias - 2, TokenType.RPAREN);
    return afterRow && tokens.is(alias, TokenType.WORD) ? alias - 1 : on;
  }

  /** Whether token {@code token} is blanked out of the copy Calcite parses. */
  boolean blanks(int token) {
    return token >= orFrom && token <= orTo || token >= blankFrom && token <= blankTo
        || retFrom >= 0 && token >= retFrom;
  }

  ParsedStatement.Upsert upsert() {
    return upsert;
  }

  boolean returning() {
    return retFrom >= 0;
  }

  boolean forUpdate() {
    return forUpdate;
  }
}
