package org.collegedb.internal.plan;

import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.schema.Dialect;

/**
 * The statement that undoes a schema change on one shard, for products whose DDL is not transactional (MariaDB/MySQL
 * and H2 commit it at once): {@code CREATE TABLE t} → {@code DROP TABLE t}, {@code CREATE INDEX i ON t} →
 * {@code DROP INDEX i [ON t]}, {@code ALTER TABLE t ADD [COLUMN] c ...} → {@code ALTER TABLE t DROP COLUMN c}. Null
 * when there is none that is safe: {@code IF NOT EXISTS} (the object may have been there before), temporary tables,
 * unnamed indexes, several changes in one ALTER, and every DROP, TRUNCATE, RENAME or MODIFY.
 */
final class DdlUndo {
  private DdlUndo() {
  }

  /** Whether the product commits DDL at once (a rollback does not undo it). */
  static boolean immediate(Dialect dialect) {
    return dialect == Dialect.MYSQL || dialect == Dialect.H2;
  }

  static String of(ParsedStatement.Ddl ddl, Tokens t, Dialect dialect) {
    int first = t.is(0, TokenType.HINT) ? 1 : 0;
    int end = t.size();
    while (end > first && t.is(end - 1, TokenType.SEMICOLON)) {
      end--;
    }
    switch (ddl.kind()) {
      case CREATE_TABLE -> {
        int i = wordIndex(t, first, end, "TABLE");
        if (i < 0 || has(t, first, i, "TEMPORARY") || has(t, first, i, "TEMP") || t.isWord(i + 1, "IF")) {
          return null;
        }
        String[] name = name(t, i + 1);
        return name == null ? null : "DROP TABLE " + name[0];
      }
      case CREATE_INDEX -> {
        int i = wordIndex(t, first, end, "INDEX");
        if (i < 0 || t.isWord(i + 1, "IF") || t.isWord(i + 1, "ON") || t.isWord(i + 1, "CONCURRENTLY")) {
          return null;
        }
        String[] index = name(t, i + 1);
        if (index == null) {
          return null;
        }
        int on = Integer.parseInt(index[1]);
        if (!t.isWord(on, "ON")) {
          return null;
        }
        String[] table = name(t, on + 1);
        if (table == null) {
          return null;
        }
        return dialect == Dialect.MYSQL ? "DROP INDEX " + index[0] + " ON " + table[0] : "DROP INDEX " + index[0];
      }
      case ALTER_TABLE -> {
        int i = wordIndex(t, first, end, "TABLE");
        if (i < 0 || t.isWord(i + 1, "IF")) {
          return null;
        }
        String[] table = name(t, t.isWord(i + 1, "ONLY") ? i + 2 : i + 1);
        if (table == null) {
          return null;
        }
        int add = Integer.parseInt(table[1]);
        if (!t.isWord(add, "ADD")) {
          return null;
        }
        int c = t.isWord(add + 1, "COLUMN") ? add + 2 : add + 1;
        if (!(t.is(c, TokenType.WORD) || t.is(c, TokenType.QUOTED_ID)) || t.isWord(c, "IF")
            || isConstraintWord(t, c)) {
          return null;
        }
        for (int j = c + 1; j < end; j++) {
          if (t.is(j, TokenType.COMMA) && t.depthAt(j) == t.depthAt(c)) {
            return null; // several changes in one statement
          }
        }
        return "ALTER TABLE " + table[0] + " DROP COLUMN " + t.text(c);
      }
      default -> {
        return null;
      }
    }
  }

  private static boolean isConstraintWord(Tokens t, int i) {
    for (String w : new String[] {"CONSTRAINT", "INDEX", "KEY", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "FULLTEXT",
        "SPATIAL", "PARTITION", "PERIOD", "SYSTEM"}) {
      if (t.isWord(i, w)) {
        return true;
      }
    }
    return false;
  }

  private static int wordIndex(Tokens t, int from, int end, String word) {
    for (int i = from; i < end; i++) {
      if (t.isWord(i, word)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean has(Tokens t, int from, int to, String word) {
    return wordIndex(t, from, to, word) >= 0;
  }

  /** The (possibly qualified) name at {@code i}: {text, index after it}, or null. */
  private static String[] name(Tokens t, int i) {
    if (!(t.is(i, TokenType.WORD) || t.is(i, TokenType.QUOTED_ID))) {
      return null;
    }
    StringBuilder b = new StringBuilder(t.text(i));
    int j = i + 1;
    while (t.isSymbol(j, ".") && (t.is(j + 1, TokenType.WORD) || t.is(j + 1, TokenType.QUOTED_ID))) {
      b.append('.').append(t.text(j + 1));
      j += 2;
    }
    return new String[] {b.toString(), Integer.toString(j)};
  }
}
