package org.collegedb.internal.distributed;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.collegedb.parse.ColumnRef;
import org.collegedb.parse.Condition;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TableRef;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.internal.value.KeyType;

/**
 * Semi-join key pushing: when a table the query joins with an equality ({@code a.x = b.y}, a conjunct of the top
 * level's WHERE or of an inner join's ON) has been loaded with few distinct values of {@code x}, the other table's
 * fragment gets {@code y IN (those values)}: only rows that can join are fetched, and when {@code y} is that table's
 * shard key, only the shards owning those keys are read.
 *
 * <p>Exact because the equality must hold for every row that reaches the answer, and the loaded table holds (a
 * superset of) the rows that can. Applied only where that reasoning is plainly true: integer columns on both sides (an
 * IN list of integers compares as the column equality does on every backend), or text columns on both sides whose
 * equality is equality of characters ({@link TextEquality}: H2, PostgreSQL and SQLite without collations; never
 * MariaDB, whose collations would make {@code 'a'} join {@code 'A '} where an IN list of the loaded strings routes and
 * compares them as different keys); a target table named once in the statement, both tables in the top level's FROM
 * with no outer join, derived table, WITH or set operation in the statement.
 */
final class SemiJoin {
  /** At most this many distinct keys are sent as an IN list. */
  static final int MAX_KEYS = 1000;
  /** A loaded table of more rows than this is not read back for its keys. */
  static final long MAX_SOURCE_ROWS = 20_000;

  /** The IN list's text is at most about this long (text keys stop being sent past it). */
  static final int MAX_LIST_CHARS = 64 * 1024;

  /**
   * {@code to.toColumn = from.fromColumn}: {@code to}'s fragment can be narrowed to {@code from}'s keys, integers or
   * ({@code text}) strings.
   */
  record Edge(String from, String fromColumn, String to, String toColumn, boolean text) {
  }

  /** A column reference resolved to its table (lower case) and whether it is text (else an integer). */
  private record Column(String table, boolean text) {
  }

  private static final Set<String> BLOCKERS = Set.of("LEFT", "RIGHT", "FULL", "OUTER", "NATURAL", "APPLY", "LATERAL",
      "WITH", "UNION", "INTERSECT", "EXCEPT", "MINUS", "USING");

  private final List<Edge> edges;

  private SemiJoin(List<Edge> edges) {
    this.edges = edges;
  }

  /** The edges of a statement (none when it is not one of the plain cases above). */
  static SemiJoin of(ParsedStatement.Select select, Tokens tokens, Environment env,
      Map<String, Integer> occurrences) throws SQLException {
    List<Edge> edges = new ArrayList<>();
    if (select.setQuery() != null || !plain(tokens)) {
      return new SemiJoin(edges);
    }
    Condition where = select.where();
    List<Condition> terms = where instanceof Condition.And and ? and.terms()
        : where == null ? List.of() : List.of(where);
    for (Condition term : terms) {
      if (term instanceof Condition.ColumnsEqual eq) {
        Column lc = column(eq.left(), select.scope(), env);
        Column rc = column(eq.right(), select.scope(), env);
        if (lc == null || rc == null || lc.table().equals(rc.table()) || lc.text() != rc.text()) {
          continue;
        }
        String left = lc.table();
        String right = rc.table();
        String l = eq.left().column().toLowerCase(Locale.ROOT);
        String r = eq.right().column().toLowerCase(Locale.ROOT);
        if (occurrences.getOrDefault(right, 0) == 1 && FragmentPlanner.safe(eq.right().column())) {
          edges.add(new Edge(left, l, right, r, lc.text()));
        }
        if (occurrences.getOrDefault(left, 0) == 1 && FragmentPlanner.safe(eq.left().column())) {
          edges.add(new Edge(right, r, left, l, lc.text()));
        }
      }
    }
    return new SemiJoin(edges);
  }

  /** The edges into {@code table} (lower case). */
  List<Edge> into(String table) {
    List<Edge> out = new ArrayList<>();
    for (Edge e : edges) {
      if (e.to().equals(table)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The condition for {@code column} among {@code keys}: an IN list of integer or string literals (from
   * {@link #textKeys}).
   */
  static String condition(String column, List<?> keys) {
    if (keys.isEmpty()) {
      return "1 = 0";
    }
    StringBuilder b = new StringBuilder(column).append(" IN (");
    for (int i = 0; i < keys.size(); i++) {
      b.append(i == 0 ? "" : ", ");
      if (keys.get(i) instanceof String text) {
        b.append('\'').append(text.replace("'", "''")).append('\'');
      } else {
        b.append(keys.get(i));
      }
    }
    return b.append(')').toString();
  }

  /**
   * The text keys to send, sorted, or null when they cannot be written as literals that every backend reads back as
   * the same strings: one holds a backslash (PostgreSQL reads one as an escape where
   * {@code standard_conforming_strings} is off) or a NUL, or the list passes {@link #MAX_LIST_CHARS}.
   */
  static List<String> textKeys(java.util.Collection<?> keys) {
    List<String> sorted = new ArrayList<>(keys.size());
    long chars = 0;
    for (Object key : keys) {
      String k = (String) key;
      if (k.indexOf('\\') >= 0 || k.indexOf('\0') >= 0) {
        return null;
      }
      chars += k.length() + 4;
      sorted.add(k);
    }
    java.util.Collections.sort(sorted);
    return chars <= MAX_LIST_CHARS ? sorted : null;
  }

  /** No outer join, derived table, WITH, USING or set operation anywhere in the statement. */
  private static boolean plain(Tokens tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.type(i) == TokenType.WORD && BLOCKERS.contains(tokens.text(i).toUpperCase(Locale.ROOT))) {
        return false;
      }
      if (tokens.is(i, TokenType.LPAREN) && i > 0 && (tokens.isWord(i - 1, "FROM") || tokens.isWord(i - 1, "JOIN")
          || tokens.is(i - 1, TokenType.COMMA))) {
        return false; // a derived table (or a parenthesised join): its columns are not a table's
      }
    }
    return true;
  }

  /**
   * The table of the top level's FROM that a column reference means (named once there, its qualifier that table's
   * name or alias) and the column's kind: an integer, or text compared character by character; null otherwise.
   */
  private static Column column(ColumnRef ref, List<TableRef> scope, Environment env) throws SQLException {
    String column = ref.column().toLowerCase(Locale.ROOT);
    String found = null;
    for (TableRef t : scope) {
      boolean named = ref.qualifier() != null
          ? ref.qualifier().equalsIgnoreCase(t.alias() != null ? t.alias() : t.name())
          : ref.table() != null ? ref.table().equalsIgnoreCase(t.name()) : hasColumn(t, column, env);
      if (!named) {
        continue;
      }
      if (found != null) {
        return null; // ambiguous (or a table named twice)
      }
      found = t.name().toLowerCase(Locale.ROOT);
    }
    if (found == null) {
      return null;
    }
    TableRule rule = env.rule(found);
    if (!rule.exists() || !rule.columns().contains(column)) {
      return null;
    }
    if (rule.typeOf(column) == KeyType.INTEGER) {
      return new Column(found, false);
    }
    return rule.typeOf(column) == KeyType.TEXT && TextEquality.exact(env, found, column) ? new Column(found, true)
        : null;
  }

  private static boolean hasColumn(TableRef t, String column, Environment env) throws SQLException {
    TableRule rule = env.rule(t.name());
    return rule.exists() && rule.columns().contains(column);
  }
}
