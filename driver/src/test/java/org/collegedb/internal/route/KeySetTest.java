package org.collegedb.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.collegedb.SqlStates;
import org.collegedb.parse.Condition;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.StatementAnalyzer;
import org.collegedb.parse.Tokens;
import org.junit.jupiter.api.Test;
import org.collegedb.internal.value.KeyType;
import org.collegedb.internal.value.Bindings;

/**
 * {@link KeySet}: the key tuples a WHERE clause (analysed by the real parser) allows, in canonical form, or "any"
 * (null) when the condition does not pin every key column; never fewer tuples than the rows it accepts have.
 */
class KeySetTest {
  /** The tuples of {@code sql}'s WHERE for a table keyed by {@code keys}, each tuple as a list. */
  private static List<List<Object>> tuples(String sql, List<String> keys, KeyType[] types, Object... params)
      throws SQLException {
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement.Select select = (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
    Bindings bindings = new Bindings(tokens, index -> params[index - 1], false);
    List<Object[]> out = KeySet.tuples(select.where(), types,
        column -> keys.indexOf(column.column().toLowerCase(Locale.ROOT)), bindings);
    if (out == null) {
      return null;
    }
    List<List<Object>> lists = new ArrayList<>();
    for (Object[] t : out) {
      lists.add(Arrays.asList(t));
    }
    return lists;
  }

  private static List<List<Object>> id(String where, Object... params) throws SQLException {
    return tuples("SELECT * FROM t WHERE " + where, List.of("id"), new KeyType[] {KeyType.INTEGER}, params);
  }

  private static List<List<Object>> ab(String where, Object... params) throws SQLException {
    return tuples("SELECT * FROM t WHERE " + where, List.of("a", "b"), new KeyType[] {KeyType.INTEGER, KeyType.TEXT},
        params);
  }

  private static List<Object> tuple(Object... values) {
    return Arrays.asList(values);
  }

  @Test
  void anEqualityPinsOneCanonicalKey() throws SQLException {
    assertThat(id("id = 7")).containsExactly(tuple(7L));
    assertThat(id("id = ?", "7")).containsExactly(tuple(7L));
    assertThat(id("id = ? AND name = 'x'", 7)).containsExactly(tuple(7L));
    assertThat(id("t.id = 7.0")).containsExactly(tuple(7L));
  }

  @Test
  void inListsWithDuplicatedKeysGiveEachKeyOnce() throws SQLException {
    assertThat(id("id IN (1, '1', ?, 2, ?)", 1L, (short) 2)).containsExactly(tuple(1L), tuple(2L));
    assertThat(id("id IN (3) OR id = 1 OR id IN (1, 3)")).containsExactly(tuple(3L), tuple(1L));
  }

  @Test
  void whatDoesNotPinTheKeyAllowsAnyKey() throws SQLException {
    assertThat(id("name = 'x'")).isNull();
    assertThat(id("id > 5")).isNull();
    assertThat(id("id = 1 OR name = 'x'")).isNull();
    assertThat(id("id = ?", (Object) null)).as("= NULL matches no row: left to the shards").isNull();
    assertThat(id("id IN (1, NULL)")).isNull();
  }

  @Test
  void contradictoryEqualitiesAllowNoKey() throws SQLException {
    assertThat(id("id = 1 AND id = 2")).isEmpty();
    assertThat(id("id IN (1, 2) AND id IN (2, 3)")).containsExactly(tuple(2L));
  }

  @Test
  void compositeKeysNeedEveryColumnPinned() throws SQLException {
    assertThat(ab("a = 1")).isNull();
    assertThat(ab("a = 1 AND b IN ('x', 'y')")).containsExactly(tuple(1L, "x"), tuple(1L, "y"));
    assertThat(ab("(a = 1 AND b = 'x') OR (a = ? AND b = ?)", 2, "y"))
        .containsExactly(tuple(1L, "x"), tuple(2L, "y"));
    assertThat(ab("(a = 1 AND b = 'x') OR a = 2")).isNull();
  }

  @Test
  void tooManyTuplesGiveUpNarrowing() throws SQLException {
    StringBuilder as = new StringBuilder();
    StringBuilder bs = new StringBuilder();
    for (int i = 0; i < 101; i++) {
      as.append(i == 0 ? "" : ", ").append(i);
      bs.append(i == 0 ? "" : ", ").append("'").append(i).append("'");
    }
    assertThat(ab("a IN (" + as + ") AND b IN (" + bs + ")")).isNull();
    assertThat(ab("a IN (" + as.substring(0, as.indexOf(", 99")) + ") AND b IN (" + bs + ")")).hasSize(99 * 101);
  }

  @Test
  void aValueThatCannotBeTheKeysTypeIsAClearError() {
    assertThatThrownBy(() -> id("id = ?", "seven"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("'seven' is not a valid value for an integer shard key")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.INVALID_PARAMETER);
  }

  @Test
  void inListsOnKeyColumnsAreFoundForPruning() {
    Tokens tokens = SqlLexer.lex("SELECT * FROM t WHERE (id IN (1, 2) OR x IN (3)) AND id IN (?, 4)");
    ParsedStatement.Select select = (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
    List<Condition.In> lists = new ArrayList<>();
    KeySet.inLists(select.where(), c -> c.column().equalsIgnoreCase("id"), lists);
    assertThat(lists).hasSize(2);
    assertThat(lists).extracting(in -> tokens.sql().substring(tokens.start(in.open()), tokens.end(in.close())))
        .containsExactly("(1, 2)", "(?, 4)");
  }
}
