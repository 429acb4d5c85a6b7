package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.fixtures.Rows;

/** The answers of an instance compared with the reference database's, for the reshard tests. */
final class SameAnswers {
  private SameAnswers() {
  }

  /**
   * {@code c} answers as {@code ref} does: each of {@code scalars} (one number), {@code multisets} (rows in any
   * order) and {@code ordered} (rows in order).
   */
  static void assertSame(Connection c, Connection ref, String who, List<String> scalars, List<String> multisets,
      List<String> ordered) throws SQLException {
    for (String sql : scalars) {
      assertThat(scalar(c, sql)).as(who + ": " + sql).isEqualByComparingTo(scalar(ref, sql));
    }
    for (String sql : multisets) {
      assertThat(strings(Rows.sorted(Rows.query(c, sql)))).as(who + ": " + sql)
          .isEqualTo(strings(Rows.sorted(Rows.query(ref, sql))));
    }
    for (String sql : ordered) {
      assertThat(strings(Rows.query(c, sql))).as(who + ": " + sql).isEqualTo(strings(Rows.query(ref, sql)));
    }
  }

  private static BigDecimal scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return new BigDecimal(rs.getString(1));
    }
  }

  /** Rows as text (numbers of different Java types compare equal as text). */
  static List<String> strings(List<List<Object>> rows) {
    List<String> out = new ArrayList<>();
    for (List<Object> row : rows) {
      List<String> r = new ArrayList<>();
      for (Object v : row) {
        r.add(v instanceof Number n ? new BigDecimal(n.toString()).toPlainString() : String.valueOf(v));
      }
      out.add(r.toString());
    }
    return out;
  }
}
