package org.collegedb.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The syntax of the plainest join of two tables, {@code SELECT col [[AS] alias], ... FROM t1 [[AS] x] [INNER | LEFT
 * [OUTER]] JOIN t2 [[AS] y] ON a.c = b.d [AND ...] [WHERE ...]}: unquoted names, plain columns in the select list, no
 * DISTINCT, GROUP BY, HAVING, ORDER BY, LIMIT, window, subquery, WITH or set operation, and nothing after the WHERE
 * clause. What the names mean (which table a column belongs to) is for the caller, who knows the tables' columns.
 *
 * @param tables the two tables, in the statement's order
 * @param left whether the join is {@code LEFT [OUTER] JOIN}
 * @param on the ON condition's equalities, each {@code {left, right}} as written
 * @param onText the ON condition, as written (spaces normalised)
 * @param items the select list
 * @param hasWhere whether a WHERE clause follows the ON condition (it runs to the end of the statement)
 */
public record TwoTableJoin(List<Table> tables, boolean left, List<Column[]> on, String onText, List<Item> items,
    boolean hasWhere) {

  /** A table reference: its name and alias (null when none), unquoted. */
  public record Table(String name, String alias) {
    /** The name columns qualify it by. */
    public String qualifier() {
      return alias != null ? alias : name;
    }
  }

  /** A column reference {@code [qualifier .] column}, unquoted; {@code qualifier} null when none. */
  public record Column(String qualifier, String column) {
  }

  /** A select item: a column, and the alias as written ({@code AS x}, {@code x}; quoted kept quoted) or null. */
  public record Item(Column column, String alias) {
  }

  /** Words after a table name that are not its alias. */
  private static final Set<String> NOT_ALIAS = Set.of("ON", "JOIN", "WHERE", "LEFT", "RIGHT", "INNER", "FULL",
      "CROSS", "NATURAL", "GROUP", "ORDER", "LIMIT", "UNION", "INTERSECT", "EXCEPT", "MINUS", "HAVING", "WINDOW",
      "USING", "OUTER", "OFFSET", "FETCH", "FOR", "STRAIGHT_JOIN", "USE", "FORCE", "IGNORE", "TABLESAMPLE", "AS");
  /** Words that may not follow WHERE in the statement (the WHERE clause runs to its end). */
  private static final Set<String> NOT_IN_WHERE = Set.of("GROUP", "ORDER", "HAVING", "LIMIT", "UNION", "INTERSECT",
      "EXCEPT", "MINUS", "WINDOW", "OFFSET", "FETCH", "FOR", "RETURNING", "QUALIFY", "SELECT", "JOIN", "EXISTS");
  private static final Set<ParsedStatement.Feature> BLOCKING = Set.of(ParsedStatement.Feature.ORDER_BY,
      ParsedStatement.Feature.LIMIT, ParsedStatement.Feature.OFFSET, ParsedStatement.Feature.AGGREGATE,
      ParsedStatement.Feature.GROUP_BY, ParsedStatement.Feature.HAVING, ParsedStatement.Feature.DISTINCT,
      ParsedStatement.Feature.SUBQUERY, ParsedStatement.Feature.SET_OPERATION,
      ParsedStatement.Feature.WITH, ParsedStatement.Feature.WINDOW);

  /** The join {@code select} is, or null when it is not of that shape. */
  public static TwoTableJoin of(ParsedStatement.Select select, Tokens tokens) {
    SelectShape shape = select.shape();
    if (select.setQuery() != null || shape == null || select.forUpdate() || shape.distinct()
        || !shape.groupBy().isEmpty() || shape.having() != null || !shape.orderBy().isEmpty()
        || shape.limit() != null || shape.offset() != null || !select.blocks().isEmpty()
        || !select.windowPartitions().isEmpty() || select.tables().size() != 2 || select.scope().size() != 2) {
      return null;
    }
    for (ParsedStatement.Feature f : BLOCKING) {
      if (select.has(f)) {
        return null;
      }
    }
    // FROM t1 [[AS] x] [INNER | LEFT [OUTER]] JOIN t2 [[AS] y] ON (read to the statement's end: an outer join the
    // analyser found can only be this LEFT JOIN)
    int i = shape.selectEnd() + 1;
    if (!tokens.isWord(i, "FROM")) {
      return null;
    }
    int[] at = {i + 1};
    Table first = table(tokens, at);
    if (first == null) {
      return null;
    }
    i = at[0];
    boolean left = false;
    if (tokens.isWord(i, "INNER")) {
      i++;
    } else if (tokens.isWord(i, "LEFT")) {
      left = true;
      i++;
      if (tokens.isWord(i, "OUTER")) {
        i++;
      }
    }
    if (!left && select.has(ParsedStatement.Feature.OUTER_JOIN) || !tokens.isWord(i, "JOIN")) {
      return null;
    }
    at[0] = i + 1;
    Table second = table(tokens, at);
    if (second == null) {
      return null;
    }
    i = at[0];
    if (!tokens.isWord(i, "ON")) {
      return null;
    }
    i++;
    List<Column[]> on = new ArrayList<>();
    StringBuilder onText = new StringBuilder();
    while (true) {
      int start = i;
      at[0] = i;
      Column lhs = column(tokens, at);
      if (lhs == null || !tokens.isSymbol(at[0], "=")) {
        return null;
      }
      at[0]++;
      Column rhs = column(tokens, at);
      if (rhs == null) {
        return null;
      }
      on.add(new Column[] {lhs, rhs});
      for (int t = start; t < at[0]; t++) {
        onText.append(t > start && !tokens.isSymbol(t, ".") && !tokens.isSymbol(t - 1, ".") ? " " : "")
            .append(tokens.text(t));
      }
      i = at[0];
      if (!tokens.isWord(i, "AND")) {
        break;
      }
      onText.append(" AND ");
      i++;
    }
    boolean where = tokens.isWord(i, "WHERE");
    if (where) {
      for (int t = i + 1; t < tokens.size(); t++) {
        if (tokens.is(t, TokenType.WORD) && NOT_IN_WHERE.contains(tokens.text(t).toUpperCase(Locale.ROOT))
            || tokens.is(t, TokenType.SEMICOLON) && t != tokens.size() - 1) {
          return null;
        }
      }
    } else if (!(i == tokens.size() || i == tokens.size() - 1 && tokens.is(i, TokenType.SEMICOLON))) {
      return null;
    }
    List<Item> items = new ArrayList<>();
    for (SelectShape.Item item : shape.items()) {
      if (!(item.expr() instanceof Expr.Column)) {
        return null;
      }
      at[0] = item.first();
      Column column = column(tokens, at);
      if (column == null) {
        return null;
      }
      String alias = null;
      int t = at[0];
      if (t <= item.last()) {
        if (tokens.isWord(t, "AS")) {
          t++;
        }
        if (t != item.last() || !(tokens.is(t, TokenType.WORD) || tokens.is(t, TokenType.QUOTED_ID))) {
          return null;
        }
        alias = tokens.text(t);
      }
      items.add(new Item(column, alias));
    }
    return new TwoTableJoin(List.of(first, second), left, on, onText.toString(), items, where);
  }

  /** A table reference at {@code at[0]}: an unqualified, unquoted name and its unquoted alias; advances. */
  private static Table table(Tokens tokens, int[] at) {
    int i = at[0];
    if (!tokens.is(i, TokenType.WORD) || tokens.isSymbol(i + 1, ".")) {
      return null;
    }
    String name = tokens.text(i);
    i++;
    boolean as = tokens.isWord(i, "AS");
    if (as) {
      i++;
    }
    String alias = null;
    if (tokens.is(i, TokenType.WORD) && !NOT_ALIAS.contains(tokens.text(i).toUpperCase(Locale.ROOT))) {
      alias = tokens.text(i);
      i++;
    } else if (as || tokens.is(i, TokenType.QUOTED_ID)) {
      return null;
    }
    at[0] = i;
    return new Table(name, alias);
  }

  /** A column reference at {@code at[0]}, {@code [qualifier .] column} unquoted; advances. */
  private static Column column(Tokens tokens, int[] at) {
    int i = at[0];
    if (!tokens.is(i, TokenType.WORD)) {
      return null;
    }
    String qualifier = null;
    if (tokens.isSymbol(i + 1, ".")) {
      if (!tokens.is(i + 2, TokenType.WORD)) {
        return null;
      }
      qualifier = tokens.text(i);
      i += 2;
    }
    at[0] = i + 1;
    return new Column(qualifier, tokens.text(i));
  }
}
