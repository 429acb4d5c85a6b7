package org.collegedb.internal.distributed;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.collegedb.parse.ColumnRef;
import org.collegedb.parse.Condition;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TableRef;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;
import org.collegedb.parse.ValueRef;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.TableRule;

/**
 * Decides, for each table a query reads, the fragment to fetch from the shards: the columns the query can use (all
 * of them when it says {@code *} or NATURAL), and the conditions of the query that apply to that table alone
 * (equalities and IN lists on its columns, and ORs of them) when the table is read once in the whole query. The
 * fragment is a superset of the rows the query uses: the caller's whole statement runs again over the fragments.
 */
final class FragmentPlanner {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Column names that are keywords on some backend: never written bare into a fragment. */
  private static final Set<String> RESERVED = Set.of("date", "time", "timestamp", "offset", "limit", "default",
      "order", "group", "key", "value", "values", "user", "year", "month", "day", "level", "type", "index", "from",
      "to", "table", "select", "where", "desc", "asc", "check", "column", "end", "range", "rows", "row", "interval",
      "position", "current", "uid", "session", "comment", "status", "mode", "size", "number", "option");

  /** One table's fragment. */
  record Plan(String table, String alias, TableRule rule, List<String> columns, String where, int[] params,
      int occurrences) {
    /** The fragment's text, at most {@code limit} rows. */
    String sql(long limit) {
      String list = columns == null ? "*" : String.join(", ", columns);
      return "SELECT " + list + " FROM " + table + (alias == null ? "" : " " + alias)
          + (where.isEmpty() ? "" : " WHERE " + where) + " LIMIT " + limit;
    }

    /** The same fragment with one more condition (parameter-free text). */
    Plan and(String condition) {
      return new Plan(table, alias, rule, columns, where.isEmpty() ? condition : where + " AND " + condition, params,
          occurrences);
    }
  }

  private final ParsedStatement.Select select;
  private final Tokens tokens;
  private final Environment env;

  FragmentPlanner(ParsedStatement.Select select, Tokens tokens, Environment env) {
    this.select = select;
    this.tokens = tokens;
    this.env = env;
  }

  List<Plan> plan() throws SQLException {
    Map<String, Integer> occurrences = new LinkedHashMap<>();
    Map<String, String> written = new LinkedHashMap<>();
    for (TableRef t : select.tables()) {
      String key = t.name().toLowerCase(Locale.ROOT);
      occurrences.merge(key, 1, Integer::sum);
      written.putIfAbsent(key, t.name());
    }
    Set<String> words = words();
    boolean allColumns = readsEveryColumn();
    List<Plan> plans = new ArrayList<>();
    for (Map.Entry<String, Integer> e : occurrences.entrySet()) {
      String name = written.get(e.getKey());
      TableRule rule = env.rule(name);
      if (!rule.exists()) {
        continue; // not a table of the shards (a WITH name is never listed; a misspelt table fails in the scratch)
      }
      List<String> columns = null;
      if (!allColumns && env.dialect() != Dialect.SQLITE && !rule.columns().isEmpty()) {
        columns = new ArrayList<>();
        for (String c : rule.columns()) {
          if (words.contains(c)) {
            columns.add(c);
          }
        }
        if (columns.isEmpty()) {
          columns.add(rule.columns().get(0)); // COUNT(*) and the like: the rows matter, not their values
        }
        for (String c : columns) {
          if (!safe(c)) {
            columns = null;
            break;
          }
        }
      }
      StringBuilder where = new StringBuilder();
      List<Integer> params = new ArrayList<>();
      String alias = null;
      if (e.getValue() == 1 && safe(name)) {
        TokenFilters.Filter found = new TokenFilters(tokens).find(name, rule, env::rule);
        if (found != null) {
          alias = found.alias();
          where.append(found.sql());
          params.addAll(found.params());
        }
        Condition condition = null;
        List<TableRef> scope = null;
        if (inScope(select.scope(), name)) {
          condition = select.where();
          scope = select.scope();
        } else {
          for (ParsedStatement.Block b : select.blocks()) {
            if (inScope(b.scope(), name)) {
              condition = b.where();
              scope = b.scope();
              break;
            }
          }
        }
        if (condition != null) {
          List<Condition> terms = condition instanceof Condition.And and ? and.terms() : List.of(condition);
          for (Condition term : terms) {
            StringBuilder sql = new StringBuilder();
            List<Integer> termParams = new ArrayList<>();
            if (write(term, name, rule, scope, sql, termParams)
                && !normal(where.toString(), alias).contains(normal(sql.toString(), null))) {
              if (where.length() > 0) {
                where.append(" AND ");
              }
              where.append(sql);
              params.addAll(termParams);
            }
          }
        }
      }
      plans.add(new Plan(name, alias, rule, columns, where.toString(), params.stream().mapToInt(Integer::intValue).toArray(),
          e.getValue()));
    }
    return plans;
  }

