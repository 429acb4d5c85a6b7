package org.collegedb.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What CollegeDB cannot answer exactly across shards is refused with SQLState 0A000 and a message naming the
 * construct, before any shard runs it; the same statement pinned to one shard key runs.
 */
class RefusalTest {
  private static TestShards shards;
  private static Connection connection;

  @BeforeAll
  static void setUp() throws Exception {
    shards = TestShards.create(TestShards.Backend.H2, "refusal", 3);
    connection = shards.connect("tables.orders.key", "user_id", "tables.countries.broadcast", "true",
        "crossShardQueries", "pushdown-only"); // the refusals that setting keeps (the default answers them)
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20), manager INT, country VARCHAR(2))");
      s.execute("CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, total INT)");
      s.execute("CREATE TABLE countries (code VARCHAR(2) PRIMARY KEY, name VARCHAR(20))");
      for (int i = 1; i <= 20; i++) {
        s.execute("INSERT INTO users VALUES (" + i + ", 'u" + i + "', " + (i % 5 + 1) + ", 'c" + (i % 3) + "')");
        s.execute("INSERT INTO orders VALUES (" + i + ", " + i + ", " + i * 10 + ")");
      }
    }
  }

  @AfterAll
  static void tearDown() throws SQLException {
    connection.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "SELECT name FROM users INTERSECT SELECT name FROM users | INTERSECT",
      "SELECT id FROM users EXCEPT SELECT user_id FROM orders | EXCEPT",
      "SELECT id FROM users UNION ALL SELECT name FROM users | different types",
      "WITH t AS (SELECT id FROM users) SELECT * FROM t | WITH",
      "SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM users | window functions",
      "SELECT u.id, m.name FROM users u JOIN users m ON u.manager = m.id | not joined on its shard key",
      "SELECT u.id FROM users u JOIN orders o ON u.id = o.id | not joined on its shard key",
      "SELECT GROUP_CONCAT(name) FROM users | GROUP_CONCAT",
      "SELECT STDDEV_POP(id) FROM users | STDDEV_POP",
      "SELECT id FROM users u WHERE id > ALL (SELECT total FROM orders o WHERE o.user_id <> u.id) | subquery",
  })
  void refusesWhatItCannotAnswerExactly(String sql, String construct) {
    assertThatThrownBy(() -> {
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
      }
    }).isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
        .hasMessageContaining(construct);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "SELECT name FROM users WHERE id = 3 UNION SELECT name FROM users WHERE id = 3 | 1",
      "SELECT name FROM users UNION SELECT name FROM users | 20",
      "SELECT id FROM users UNION ALL SELECT user_id FROM orders ORDER BY 1 LIMIT 30 | 30",
      "SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM users WHERE id = 4 | 1",
      "SELECT GROUP_CONCAT(name) FROM users WHERE id = 5 | 1",
      "SELECT id, ROW_NUMBER() OVER (PARTITION BY id ORDER BY name) FROM users | 20",
      "SELECT user_id, SUM(total) OVER (PARTITION BY user_id) FROM orders ORDER BY user_id LIMIT 5 | 5",
  })
  void runsTheSameConstructOnOneShard(String sql, int rows) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      assertThat(n).isEqualTo(rows);
    }
  }
}
