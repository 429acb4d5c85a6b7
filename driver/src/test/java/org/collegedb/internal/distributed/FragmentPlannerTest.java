package org.collegedb.internal.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.StatementAnalyzer;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.schema.TableRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which rows each table's fragment fetches: its own conditions only, never one that would drop rows the statement
 * needs (a condition on another table, an outer join's nullable side, a table read twice, a function).
 */
class FragmentPlannerTest {
  private static final Map<String, TableRule> RULES = Map.of(
      "users", PlanningEnvironment.sharded("users", "id", List.of("id", "name", "age", "city")),
      "orders", PlanningEnvironment.sharded("orders", "user_id", List.of("id", "user_id", "total", "note")));

  private static Map<String, String> fragments(String sql) throws SQLException {
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement.Select select = (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
    Environment env = new PlanningEnvironment(RULES);
    Map<String, String> out = new java.util.TreeMap<>();
    for (FragmentPlanner.Plan p : new FragmentPlanner(select, tokens, env).plan()) {
      out.put(p.table().toLowerCase(), p.sql(101));
    }
    return out;
  }

  /** Columns are chosen by name, whichever table the text names them for: a superset, never fewer. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // a table's own ranges, BETWEEN, LIKE, OR: copied; the other table's and the join's: not
      "SELECT u.name, o.total FROM users u JOIN orders o ON o.note = u.city WHERE u.age > 30 AND o.total BETWEEN 1 "
          + "AND 5 AND (u.name LIKE 'a%' OR u.age IS NULL) AND u.age < o.total"
          + "| SELECT name, age, city FROM users u WHERE (u.age > 30) AND (u.name LIKE 'a%' OR u.age IS NULL) LIMIT 101"
          + "| SELECT total, note FROM orders o WHERE (o.total BETWEEN 1 AND 5) LIMIT 101",
      // a derived table's WHERE; the outer WHERE is over the derived table, not users
      "SELECT COUNT(*) FROM (SELECT id FROM users WHERE age >= 30 OR city = 'x') t WHERE t.id > 3"
          + "| SELECT id, age, city FROM users WHERE (age >= 30 OR city = 'x') LIMIT 101 | ",
      // an outer join: only the parsed equalities of the WHERE (NULL-rejecting), none of the text
      "SELECT u.id FROM users u LEFT JOIN orders o ON o.note = u.city WHERE o.note IS NULL AND u.age > 3"
          + "| SELECT id, age, city FROM users LIMIT 101 | SELECT id, note FROM orders LIMIT 101",
      // a correlated subquery: its condition on the outer column stays behind; the function too
      "SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.note = u.city AND o.total > 2 "
          + "AND LOWER(o.note) = 'a')"
          + "| SELECT id, city FROM users LIMIT 101 | SELECT id, total, note FROM orders o WHERE (o.total > 2) LIMIT 101",
  })
  void copiesOnlyATablesOwnConditions(String sql, String users, String orders) throws SQLException {
    Map<String, String> f = fragments(sql);
    assertThat(f.get("users")).isEqualTo(users);
    assertThat(f.get("orders")).isEqualTo(orders);
  }

  @Test
  void aTableReadTwiceIsFetchedWhole() throws SQLException {
    assertThat(fragments("SELECT u.id FROM users u JOIN users m ON u.id = m.age WHERE u.age = 3 AND m.city = 'x'"))
        .containsEntry("users", "SELECT id, age, city FROM users LIMIT 101");
  }

  @Test
  void aStarFetchesEveryColumn() throws SQLException {
    assertThat(fragments("SELECT * FROM users u JOIN orders o ON o.note = u.city WHERE o.user_id = ?"))
        .containsEntry("orders", "SELECT * FROM orders o WHERE (o.user_id = ?) LIMIT 101");
  }
}
