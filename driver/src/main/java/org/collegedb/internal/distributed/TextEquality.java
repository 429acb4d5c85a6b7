package org.collegedb.internal.distributed;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Whether a text column's equality is equality of characters on the shards' product: two values are equal exactly
 * when they are the same string. The hash join keys its table by such values and the semi-join sends them to the
 * other side as literals, which is right only then: a case-insensitive or padding collation makes {@code 'a' = 'A '}
 * true where the strings differ.
 *
 * <ul>
 *   <li>H2: a {@code CHARACTER VARYING} column (not {@code CHARACTER}, which pads, nor {@code VARCHAR_IGNORECASE}) in
 *   a database with no {@code SET COLLATION};</li>
 *   <li>PostgreSQL: {@code varchar} or {@code text} whose collation is its type's (the database's, always
 *   deterministic: equal means byte-equal);</li>
 *   <li>SQLite: a column of TEXT affinity in a table whose definition declares no {@code COLLATE} (conservative);</li>
 *   <li>MariaDB/MySQL: never (their collations ignore case and trailing spaces).</li>
 * </ul>
 */
final class TextEquality {
  private TextEquality() {
  }

  static boolean exact(Environment env, String table, String column) throws SQLException {
    switch (env.dialect()) {
      case H2 -> {
        return h2(env, table, column);
      }
      case POSTGRES -> {
        return postgres(env, table, column);
      }
      case SQLITE -> {
        return sqlite(env, table, column);
      }
      default -> {
        return false;
      }
    }
  }

  private static boolean h2(Environment env, String table, String column) throws SQLException {
    try (PreparedStatement ps = env.catalog().prepareStatement("SELECT DATA_TYPE, (SELECT COUNT(*) FROM "
        + "INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'COLLATION' AND SETTING_VALUE <> 'OFF') "
        + "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = SCHEMA() AND UPPER(TABLE_NAME) = UPPER(?) "
        + "AND UPPER(COLUMN_NAME) = UPPER(?)")) {
      ps.setString(1, table);
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "CHARACTER VARYING".equals(rs.getString(1)) && rs.getLong(2) == 0 && !rs.next();
      }
    }
  }

  private static boolean postgres(Environment env, String table, String column) throws SQLException {
    try (PreparedStatement ps = env.catalog().prepareStatement("SELECT COUNT(*) FROM pg_attribute a "
        + "JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = to_regclass(?) AND a.attname = ? "
        + "AND t.typname IN ('varchar', 'text') AND a.attcollation = t.typcollation")) {
      ps.setString(1, table.toLowerCase(Locale.ROOT));
      ps.setString(2, column.toLowerCase(Locale.ROOT));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) == 1;
      }
    }
  }

  private static boolean sqlite(Environment env, String table, String column) throws SQLException {
    try (PreparedStatement ps = env.catalog().prepareStatement(
        "SELECT m.sql, c.type FROM sqlite_master m JOIN pragma_table_info(m.name) c "
            + "WHERE m.type = 'table' AND m.name = ? COLLATE NOCASE AND c.name = ? COLLATE NOCASE")) {
      ps.setString(1, table);
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null
            || rs.getString(1).toUpperCase(Locale.ROOT).contains("COLLATE")) {
          return false;
        }
        String type = rs.getString(2) == null ? "" : rs.getString(2).toUpperCase(Locale.ROOT);
        // SQLite's affinity rules: INT first, then CHAR, CLOB or TEXT give TEXT affinity
        return !type.contains("INT") && (type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT"));
      }
    }
  }
}