  /** A condition's text without spaces, parentheses and the table's qualifier, lower case: to spot a repeat. */
  private static String normal(String sql, String alias) {
    String s = sql.toLowerCase(Locale.ROOT);
    if (alias != null) {
      s = s.replace(alias.toLowerCase(Locale.ROOT) + ".", "");
    }
    return s.replaceAll("[\\s()]", "");
  }

  private static boolean inScope(List<TableRef> scope, String name) {
    for (TableRef t : scope) {
      if (t.name().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  static boolean safe(String identifier) {
    return PLAIN.matcher(identifier).matches() && !RESERVED.contains(identifier.toLowerCase(Locale.ROOT));
  }

  /** Every word and quoted identifier of the statement, lower case: the columns it may name. */
  private Set<String> words() {
    Set<String> words = new HashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      TokenType type = tokens.type(i);
      if (type == TokenType.WORD) {
        words.add(tokens.text(i).toLowerCase(Locale.ROOT));
      } else if (type == TokenType.QUOTED_ID) {
        String text = tokens.text(i);
        words.add(text.substring(1, text.length() - 1).toLowerCase(Locale.ROOT));
      }
    }
    return words;
  }

  /** Whether the statement takes every column of some table: {@code *}, {@code t.*}, NATURAL JOIN. */
  private boolean readsEveryColumn() {
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.isWord(i, "NATURAL")) {
        return true;
      }
      if (tokens.isSymbol(i, "*") && i > 0 && (tokens.isWord(i - 1, "SELECT") || tokens.isWord(i - 1, "DISTINCT")
          || tokens.isWord(i - 1, "ALL") || tokens.is(i - 1, TokenType.COMMA) || tokens.isSymbol(i - 1, "."))) {
        return true;
      }
    }
    return false;
  }

  /** Writes a condition on {@code table} alone as SQL; false when it is not one (or cannot be written). */
  private boolean write(Condition c, String table, TableRule rule, List<TableRef> scope, StringBuilder sql,
      List<Integer> params) {
    if (c instanceof Condition.Eq eq) {
      if (!ofTable(eq.column(), table, rule, scope)) {
        return false;
      }
      String value = value(eq.value(), params);
      if (value == null) {
        return false;
      }
      sql.append(eq.column().column()).append(" = ").append(value);
      return true;
    }
    if (c instanceof Condition.In in) {
      if (!ofTable(in.column(), table, rule, scope) || in.values().isEmpty()) {
        return false;
      }
      StringBuilder list = new StringBuilder();
      for (ValueRef v : in.values()) {
        String value = value(v, params);
        if (value == null) {
          return false;
        }
        list.append(list.length() == 0 ? "" : ", ").append(value);
      }
      sql.append(in.column().column()).append(" IN (").append(list).append(')');
      return true;
    }
    if (c instanceof Condition.Or or) {
      StringBuilder any = new StringBuilder("(");
      for (Condition term : or.terms()) {
        if (any.length() > 1) {
          any.append(" OR ");
        }
        if (!write(term, table, rule, scope, any, params)) {
          return false;
        }
      }
      sql.append(any).append(')');
      return true;
    }
    if (c instanceof Condition.And and) {
      StringBuilder all = new StringBuilder("(");
      for (Condition term : and.terms()) {
        if (all.length() > 1) {
          all.append(" AND ");
        }
        if (!write(term, table, rule, scope, all, params)) {
          return false;
        }
      }
      sql.append(all).append(')');
      return true;
    }
    return false;
  }

  /**
   * Whether a column reference means a column of {@code table}: qualified by it, or unqualified and a column of it
   * that no other table of the block has. The column must be a column of the table (an unqualified name may be an
   * outer query's column).
   */
  private boolean ofTable(ColumnRef column, String table, TableRule rule, List<TableRef> scope) {
    String name = column.column().toLowerCase(Locale.ROOT);
    if (!rule.columns().contains(name) || !safe(column.column())) {
      return false;
    }
    if (column.table() != null && !column.table().equalsIgnoreCase(table)) {
      return false;
    }
    if (scope.size() == 1) {
      return true;
    }
    if (column.table() != null) {
      return true;
    }
    for (TableRef t : scope) {
      if (!t.name().equalsIgnoreCase(table)) {
        try {
          TableRule other = env.rule(t.name());
          if (other.columns().isEmpty() || other.columns().contains(name)) {
            return false;
          }
        } catch (SQLException e) {
          return false; // unknown: do not filter on it
        }
      }
    }
    return true;
  }

  /** A value as fragment text: a literal's own text, {@code ?} for a parameter; null when it cannot be written. */
  private String value(ValueRef v, List<Integer> params) {
    if (v instanceof ValueRef.Param p) {
      params.add(p.index());
      return "?";
    }
    if (v instanceof ValueRef.Literal l) {
      TokenType type = tokens.type(l.token());
      if (type != TokenType.NUMBER && type != TokenType.STRING) {
        return null;
      }
      return (l.negated() ? "-" : "") + tokens.text(l.token());
    }
    if (v instanceof ValueRef.Constant k) {
      return k.value() == null ? "NULL" : k.value() instanceof Boolean b ? (b ? "TRUE" : "FALSE") : null;
    }
    return null;
  }
}
