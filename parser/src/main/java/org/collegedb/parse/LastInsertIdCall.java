package org.collegedb.parse;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement that only reads the session's last generated key: {@code SELECT last_insert_rowid()} (SQLite),
 * {@code last_insert_id()} (MySQL), {@code lastval()} (PostgreSQL), {@code identity()} / {@code scope_identity()}
 * (H2), optionally labelled. {@code function} is lower case; {@code label} is the column's name.
 */
public record LastInsertIdCall(String function, String label) {
  private static final Pattern CALL = Pattern.compile(
      "\\s*select\\s+(last_insert_rowid|last_insert_id|lastval|identity|scope_identity)\\s*\\(\\s*\\)"
          + "(?:\\s+(?:as\\s+)?(\\w+))?\\s*;?\\s*", Pattern.CASE_INSENSITIVE);

  /** The call {@code sql} is, or null when it is anything else. */
  public static LastInsertIdCall of(String sql) {
    Matcher m = CALL.matcher(sql);
    if (!m.matches()) {
      return null;
    }
    return new LastInsertIdCall(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2)
        : m.group(1) + "()");
  }
}
