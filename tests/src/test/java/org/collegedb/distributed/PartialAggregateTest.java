package org.collegedb.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.collegedb.ExecutionInfo;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Aggregates over a derived table of one table push partial aggregates to the shards (the table's rows are not
 * loaded into the scratch database): over 4 shards of each backend the answer equals one reference database's, with
 * the same column labels, JDBC types, value classes and values (BigDecimal scale included); the plan says the
 * partial aggregate ran on the shards. Shapes that cannot be decomposed exactly load rows, with the same answer.
 */
class PartialAggregateTest {
  private static final Map<Backend, TestShards> SETS = new EnumMap<>(Backend.class);
  private static final Map<Backend, Connection> CONNECTIONS = new EnumMap<>(Backend.class);

  /** A statement, its parameters, and whether its partial aggregate runs on the shards (per backend below). */
  record Case(String sql, List<Object> params, boolean partial) {
  }

  static final List<Case> CASES = List.of(
      new Case("SELECT age, COUNT(*) FROM (SELECT age FROM users WHERE id > 5) t GROUP BY age ORDER BY age",
          List.of(), true),
      new Case("SELECT COUNT(*), SUM(t.v) FROM (SELECT id, age AS v FROM users WHERE age < 30) t", List.of(), true),
      new Case("SELECT t.user_id, COUNT(*), SUM(t.total), MIN(t.total), MAX(t.total), AVG(t.total), COUNT(t.total) "
          + "FROM (SELECT user_id, total FROM orders) t GROUP BY t.user_id HAVING COUNT(*) > 2 ORDER BY t.user_id",
          List.of(), true),
      new Case("SELECT age, AVG(manager), SUM(manager) / COUNT(*) AS r, COUNT(manager) FROM (SELECT age, manager "
          + "FROM users u WHERE u.city <> 'rome') x GROUP BY age ORDER BY age", List.of(), true),
      new Case("SELECT COUNT(*), SUM(age), AVG(age), MIN(age), MAX(age) FROM (SELECT age FROM users WHERE age > 1000) t",
          List.of(), true),
      new Case("SELECT age, COUNT(*) FROM (SELECT age FROM users WHERE age > 1000) t GROUP BY age", List.of(), true),
      new Case("SELECT age, COUNT(*) AS n FROM (SELECT age FROM users) t GROUP BY age ORDER BY n DESC, age LIMIT 3",
          List.of(), true),
      new Case("SELECT SUM(total) * 2 + COUNT(*), MIN(total) - MAX(total), AVG(total) FROM (SELECT total FROM orders "
          + "WHERE note IS NOT NULL) t", List.of(), true),
      new Case("SELECT age, COUNT(*) AS n FROM (SELECT age FROM users WHERE age > ? AND id < ?) t GROUP BY age "
          + "HAVING COUNT(*) >= ? ORDER BY age", List.of(22, 50, 2), true),
      // text groups: on PostgreSQL and H2 only (SQLite's and MariaDB's collations group text as the merge cannot)
      new Case("SELECT city, COUNT(*), MAX(age) FROM (SELECT city, age FROM users) t GROUP BY city ORDER BY city",
          List.of(), true),
      // not decomposable: rows are loaded
      new Case("SELECT COUNT(DISTINCT t.age) FROM (SELECT age FROM users) t", List.of(), false),
      new Case("SELECT age, COUNT(*) FROM (SELECT age FROM users) t WHERE age > 25 GROUP BY age ORDER BY age",
          List.of(), false));

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Backend b : Backend.values()) {
      for (Case c : CASES) {
        boolean partial = c.partial() && !(c.sql().startsWith("SELECT city")
            && (b == Backend.SQLITE || b == Backend.MARIADB));
        out.add(Arguments.of(b, new Case(c.sql(), c.params(), partial)));
      }
    }
    return out.stream();
  }

  static synchronized Connection connection(Backend backend) throws Exception {
    Connection c = CONNECTIONS.get(backend);
    if (c == null) {
      TestShards shards = TestShards.create(backend, "partialagg", 4);
      c = DistributedQueryTest.fixture(shards);
      SETS.put(backend, shards);
      CONNECTIONS.put(backend, c);
    }
    return c;
  }

  @AfterAll
  static void close() throws SQLException {
    for (Connection c : CONNECTIONS.values()) {
      c.close();
    }
    CONNECTIONS.clear();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void answersAsOneDatabase(Backend backend, Case c) throws Exception {
    Connection college = connection(backend);
    List<String> sharded = answer(college, c);
    ExecutionInfo info = college.unwrap(CollegeConnection.class).lastExecution();
    List<String> reference;
    try (Connection ref = SETS.get(backend).reference()) {
      reference = answer(ref, c);
    }
    assertThat(sharded).isEqualTo(reference);
    String scratch = info.shardSql().get(info.shardSql().size() - 1);
    assertThat(info.shards().get(info.shards().size() - 1)).isEqualTo("scratch");
    if (c.partial()) {
      // the shards computed the groups: their fragment aggregates, the scratch reads the groups
      assertThat(scratch).contains("cdb_partial").contains("MAX(cdb_p1)");
      String fragment = info.shardSql().get(0);
      assertThat(fragment).contains("COUNT(*)").doesNotContain("cdb_");
      assertThat(info.shards().subList(0, info.shards().size() - 1)).isNotEmpty();
    } else {
      assertThat(scratch).isEqualTo(c.sql());
      assertThat(info.shardSql().get(0)).doesNotContain("COUNT(");
    }
  }

  /** Labels, JDBC types, then each row as value classes and values. */
  private static List<String> answer(Connection c, Case k) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(k.sql())) {
      for (int i = 0; i < k.params().size(); i++) {
        ps.setObject(i + 1, k.params().get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        StringBuilder header = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          header.append(md.getColumnLabel(i)).append(':').append(md.getColumnType(i)).append(' ');
        }
        out.add(header.toString());
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            row.append(v == null ? "null" : v.getClass().getSimpleName() + "=" + v).append(' ');
          }
          out.add(row.toString());
        }
      }
    }
    return out;
  }
}
