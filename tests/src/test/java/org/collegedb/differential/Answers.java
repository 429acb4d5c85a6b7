package org.collegedb.differential;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** The answer of one database to one query, normalised for comparison, and the comparison. */
final class Answers {
  /** Column labels and rows of one answer. */
  record Answer(List<String> labels, List<List<Object>> rows) {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(labels.toString()).append(" ").append(rows.size()).append(" rows");
      for (int i = 0; i < Math.min(rows.size(), 15); i++) {
        b.append("\n      ").append(describe(rows.get(i)));
      }
      if (rows.size() > 15) {
        b.append("\n      ...");
      }
      return b.toString();
    }
  }

  private Answers() {
  }

  static Answer run(Connection c, Queries.Query q) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(q.sql())) {
      for (int i = 0; i < q.params().size(); i++) {
        ps.setObject(i + 1, q.params().get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          labels.add(md.getColumnLabel(i).toLowerCase());
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            row.add(rs.getObject(i));
          }
          rows.add(row);
        }
        return new Answer(labels, rows);
      }
    }
  }

  /** Null when the answers agree, else what differs. */
  static String difference(Answer expected, Answer actual, boolean ordered) {
    return difference(expected, actual, ordered, false);
  }

  /**
   * Null when the answers agree, else what differs. With {@code caseInsensitiveText} (MariaDB/MySQL's default
   * collation {@code utf8mb4_general_ci}), texts that the collation holds equal are the same answer: under it
   * {@code 'beta'} and {@code 'Beta'} are one value, and which spelling a DISTINCT, a GROUP BY or a MIN/MAX returns
   * is the one it met first, which differs between one database and several even when both are right.
   */
  static String difference(Answer expected, Answer actual, boolean ordered, boolean caseInsensitiveText) {
    if (!expected.labels().equals(actual.labels())) {
      return "column labels differ";
    }
    if (expected.rows().size() != actual.rows().size()) {
      return "row counts differ";
    }
    List<List<Object>> e = expected.rows();
    List<List<Object>> a = actual.rows();
    if (!ordered) {
      e = sorted(e, caseInsensitiveText);
      a = sorted(a, caseInsensitiveText);
    }
    for (int i = 0; i < e.size(); i++) {
      for (int c = 0; c < e.get(i).size(); c++) {
        Object x = e.get(i).get(c);
        Object y = a.get(i).get(c);
        if (!(caseInsensitiveText && x instanceof String p && y instanceof String q ? collated(p).equals(collated(q))
            : same(x, y))) {
          return "row " + (i + 1) + " column " + (c + 1) + ": expected " + describe(x) + ", got " + describe(y);
        }
      }
    }
    return null;
  }

  /**
   * Whether two values are the same answer: same Java type and value; decimals with the same scale; floating-point
   * values within a relative 1e-9 (summation order across shards differs, as it may between plans of one database).
   */
  static boolean same(Object x, Object y) {
    if (x == null || y == null) {
      return x == y;
    }
    if (x.getClass() != y.getClass()) {
      return false;
    }
    if (x instanceof Double || x instanceof Float) {
      double p = ((Number) x).doubleValue();
      double q = ((Number) y).doubleValue();
      return p == q || Math.abs(p - q) <= 1e-9 * Math.max(Math.abs(p), Math.abs(q));
    }
    if (x instanceof byte[] p) {
      return java.util.Arrays.equals(p, (byte[]) y);
    }
    return x.equals(y);
  }

  private static List<List<Object>> sorted(List<List<Object>> rows, boolean caseInsensitiveText) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(caseInsensitiveText ? row -> describe(collatedRow(row)) : Answers::describe));
    return copy;
  }

  private static List<Object> collatedRow(List<Object> row) {
    List<Object> out = new ArrayList<>(row.size());
    for (Object v : row) {
      out.add(v instanceof String s ? collated(s) : v);
    }
    return out;
  }

  /** A text as {@code utf8mb4_general_ci} compares it: without accents, in upper case, trailing spaces ignored. */
  static String collated(String s) {
    String base = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return base.toUpperCase(java.util.Locale.ROOT).replaceAll(" +$", "");
  }

  static String describe(Object v) {
    if (v instanceof List<?> row) {
      StringBuilder b = new StringBuilder();
      for (Object o : row) {
        b.append(describe(o)).append(" | ");
      }
      return b.toString();
    }
    if (v == null) {
      return "NULL";
    }
    String text = v instanceof BigDecimal d ? d.toPlainString() : Objects.toString(v);
    if (v instanceof Double || v instanceof Float) {
      text = String.format("%.9g", ((Number) v).doubleValue());
    }
    return text + ":" + v.getClass().getSimpleName();
  }
}
