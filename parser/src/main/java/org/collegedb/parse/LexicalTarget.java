package org.collegedb.parse;

/** The table a statement Calcite could not parse names after its first words, read by the lexer. */
final class LexicalTarget {
  private LexicalTarget() {
  }

  static String table(Tokens tokens, int end, ParsedStatement.StatementKind kind) {
    for (int i = 0; i < end; i++) {
      boolean before = switch (kind) {
        case INSERT -> tokens.isWord(i, "INTO");
        case UPDATE -> tokens.isWord(i, "UPDATE");
        case DELETE, SELECT -> tokens.isWord(i, "FROM");
      };
      if (before) {
        int at = tokens.isWord(i + 1, "ONLY") ? i + 2 : i + 1;
        return DdlClassifier.name(tokens, at, end);
      }
    }
    return null;
  }
}
