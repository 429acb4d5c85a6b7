package org.collegedb.migrate;

import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * Values compared across databases: a value's canonical text, the same for one value whatever product and Java type
 * it comes as (a number as its plain decimal without trailing zeros, a boolean as 1 or 0, bytes as hex, dates and
 * times in ISO form).
 */
final class Values {
  private Values() {
  }

  static String canonical(Object v) throws SQLException {
    if (v == null) {
      return "\u2205";
    }
    if (v instanceof Boolean b) {
      return b ? "1" : "0";
    }
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? d.toString() : plain(BigDecimal.valueOf(d));
    }
    if (v instanceof Float f) {
      return plain(new BigDecimal(Float.toString(f)));
    }
    if (v instanceof BigDecimal b) {
      return plain(b);
    }
    if (v instanceof Number n) {
      return plain(new BigDecimal(n.toString()));
    }
    if (v instanceof byte[] b) {
      return "x" + HexFormat.of().formatHex(b);
    }
    if (v instanceof Blob b) {
      return "x" + HexFormat.of().formatHex(b.getBytes(1, (int) b.length()));
    }
    if (v instanceof Clob c) {
      return c.getSubString(1, (int) c.length());
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime().toString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof java.sql.Time t) {
      return t.toLocalTime().toString();
    }
    return v.toString();
  }

  private static String plain(BigDecimal b) {
    return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
  }

  /** The canonical text of a row's values, one after the other. */
  static String row(Object[] row) throws SQLException {
    StringBuilder b = new StringBuilder();
    for (Object v : row) {
      b.append(canonical(v)).append('\u001f');
    }
    return b.toString();
  }

  /** The canonical text of the values at {@code indexes}. */
  static String key(Object[] row, int[] indexes) throws SQLException {
    StringBuilder b = new StringBuilder();
    for (int i : indexes) {
      b.append(canonical(row[i])).append('\u001f');
    }
    return b.toString();
  }

  /** A readable key for messages: {@code (1, 'a')}. */
  static String show(Object[] row, int[] indexes) {
    StringBuilder b = new StringBuilder("(");
    for (int k = 0; k < indexes.length; k++) {
      Object v = row[indexes[k]];
      b.append(k > 0 ? ", " : "").append(v instanceof String ? "'" + v + "'" : String.valueOf(v));
    }
    return b.append(')').toString();
  }
}
