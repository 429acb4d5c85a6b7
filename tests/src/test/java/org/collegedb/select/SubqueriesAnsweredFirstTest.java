package org.collegedb.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.AfterAll;

/**
 * Uncorrelated subqueries over rows of several shards are answered first and their answer spliced into the
 * statement: the statement must then give what one database gives, for an empty answer too ({@code x IN (<no
 * rows>)} is false and {@code x NOT IN (<no rows>)} true, whatever x, NULL included), and a subquery of two columns
 * compared with one value is an error, as on one database.
 */
class SubqueriesAnsweredFirstTest {
  private static final Map<Backend, Both> OPEN = new EnumMap<>(Backend.class);

  @AfterAll
  static void closeAll() throws SQLException {
    for (Both b : OPEN.values()) {
      b.close();
    }
  }

  private static Both open(Backend backend) throws Exception {
    Both b = OPEN.get(backend);
    if (b == null) {
      b = Both.open(backend, SubqueriesAnsweredFirstTest.class, List.of("sq_empty", "sq_full", "sq_main"), List.of(
          "CREATE TABLE sq_empty (id INT PRIMARY KEY, x INT, y INT)",
          "CREATE TABLE sq_full (id INT PRIMARY KEY, x INT, y INT)",
          "CREATE TABLE sq_main (id INT PRIMARY KEY, v INT)"));
      b.execute("INSERT INTO sq_full (id, x, y) VALUES (1, 1, 10), (2, 2, 20), (3, NULL, 30), (4, 4, 40), "
          + "(5, 5, 50), (6, 6, 60)");
      b.execute("INSERT INTO sq_main (id, v) VALUES (1, 1), (2, NULL), (3, 3), (4, 4), (5, 7), (6, 8), (7, 9)");
      OPEN.put(backend, b);
    }
    return b;
  }

  @EveryBackend
  void anEmptyAnswerGivesWhatOneDatabaseGives(Backend backend) throws Exception {
    Both b = open(backend);
    for (String sql : List.of(
        "SELECT 1 IN (SELECT x FROM sq_empty)",
        "SELECT 1 NOT IN (SELECT x FROM sq_empty)",
        "SELECT NULL IN (SELECT x FROM sq_empty)",
        "SELECT NULL NOT IN (SELECT x FROM sq_empty)",
        "SELECT id FROM sq_main WHERE v IN (SELECT x FROM sq_empty) OR id = 3",
        "SELECT id FROM sq_main WHERE v NOT IN (SELECT x FROM sq_empty)",
        "SELECT id FROM sq_main WHERE (v + 1) NOT IN (SELECT x FROM sq_empty) AND id > 2",
        "SELECT id, v IN (SELECT x FROM sq_empty WHERE y > ?) FROM sq_main".replace("?", "0"),
        "SELECT COUNT(*) FROM sq_main WHERE NOT v IN (SELECT x FROM sq_empty)")) {
      List<List<Object>> expected = b.expected(sql);
      assertThat(b.actual(sql)).as(sql).isEqualTo(expected);
    }
    assertThat(b.expected("SELECT 1 NOT IN (SELECT x FROM sq_empty)")).as("the reference's answer").isNotEqualTo(
        b.expected("SELECT 1 IN (SELECT x FROM sq_empty)"));
  }

  @EveryBackend
  void aNonEmptyAnswerWithNullsGivesWhatOneDatabaseGives(Backend backend) throws Exception {
    Both b = open(backend);
    for (String sql : List.of(
        "SELECT id FROM sq_main WHERE v IN (SELECT x FROM sq_full)",
        "SELECT id FROM sq_main WHERE v NOT IN (SELECT x FROM sq_full)",
        "SELECT id FROM sq_main WHERE v NOT IN (SELECT x FROM sq_full WHERE x IS NOT NULL)",
        "SELECT 1 IN (SELECT x FROM sq_full), 3 IN (SELECT x FROM sq_full)")) {
      assertThat(b.actual(sql)).as(sql).isEqualTo(b.expected(sql));
    }
  }

  @EveryBackend
  void aSubqueryOfTwoColumnsComparedWithOneValueIsAnError(Backend backend) throws Exception {
    Both b = open(backend);
    for (String sql : List.of("SELECT 1 FROM sq_main WHERE 1 IN (SELECT x, y FROM sq_full)",
        "SELECT id FROM sq_main WHERE v = (SELECT x, y FROM sq_full WHERE y = 10)")) {
      assertThatThrownBy(() -> b.expected(sql)).as("one database: " + sql).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> b.actual(sql)).as(sql).isInstanceOf(SQLException.class)
          .hasMessageContaining("2 columns");
    }
  }
}
