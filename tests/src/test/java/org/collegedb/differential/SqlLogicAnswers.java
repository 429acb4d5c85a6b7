package org.collegedb.differential;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers compared as the sqllogictest runner compares them: every value as text, integers as integers, other
 * numbers with 3 decimals, {@code NULL}, the empty text as {@code (empty)}; rows sorted for {@code rowsort}, values
 * for {@code valuesort}. For {@code nosort}, the order counts only as far as the query's {@code ORDER BY} fixes it:
 * rows that tie on its keys (output column numbers) may come in any order, as in one database.
 */
final class SqlLogicAnswers {
  private static final Pattern ORDER_BY = Pattern.compile("(?is).*\\bORDER\\s+BY\\s+(.*)$");
  private static final Pattern ORDINAL = Pattern.compile("(?i)\\s*(\\d+)(\\s+(ASC|DESC))?\\s*");

  private SqlLogicAnswers() {
  }

  /** The rows of a result, each value as the runner writes it. */
  static List<List<String>> rows(ResultSet rs) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    List<List<String>> rows = new ArrayList<>();
    while (rs.next()) {
      List<String> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        row.add(text(rs.getObject(i)));
      }
      rows.add(row);
    }
    return rows;
  }

  static String text(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger) {
      return v.toString();
    }
    if (v instanceof Boolean b) {
      return b ? "1" : "0";
    }
    if (v instanceof BigDecimal d) {
      BigDecimal s = d.stripTrailingZeros();
      return s.scale() <= 0 ? s.toBigInteger().toString() : String.format(Locale.ROOT, "%.3f", d);
    }
    if (v instanceof Number x) {
      double d = x.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
          : String.format(Locale.ROOT, "%.3f", d);
    }
    String s = v.toString();
    return s.isEmpty() ? "(empty)" : s;
  }

  /** Null when the answers agree under the sort mode, else what differs. */
  static String difference(SqlLogicTestFile.Query q, List<List<String>> expected, List<List<String>> actual) {
    if (!expected.isEmpty() && !actual.isEmpty() && expected.get(0).size() != actual.get(0).size()) {
      return "column counts differ: " + expected.get(0).size() + " and " + actual.get(0).size();
    }
    if (expected.size() != actual.size()) {
      return "row counts differ: expected " + expected.size() + ", got " + actual.size();
    }
    List<String> e;
    List<String> a;
    switch (q.sortMode()) {
      case VALUESORT -> {
        e = sortedValues(expected);
        a = sortedValues(actual);
      }
      case ROWSORT -> {
        e = sortedRows(expected);
        a = sortedRows(actual);
      }
      default -> {
        e = sortedRows(expected);
        a = sortedRows(actual);
        List<Integer> keys = orderKeys(q.sql());
        if (keys != null && !keys.isEmpty() && e.equals(a)) {
          for (int i = 0; i < expected.size(); i++) {
            for (int k : keys) {
              if (k > expected.get(i).size()
                  || !expected.get(i).get(k - 1).equals(actual.get(i).get(k - 1))) {
                return "order differs at row " + (i + 1) + ": expected " + expected.get(i) + ", got " + actual.get(i);
              }
            }
          }
          return null;
        }
        if (keys == null) { // ordered by expressions: compare in order
          e = joinedRows(expected);
          a = joinedRows(actual);
        }
      }
    }
    for (int i = 0; i < e.size(); i++) {
      if (!e.get(i).equals(a.get(i))) {
        return "at " + (i + 1) + ": expected " + e.get(i) + ", got " + a.get(i);
      }
    }
    return null;
  }

  /**
   * The output column numbers of the query's final {@code ORDER BY} (an empty list without one: any order), or null
   * when it orders by expressions.
   */
  static List<Integer> orderKeys(String sql) {
    Matcher m = ORDER_BY.matcher(sql);
    if (!m.matches()) {
      return List.of();
    }
    String tail = m.group(1);
    if (tail.indexOf(')') >= 0) { // an ORDER BY inside a subquery, not the statement's own
      return List.of();
    }
    List<Integer> keys = new ArrayList<>();
    for (String item : tail.split(",")) {
      Matcher o = ORDINAL.matcher(item);
      if (!o.matches()) {
        return null;
      }
      keys.add(Integer.parseInt(o.group(1)));
    }
    return keys;
  }

  private static List<String> sortedValues(List<List<String>> rows) {
    List<String> values = new ArrayList<>();
    rows.forEach(values::addAll);
    Collections.sort(values);
    return values;
  }

  private static List<String> sortedRows(List<List<String>> rows) {
    List<String> out = joinedRows(rows);
    Collections.sort(out);
    return out;
  }

  private static List<String> joinedRows(List<List<String>> rows) {
    List<String> out = new ArrayList<>(rows.size());
    for (List<String> r : rows) {
      out.add(String.join(" | ", r));
    }
    return out;
  }
}
