package org.collegedb.parse;

import java.util.Locale;

/** Classifies schema statements by their first words; Calcite parses none of the dialects' DDL. */
final class DdlClassifier {
  private DdlClassifier() {
  }

  static ParsedStatement.Ddl classify(Tokens tokens, int first, int end) {
    int i = first;
    String verb = tokens.text(i++).toUpperCase(Locale.ROOT);
    if (verb.equals("TRUNCATE")) {
      if (tokens.isWord(i, "TABLE")) {
        i++;
      }
      i = skip(tokens, i, "ONLY");
      return new ParsedStatement.Ddl(ParsedStatement.DdlKind.TRUNCATE, name(tokens, i, end));
    }
    // Skip modifiers: OR REPLACE, GLOBAL/LOCAL, TEMP/TEMPORARY, UNLOGGED, UNIQUE, MATERIALIZED, ...
    while (i < end && (tokens.isWord(i, "OR") || tokens.isWord(i, "REPLACE") || tokens.isWord(i, "GLOBAL")
        || tokens.isWord(i, "LOCAL") || tokens.isWord(i, "TEMP") || tokens.isWord(i, "TEMPORARY")
        || tokens.isWord(i, "UNLOGGED") || tokens.isWord(i, "UNIQUE") || tokens.isWord(i, "MATERIALIZED")
        || tokens.isWord(i, "CACHED") || tokens.isWord(i, "MEMORY") || tokens.isWord(i, "FORCE")
        || tokens.isWord(i, "SPATIAL") || tokens.isWord(i, "FULLTEXT"))) {
      i++;
    }
    String object = i < end ? tokens.text(i++).toUpperCase(Locale.ROOT) : "";
    i = skipIfExists(tokens, i);
    ParsedStatement.DdlKind kind;
    String table;
    switch (verb + " " + object) {
      case "CREATE TABLE" -> {
        kind = ParsedStatement.DdlKind.CREATE_TABLE;
        table = name(tokens, i, end);
      }
      case "ALTER TABLE" -> {
        kind = ParsedStatement.DdlKind.ALTER_TABLE;
        table = name(tokens, skip(tokens, i, "ONLY"), end);
      }
      case "DROP TABLE" -> {
        kind = ParsedStatement.DdlKind.DROP_TABLE;
        table = name(tokens, i, end);
      }
      case "CREATE INDEX" -> {
        kind = ParsedStatement.DdlKind.CREATE_INDEX;
        int on = i;
        while (on < end && !tokens.isWord(on, "ON")) {
          on++;
        }
        table = name(tokens, skip(tokens, on + 1, "ONLY"), end);
      }
      case "DROP INDEX" -> {
        kind = ParsedStatement.DdlKind.DROP_INDEX;
        int on = i;
        while (on < end && !tokens.isWord(on, "ON")) {
          on++;
        }
        table = on < end ? name(tokens, on + 1, end) : null;
      }
      case "CREATE SEQUENCE" -> {
        kind = ParsedStatement.DdlKind.CREATE_SEQUENCE;
        table = name(tokens, i, end);
      }
      case "DROP SEQUENCE" -> {
        kind = ParsedStatement.DdlKind.DROP_SEQUENCE;
        table = name(tokens, i, end);
      }
      case "CREATE VIEW" -> {
        kind = ParsedStatement.DdlKind.CREATE_VIEW;
        table = name(tokens, i, end);
      }
      case "DROP VIEW" -> {
        kind = ParsedStatement.DdlKind.DROP_VIEW;
        table = name(tokens, i, end);
      }
      default -> {
        kind = ParsedStatement.DdlKind.OTHER;
        table = null;
      }
    }
    return new ParsedStatement.Ddl(kind, table);
  }

  /**
   * Whether the statement creates a trigger, function or procedure: the semicolons of its body (SQLite's
   * {@code CREATE TRIGGER .. BEGIN ..; END}, MySQL's {@code BEGIN ..; END}) do not end it.
   */
  static boolean definesRoutine(Tokens tokens, int end) {
    int first = 0;
    while (tokens.is(first, TokenType.HINT)) {
      first++;
    }
    if (!tokens.isWord(first, "CREATE")) {
      return false;
    }
    for (int i = first + 1; i < Math.min(end, first + 12) && !tokens.is(i, TokenType.SEMICOLON); i++) {
      if (tokens.isWord(i, "TRIGGER") || tokens.isWord(i, "FUNCTION") || tokens.isWord(i, "PROCEDURE")) {
        return true;
      }
    }
    return false;
  }

  private static int skip(Tokens tokens, int i, String word) {
    return tokens.isWord(i, word) ? i + 1 : i;
  }

  private static int skipIfExists(Tokens tokens, int i) {
    if (tokens.isWord(i, "IF") && tokens.isWord(i + 1, "NOT") && tokens.isWord(i + 2, "EXISTS")) {
      return i + 3;
    }
    if (tokens.isWord(i, "IF") && tokens.isWord(i + 1, "EXISTS")) {
      return i + 2;
    }
    if (tokens.isWord(i, "CONCURRENTLY")) {
      return skipIfExists(tokens, i + 1);
    }
    return i;
  }

  /** The last part of a possibly qualified name starting at token {@code i}, unquoted; null if none. */
  static String name(Tokens tokens, int i, int end) {
    String name = null;
    while (i < end && (tokens.type(i) == TokenType.WORD || tokens.type(i) == TokenType.QUOTED_ID)) {
      name = unquote(tokens, i);
      if (tokens.isSymbol(i + 1, ".")) {
        i += 2;
      } else {
        break;
      }
    }
    return name;
  }

  static String unquote(Tokens tokens, int i) {
    String text = tokens.text(i);
    if (tokens.type(i) != TokenType.QUOTED_ID) {
      return text;
    }
    char q = text.charAt(0);
    return text.substring(1, text.length() - 1).replace(String.valueOf(q) + q, String.valueOf(q));
  }
}
