package org.collegedb.parse;

/**
 * What a statement that starts with {@code WITH} does: PostgreSQL's {@code WITH x AS (..) INSERT ..} and its
 * data-modifying WITH queries ({@code WITH d AS (DELETE .. RETURNING *) SELECT ..}) are writes, which Calcite
 * cannot parse and which must never be taken for reads.
 */
final class WithKind {
  private WithKind() {
  }

  /** The kind of the statement whose {@code WITH} is token {@code with}: a write if any of its parts writes. */
  static ParsedStatement.StatementKind of(Tokens tokens, int with, int end) {
    ParsedStatement.StatementKind main = null;
    ParsedStatement.StatementKind inner = null;
    int depth = 0;
    for (int i = with + 1; i < end; i++) {
      if (tokens.is(i, TokenType.LPAREN)) {
        if (depth == 0 && (tokens.isWord(i - 1, "AS") || tokens.isWord(i - 1, "MATERIALIZED"))) {
          ParsedStatement.StatementKind body = verb(tokens, i + 1);
          if (body != null && body != ParsedStatement.StatementKind.SELECT && inner == null) {
            inner = body;
          }
        }
        depth++;
      } else if (tokens.is(i, TokenType.RPAREN)) {
        depth--;
      } else if (depth == 0 && main == null) {
        main = verb(tokens, i);
      }
    }
    if (main != null && main != ParsedStatement.StatementKind.SELECT) {
      return main;
    }
    return inner != null ? inner : ParsedStatement.StatementKind.SELECT;
  }

  private static ParsedStatement.StatementKind verb(Tokens tokens, int i) {
    if (tokens.isWord(i, "SELECT") || tokens.isWord(i, "VALUES") || tokens.isWord(i, "TABLE")) {
      return ParsedStatement.StatementKind.SELECT;
    }
    if (tokens.isWord(i, "INSERT") || tokens.isWord(i, "REPLACE") || tokens.isWord(i, "UPSERT")
        || tokens.isWord(i, "MERGE")) {
      return ParsedStatement.StatementKind.INSERT;
    }
    if (tokens.isWord(i, "UPDATE")) {
      return ParsedStatement.StatementKind.UPDATE;
    }
    return tokens.isWord(i, "DELETE") ? ParsedStatement.StatementKind.DELETE : null;
  }
}
