package org.collegedb.internal.distributed;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.rewrite.FilterText;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.schema.TableRule;

/**
 * Finds, in the caller's text, the conditions of a WHERE clause that filter one table alone: comparisons, ranges,
 * BETWEEN, LIKE, IN lists and IS [NOT] NULL of its columns with literals and parameters, and AND/OR/NOT of those.
 * Only for a table named once in the statement, in a block without outer joins (a condition on an outer join's
 * nullable side could keep rows that the join would have matched). The conditions are copied as text
 * ({@link FilterText}): the shard evaluates them exactly as the scratch database will again.
 */
final class TokenFilters {
  /** Words that may stand in a pushed condition besides the table's columns. */
  private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "BETWEEN", "IN", "IS", "NULL", "LIKE",
      "TRUE", "FALSE", "ESCAPE");
  /** Operators that may stand in a pushed condition. */
  private static final Set<String> OPERATORS = Set.of("=", "<>", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%",
      "||", ".");
  /** Words that end a WHERE clause at its own depth. */
  private static final Set<String> WHERE_END = Set.of("GROUP", "ORDER", "HAVING", "LIMIT", "UNION", "INTERSECT",
      "EXCEPT", "MINUS", "WINDOW", "OFFSET", "FETCH", "FOR", "RETURNING", "QUALIFY");
  /** Words after a table name that are not its alias. */
  private static final Set<String> NOT_ALIAS = Set.of("ON", "JOIN", "WHERE", "LEFT", "RIGHT", "INNER", "FULL",
      "CROSS", "NATURAL", "GROUP", "ORDER", "LIMIT", "UNION", "INTERSECT", "EXCEPT", "MINUS", "HAVING", "WINDOW",
      "USING", "OUTER", "OFFSET", "FETCH", "FOR", "STRAIGHT_JOIN", "USE", "FORCE", "IGNORE", "TABLESAMPLE");

  /**
   * The filter found: the table's alias in the text (or null), the conditions' text and their parameters; how many
   * conjuncts the WHERE clause has ({@code conjuncts}) and the first token of each one pushed ({@code pushed}).
   */
  record Filter(String alias, String sql, List<Integer> params, int conjuncts, List<Integer> pushed) {
  }

  /** Which tables the block of a table reads, to resolve unqualified columns. */
  interface Rules {
    TableRule rule(String table) throws SQLException;
  }

  private final Tokens tokens;

  TokenFilters(Tokens tokens) {
    this.tokens = tokens;
  }

  /** The conditions on {@code table} alone, or null when none can be found. */
  Filter find(String table, TableRule rule, Rules rules) throws SQLException {
    int at = -1;
    for (int i = 0; i < tokens.size(); i++) {
      if (isName(i, table) && !tokens.isSymbol(i - 1, ".") && !tokens.isSymbol(i + 1, ".") && fromItem(i)) {
        if (at >= 0) {
          return null; // named twice
        }
        at = i;
      }
    }
    if (at < 0) {
      return null;
    }
    int depth = tokens.depthAt(at);
    int from = -1;
    for (int i = at - 1; i >= 0; i--) {
      int d = tokens.depthAt(i);
      if (d < depth) {
        return null;
      }
      if (d == depth && tokens.isWord(i, "FROM")) {
        from = i;
        break;
      }
    }
    if (from < 0) {
      return null;
    }
    // The FROM clause: its tables, and whether it has outer joins or derived tables.
    List<String> names = new ArrayList<>();
    boolean unknownItems = false;
    int where = -1;
    int d = depth;
    for (int i = from + 1; i < tokens.size(); i++) {
      if (tokens.is(i, TokenType.LPAREN)) {
        if (d == depth && (tokens.isWord(i - 1, "FROM") || tokens.isWord(i - 1, "JOIN")
            || tokens.is(i - 1, TokenType.COMMA))) {
          unknownItems = true; // a derived table: its columns are unknown here
        }
        d++;
        continue;
      }
      if (tokens.is(i, TokenType.RPAREN)) {
        if (--d < depth) {
          return null; // the block ends without WHERE
        }
        continue;
      }
      if (d != depth) {
        continue;
      }
      if (tokens.isWord(i, "WHERE")) {
        where = i;
        break;
      }
      if (tokens.is(i, TokenType.SEMICOLON) || tokens.isWord(i, "SELECT") || endsWhere(i)) {
        return null;
      }
      if (tokens.isWord(i, "LEFT") || tokens.isWord(i, "RIGHT") || tokens.isWord(i, "FULL")
          || tokens.isWord(i, "OUTER") || tokens.isWord(i, "NATURAL") || tokens.isWord(i, "APPLY")
          || tokens.isWord(i, "LATERAL")) {
        return null;
      }
      if ((tokens.isWord(i - 1, "FROM") || tokens.isWord(i - 1, "JOIN") || tokens.is(i - 1, TokenType.COMMA))
          && (tokens.is(i, TokenType.WORD) || tokens.is(i, TokenType.QUOTED_ID))) {
        names.add(unquoted(i));
      }
    }
    if (where < 0) {
      return null;
    }
    String alias = alias(at);
    String qualifier = alias != null ? alias : table;
    // The WHERE clause, split into its conjuncts at its own depth.
    List<int[]> conjuncts = new ArrayList<>();
    int start = where + 1;
    int end = tokens.size();
    boolean or = false;
    boolean between = false;
    d = depth;
    for (int i = where + 1; i < tokens.size(); i++) {
      if (tokens.is(i, TokenType.LPAREN)) {
        d++;
      } else if (tokens.is(i, TokenType.RPAREN)) {
        if (--d < depth) {
          end = i;
          break;
        }
      } else if (d == depth) {
        if (tokens.is(i, TokenType.SEMICOLON) || endsWhere(i)) {
          end = i;
          break;
        }
        if (tokens.isWord(i, "OR")) {
          or = true;
        } else if (tokens.isWord(i, "BETWEEN")) {
          between = true;
        } else if (tokens.isWord(i, "AND")) {
          if (between) {
            between = false;
          } else {
            conjuncts.add(new int[] {start, i - 1});
            start = i + 1;
          }
        }
      }
    }
    conjuncts.add(new int[] {start, end - 1});
    if (or) { // a disjunction at the top: one condition
      conjuncts = List.of(new int[] {where + 1, end - 1});
    }
    List<int[]> pushed = new ArrayList<>();
    for (int[] c : conjuncts) {
      if (c[0] <= c[1] && pushable(c[0], c[1], qualifier, rule, names, table, unknownItems, rules, new ArrayList<>())) {
        pushed.add(c);
      }
    }
    if (pushed.isEmpty()) {
      return null;
    }
    ShardSql sql = FilterText.and(tokens, pushed).apply(tokens); // the conditions' text and their parameters
    List<Integer> starts = new ArrayList<>();
    for (int[] c : pushed) {
      starts.add(c[0]);
    }
    return new Filter(alias, sql.sql(), Arrays.stream(sql.params()).boxed().toList(), conjuncts.size(), starts);
  }

  private boolean endsWhere(int i) {
    if (!tokens.is(i, TokenType.WORD)) {
      return false;
    }
    return WHERE_END.contains(tokens.text(i).toUpperCase(Locale.ROOT));
  }

  /** Whether tokens {@code first..last} are a condition on the table's columns, literals and parameters only. */
  private boolean pushable(int first, int last, String qualifier, TableRule rule, List<String> names, String table,
      boolean unknownItems, Rules rules, List<Integer> params) throws SQLException {
    boolean column = false;
    for (int i = first; i <= last; i++) {
      TokenType type = tokens.type(i);
      switch (type) {
        case NUMBER, STRING, LPAREN, RPAREN, COMMA -> {
        }
        case PARAM -> params.add(tokens.paramIndex(i));
        case OP -> {
          if (!OPERATORS.contains(tokens.text(i))) {
            return false;
          }
          if (tokens.text(i).equals(".") && !(tokens.is(i - 1, TokenType.WORD) && tokens.is(i + 1, TokenType.WORD))) {
            return false;
          }
        }
        case WORD -> {
          String word = tokens.text(i);
          if (KEYWORDS.contains(word.toUpperCase(Locale.ROOT))) {
            continue;
          }
          if (tokens.is(i + 1, TokenType.LPAREN)) {
            return false; // a function
          }
          if (tokens.isSymbol(i + 1, ".")) {
            if (!word.equalsIgnoreCase(qualifier) || !tokens.is(i + 2, TokenType.WORD)
                || !rule.columns().contains(tokens.text(i + 2).toLowerCase(Locale.ROOT))) {
              return false;
            }
            column = true;
            i += 2;
            continue;
          }
          String name = word.toLowerCase(Locale.ROOT);
          if (!rule.columns().contains(name) || unknownItems) {
            return false;
          }
          for (String other : names) {
            if (!other.equalsIgnoreCase(table)) {
              TableRule o = rules.rule(other);
              if (o.columns().isEmpty() || o.columns().contains(name)) {
                return false; // ambiguous, or another table's
              }
            }
          }
          column = true;
        }
        default -> {
          return false;
        }
      }
    }
    return column;
  }

  /** Whether the name at {@code i} is a FROM item: after FROM, JOIN or a comma of a FROM list. */
  private boolean fromItem(int i) {
    if (tokens.isWord(i - 1, "FROM") || tokens.isWord(i - 1, "JOIN")) {
      return true;
    }
    if (!tokens.is(i - 1, TokenType.COMMA)) {
      return false;
    }
    int depth = tokens.depthAt(i);
    for (int j = i - 2; j >= 0; j--) {
      int d = tokens.depthAt(j);
      if (d < depth) {
        return false;
      }
      if (d > depth) {
        continue;
      }
      if (tokens.isWord(j, "FROM")) {
        return true;
      }
      if (tokens.isWord(j, "SELECT") || tokens.isWord(j, "WHERE") || tokens.isWord(j, "ON")
          || tokens.isWord(j, "BY") || tokens.isWord(j, "VALUES")) {
        return false;
      }
    }
    return false;
  }

  private String alias(int at) {
    int i = at + 1;
    if (tokens.isWord(i, "AS")) {
      i++;
    }
    if (tokens.is(i, TokenType.WORD) && !NOT_ALIAS.contains(tokens.text(i).toUpperCase(Locale.ROOT))
        && !tokens.isWord(i, "WHERE") && !tokens.isWord(i, "INNER")) {
      return tokens.text(i);
    }
    return null; // none, or a quoted one: then conditions must not qualify
  }

  private boolean isName(int i, String table) {
    return (tokens.is(i, TokenType.WORD) || tokens.is(i, TokenType.QUOTED_ID)) && unquoted(i).equalsIgnoreCase(table);
  }

  private String unquoted(int i) {
    String text = tokens.text(i);
    return tokens.is(i, TokenType.QUOTED_ID) ? text.substring(1, text.length() - 1) : text;
  }
}
