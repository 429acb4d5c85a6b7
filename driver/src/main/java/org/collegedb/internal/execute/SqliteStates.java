package org.collegedb.internal.execute;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

/**
 * The SQLState of an error from an SQLite shard. The SQLite driver reports every error with SQLState {@code null}
 * and SQLite's primary result code as vendor code; its message starts with the extended result code's name, e.g.
 * {@code [SQLITE_CONSTRAINT_PRIMARYKEY] A PRIMARY KEY constraint failed (UNIQUE constraint failed: users.id)}. This
 * maps that name (and, for the generic {@code SQLITE_ERROR}, SQLite's own message) to the SQLState a server database
 * gives for the same condition, so that applications and frameworks that look at SQLStates (Spring's translator,
 * retry loops) see one.
 */
final class SqliteStates {
  /** Extended result codes first, then primary ones. */
  private static final Map<String, String> BY_CODE = Map.ofEntries(
      Map.entry("SQLITE_CONSTRAINT_PRIMARYKEY", "23505"),
      Map.entry("SQLITE_CONSTRAINT_UNIQUE", "23505"),
      Map.entry("SQLITE_CONSTRAINT_ROWID", "23505"),
      Map.entry("SQLITE_CONSTRAINT_NOTNULL", "23502"),
      Map.entry("SQLITE_CONSTRAINT_FOREIGNKEY", "23503"),
      Map.entry("SQLITE_CONSTRAINT_CHECK", "23514"),
      Map.entry("SQLITE_CONSTRAINT", "23000"),
      Map.entry("SQLITE_BUSY_SNAPSHOT", "40001"),
      Map.entry("SQLITE_BUSY", "55P03"),
      Map.entry("SQLITE_LOCKED", "55P03"),
      Map.entry("SQLITE_READONLY", "25006"),
      Map.entry("SQLITE_PERM", "42501"),
      Map.entry("SQLITE_AUTH", "28000"),
      Map.entry("SQLITE_ABORT", "57014"),
      Map.entry("SQLITE_INTERRUPT", "57014"),
      Map.entry("SQLITE_NOMEM", "53200"),
      Map.entry("SQLITE_FULL", "53100"),
      Map.entry("SQLITE_TOOBIG", "54000"),
      Map.entry("SQLITE_IOERR", "58030"),
      Map.entry("SQLITE_CANTOPEN", "08001"),
      Map.entry("SQLITE_NOTADB", "08001"),
      Map.entry("SQLITE_CORRUPT", "XX001"),
      Map.entry("SQLITE_MISMATCH", "22005"),
      Map.entry("SQLITE_RANGE", "22023"),
      Map.entry("SQLITE_MISUSE", "HY010"),
      Map.entry("SQLITE_INTERNAL", "XX000"),
      Map.entry("SQLITE_SCHEMA", "40001"),
      Map.entry("SQLITE_ERROR", "42000"));

  private SqliteStates() {
  }

  /** The SQLState for an SQLite error (or one caused by it), or null when it is not one. */
  static String of(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String state = ofMessage(t.getMessage());
      if (state != null) {
        return state;
      }
    }
    return null;
  }

  private static String ofMessage(String message) {
    if (message == null || !message.startsWith("[SQLITE_")) {
      return null;
    }
    int close = message.indexOf(']');
    if (close < 0) {
      return null;
    }
    String code = message.substring(1, close);
    // An extended code unknown here falls back to its primary code: SQLITE_IOERR_READ -> SQLITE_IOERR.
    for (String name = code; ; name = name.substring(0, name.lastIndexOf('_'))) {
      String state = BY_CODE.get(name);
      if (state != null) {
        return name.equals("SQLITE_ERROR") ? ofGenericError(message.substring(close + 1)) : state;
      }
      if (name.lastIndexOf('_') <= "SQLITE".length()) {
        return "HY000";
      }
    }
  }

  /** SQLITE_ERROR covers every error of the statement's text; SQLite's own message tells them apart. */
  private static String ofGenericError(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("no such table")) {
      return "42P01";
    }
    if (m.contains("no such column")) {
      return "42703";
    }
    if (m.contains("no such function")) {
      return "42883";
    }
    if (m.contains("already exists")) {
      return "42P07";
    }
    if (m.contains("ambiguous column")) {
      return "42702";
    }
    if (m.contains("integer overflow")) {
      return "22003";
    }
    return "42000"; // a syntax error ("near ...: syntax error") and the other errors of a statement's text
  }
}
