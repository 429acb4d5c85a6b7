package org.collegedb.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** Result rows as plain lists, for comparing the answers of different databases. */
final class Rows {
  private Rows() {
  }

  /** Every remaining row of {@code rs}, each as its column values ({@code byte[]} as hex), then closes it. */
  static List<List<Object>> read(ResultSet rs) throws SQLException {
    try (rs) {
      int n = rs.getMetaData().getColumnCount();
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          row.add(v instanceof byte[] b ? HexFormat.of().formatHex(b) : v);
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** The rows of {@code sql} on {@code c}. */
  static List<List<Object>> query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return read(s.executeQuery(sql));
    }
  }

  /** The rows in a canonical order: for comparing answers whose row order is not defined (multisets). */
  static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }

  /** The single long value {@code sql} returns on {@code c}. */
  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new AssertionError("no row from " + sql);
      }
      return rs.getLong(1);
    }
  }
}
