package org.collegedb.internal.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.Normalizer;
import java.util.Comparator;
import java.util.Locale;

/**
 * What merging must know about the shards' database product to give the answer one such database would: where
 * NULLs sort, how text compares, how integers divide. Detected once from the first shard.
 */
public enum Dialect {
  H2(false, false, Comparator.naturalOrder()),
  SQLITE(false, false, Dialect::compareCodePoints),
  POSTGRES(true, false, Dialect::compareCodePoints),
  /** MySQL and MariaDB; text compares as the default {@code utf8mb4_general_ci} collation does. */
  MYSQL(false, true, Dialect::compareGeneralCi),
  OTHER(false, false, Comparator.naturalOrder());

  private final boolean nullsLargest;
  private final boolean decimalDivision;
  private final Comparator<String> text;

  Dialect(boolean nullsLargest, boolean decimalDivision, Comparator<String> text) {
    this.nullsLargest = nullsLargest;
    this.decimalDivision = decimalDivision;
    this.text = text;
  }

  /** Whether NULL sorts after every value in ascending order (PostgreSQL), rather than before (the others). */
  public boolean nullsLargest() {
    return nullsLargest;
  }

  /** Whether {@code int / int} gives a decimal (MySQL: scale + 4) rather than a truncated integer. */
  public boolean decimalDivision() {
    return decimalDivision;
  }

  /** How the backend orders text by default. */
  public Comparator<String> textOrder() {
    return text;
  }

  /**
   * The value under which a text value groups: equal keys for texts the backend treats as equal in GROUP BY and
   * DISTINCT (case- and accent-folded, trailing spaces ignored, for MySQL's {@code _ci} collations).
   */
  public String groupingKey(String s) {
    return this == MYSQL ? fold(s) : s;
  }

  public static Dialect detect(Connection shard) throws SQLException {
    String product = shard.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("h2")) {
      return H2;
    }
    if (product.contains("sqlite")) {
      return SQLITE;
    }
    if (product.contains("postgres")) {
      return POSTGRES;
    }
    if (product.contains("mysql") || product.contains("mariadb")) {
      return MYSQL;
    }
    return OTHER;
  }

  /**
   * Whether the backend's default text order is one CollegeDB reproduces exactly. PostgreSQL databases with a
   * linguistic collation (en_US.UTF-8, ...) order text by rules of the C library that Java does not share; only the
   * C/POSIX collations compare by code point.
   */
  public static String unreproducibleCollation(Dialect dialect, Connection shard) throws SQLException {
    if (dialect != POSTGRES) {
      return null;
    }
    String collation = null;
    try (Statement s = shard.createStatement();
         ResultSet rs = s.executeQuery("SELECT datcollate, datlocprovider, daticulocale FROM pg_database "
             + "WHERE datname = current_database()")) {
      if (rs.next()) {
        collation = "i".equals(rs.getString(2)) ? "ICU " + rs.getString(3) : rs.getString(1);
      }
    } catch (SQLException beforeVersion15) {
      try (Statement s = shard.createStatement();
           ResultSet rs = s.executeQuery("SELECT datcollate FROM pg_database WHERE datname = current_database()")) {
        if (rs.next()) {
          collation = rs.getString(1);
        }
      }
    }
    if (collation == null) {
      return null;
    }
    String c = collation.toLowerCase(Locale.ROOT);
    return c.equals("c") || c.equals("posix") || c.startsWith("c.") ? null : collation;
  }

  /** Compares by Unicode code point: the order of UTF-8 bytes, SQLite's BINARY and PostgreSQL's C collation. */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static int compareGeneralCi(String a, String b) {
    return fold(a).compareTo(fold(b));
  }

  /**
   * Case and accent folding with PAD SPACE, as utf8mb4_general_ci compares: each character weighs as the upper case
   * of its base letter (a precomposed accent is dropped, a separate combining mark is a character of its own),
   * {@code ß} as {@code S}, and every character outside the Basic Multilingual Plane as U+FFFD.
   */
  private static String fold(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    StringBuilder b = new StringBuilder(end);
    for (int i = 0; i < end; ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80) {
        b.append(Character.toUpperCase((char) cp));
      } else if (cp > 0xFFFF) {
        b.append('\uFFFD');
      } else if (cp == 0xDF) {
        b.append('S');
      } else {
        String decomposed = Normalizer.normalize(String.valueOf((char) cp), Normalizer.Form.NFD);
        b.append(Character.toUpperCase(decomposed.charAt(0)));
      }
    }
    return b.toString();
  }
}
