package org.collegedb.internal.distributed;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.collegedb.SqlStates;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.value.KeyType;
import org.collegedb.parse.ColumnRef;
import org.collegedb.parse.Expr;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SelectShape;
import org.collegedb.parse.TokenType;
import org.collegedb.internal.rewrite.Splice;
import org.collegedb.parse.Tokens;

/**
 * Partial aggregates pushed to the shards for an aggregate over a derived table of one table:
 * {@code SELECT g, COUNT(*), SUM(t.v) FROM (SELECT g, v FROM users WHERE ...) t GROUP BY g [HAVING] [ORDER BY]
 * [LIMIT]}. Instead of loading the table's rows into the scratch database, the fragment
 * {@code SELECT g, COUNT(*), SUM(v) FROM users WHERE ... GROUP BY g} runs through CollegeDB's own routing: every
 * shard computes its partial aggregates and CollegeDB's merge combines them exactly (COUNT and SUM summed, MIN/MAX
 * compared, AVG from SUM and COUNT with the backend's type and scale). The scratch database gets one row per group in
 * a table whose column types the backend itself gives the aggregates ({@code CREATE TABLE ... AS} the aggregate
 * query over an empty copy of the table), and the caller's statement runs there with each aggregate call replaced
 * by {@code MAX(<its column>)} (one row per group: the value itself, of the same type), its unnamed items named as
 * the backend names them.
 *
 * <p>Only where that is plainly exact; anything else loads rows as before: the derived table is
 * {@code SELECT col [AS name], ... FROM table [alias] [WHERE ...]} (plain columns, no subquery, GROUP BY, DISTINCT,
 * LIMIT or set operation), the outer query reads only it (no WHERE, no join) and is not DISTINCT; aggregates are
 * COUNT, SUM, MIN, MAX and AVG, not DISTINCT, and SUM/MIN/MAX/AVG only over integer columns (floating-point sums can
 * differ in their last bits, and text MIN/MAX under collations the merge only approximates); grouping columns are
 * the derived table's columns, integers (text too on PostgreSQL, and on H2 without IGNORECASE: text groups are equal
 * when their bytes are); columns outside aggregates are grouping columns.
 */
final class PartialAggregate {
  /** The scratch table that holds one row per group. */
  static final String TABLE = "cdb_partial";
  private static final Set<String> FUNCTIONS = Set.of("count", "sum", "min", "max", "avg");
  /** Words that make a derived table more than a filtered projection of one table. */
  private static final Set<String> INNER_BLOCKERS = Set.of("GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FETCH",
      "UNION", "INTERSECT", "EXCEPT", "MINUS", "JOIN", "WINDOW", "QUALIFY", "DISTINCT", "TOP", "FOR", "INTO",
      "OVER", "NATURAL", "LATERAL", "APPLY", "SELECT");
  /** What may follow the derived table (and its alias) in the outer query. */
  private static final Set<String> AFTER = Set.of("GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FETCH");
  /** Words anywhere in the statement that keep the rows path. */
  private static final Set<String> BLOCKERS = Set.of("WITH", "OVER", "WINDOW", "UNION", "INTERSECT", "EXCEPT",
      "MINUS", "JOIN", "QUALIFY", "LATERAL", "FOR", "INTO");

  private final Tokens tokens;
  private final SelectShape shape;
  private final String table;
  private final String innerAlias;
  private final int open;
  private final int close;
  private final String alias;
  private final int whereAt;
  /** Derived-table column (lower case) → its base column text as written and its base column (lower case). */
  private final Map<String, String[]> columns = new LinkedHashMap<>();
  private final List<Expr> groups = new ArrayList<>();
  private final Set<String> grouped = new java.util.HashSet<>();
  /** Each distinct aggregate (by its fragment text) → its partial column number, from 1. */
  private final Map<String, Integer> partials = new LinkedHashMap<>();
  /** Aggregate calls of the outer query: first token → {last token, partial column number}. */
  private final Map<Integer, int[]> calls = new TreeMap<>();
  /** Original text of each partial column's aggregate. */
  private final List<String> originals = new ArrayList<>();
  private final Dialect dialect;
  private TableRule rule;

  private PartialAggregate(Tokens tokens, SelectShape shape, String table, String innerAlias, int open, int close,
      String alias, int whereAt, Dialect dialect) {
    this.tokens = tokens;
    this.shape = shape;
    this.table = table;
    this.innerAlias = innerAlias;
    this.open = open;
    this.close = close;
    this.alias = alias;
    this.whereAt = whereAt;
    this.dialect = dialect;
  }

  /** The partial aggregate plan of a statement, or null when it is not one of the plain shapes above. */
  static PartialAggregate of(ParsedStatement.Select select, Tokens tokens, Environment env) throws SQLException {
    SelectShape shape = select.shape();
    if (select.setQuery() != null || shape == null || shape.distinct() || tokens.size() < 8
        || !tokens.isWord(0, "SELECT")) {
      return null;
    }
    int from = -1;
    for (int i = 1; i < tokens.size(); i++) {
      if (tokens.type(i) == TokenType.WORD && BLOCKERS.contains(tokens.text(i).toUpperCase(Locale.ROOT))) {
        return null;
      }
      if (from < 0 && tokens.isWord(i, "FROM") && tokens.depthAt(i) == 0) {
        from = i;
      }
    }
    if (from < 0 || !tokens.is(from + 1, TokenType.LPAREN) || !tokens.isWord(from + 2, "SELECT")) {
      return null;
    }
    int open = from + 1;
    int close = tokens.matchingParen(open);
    if (close < 0) {
      return null;
    }
    // the outer query: the derived table, its alias, then GROUP BY/HAVING/ORDER BY/LIMIT only
    int k = close + 1;
    if (tokens.isWord(k, "AS")) {
      k++;
    }
    String alias = null;
    if (tokens.is(k, TokenType.WORD) && !AFTER.contains(tokens.text(k).toUpperCase(Locale.ROOT))
        && !tokens.isWord(k, "WHERE")) {
      alias = tokens.text(k++);
    }
    if (k < tokens.size() && !tokens.is(k, TokenType.SEMICOLON)
        && !(tokens.type(k) == TokenType.WORD && AFTER.contains(tokens.text(k).toUpperCase(Locale.ROOT)))) {
      return null; // a WHERE, a join, a comma: rows path
    }
    for (int i = k; i < tokens.size(); i++) {
      if (tokens.isWord(i, "SELECT")) {
        return null;
      }
    }
    // the derived table: SELECT col [AS name], ... FROM table [alias] [WHERE ...]
    int innerFrom = -1;
    int whereAt = -1;
    int depth = 0;
    for (int i = open + 3; i < close; i++) {
      if (tokens.is(i, TokenType.LPAREN)) {
        depth++;
      } else if (tokens.is(i, TokenType.RPAREN)) {
        depth--;
      } else if (tokens.type(i) == TokenType.WORD
          && INNER_BLOCKERS.contains(tokens.text(i).toUpperCase(Locale.ROOT))) {
        return null;
      } else if (depth == 0 && tokens.isWord(i, "FROM") && innerFrom < 0) {
        innerFrom = i;
      } else if (depth == 0 && tokens.isWord(i, "WHERE") && whereAt < 0 && innerFrom > 0) {
        whereAt = i;
      } else if (tokens.is(i, TokenType.PARAM) && (innerFrom < 0 || whereAt < 0)) {
        return null;
      }
    }
    if (innerFrom < 0 || !tokens.is(innerFrom + 1, TokenType.WORD) || tokens.isSymbol(innerFrom + 2, ".")) {
      return null;
    }
    String table = tokens.text(innerFrom + 1);
    int end = whereAt > 0 ? whereAt : close;
    int a = innerFrom + 2;
    if (tokens.isWord(a, "AS")) {
      a++;
    }
    String innerAlias = null;
    if (a < end) {
      if (!tokens.is(a, TokenType.WORD) || a + 1 != end) {
        return null;
      }
      innerAlias = tokens.text(a);
    }
    TableRule rule = env.rule(table);
    if (!rule.exists() || rule.columns().isEmpty()) {
      return null;
    }
    PartialAggregate p = new PartialAggregate(tokens, shape, table, innerAlias, open, close, alias, whereAt,
        env.dialect());
    p.rule = rule;
    for (int[] item : tokens.items(open + 2, innerFrom - 1)) {
      if (!p.innerItem(item[0], item[1])) {
        return null;
      }
    }
    boolean textGroups = env.dialect() == Dialect.POSTGRES || env.dialect() == Dialect.H2
        && !env.scratchShard().url().toUpperCase(Locale.ROOT).contains("IGNORECASE");
    for (Expr g : shape.groupBy()) {
      String name = p.column(g);
      if (name == null || !p.grouped.add(name)) {
        return null;
      }
      KeyType type = rule.typeOf(p.columns.get(name)[1]);
      if (type != KeyType.INTEGER && !(type == KeyType.TEXT && textGroups)) {
        return null;
      }
      p.groups.add(g);
    }
    Set<String> itemAliases = new java.util.HashSet<>();
    for (SelectShape.Item item : shape.items()) {
      if (!p.check(item.expr(), false, Set.of())) {
        return null;
      }
      if (item.alias() != null) {
        itemAliases.add(item.alias().toLowerCase(Locale.ROOT));
      }
    }
    if (shape.having() != null && !p.check(shape.having(), false, itemAliases)) {
      return null;
    }
    for (SelectShape.Order o : shape.orderBy()) {
      if (o.ordinal() == 0 && !p.check(o.expr(), false, itemAliases)) {
        return null;
      }
    }
    return p.partials.isEmpty() ? null : p;
  }

  /** One item of the derived table: {@code col}, {@code q.col}, with an optional {@code [AS] name}. */
  private boolean innerItem(int first, int last) {
    int i = first;
    if (!tokens.is(i, TokenType.WORD)) {
      return false;
    }
    if (tokens.isSymbol(i + 1, ".")) {
      String q = tokens.text(i);
      if (!(q.equalsIgnoreCase(table) || innerAlias != null && q.equalsIgnoreCase(innerAlias))
          || !tokens.is(i + 2, TokenType.WORD)) {
        return false;
      }
      i += 2;
    }
    String column = tokens.text(i).toLowerCase(Locale.ROOT);
    if (!rule.columns().contains(column)) {
      return false;
    }
    String base = text(first, i);
    String name = column;
    if (i < last) {
      int n = tokens.isWord(i + 1, "AS") ? i + 2 : i + 1;
      if (n != last || !tokens.is(n, TokenType.WORD)) {
        return false;
      }
      name = tokens.text(n).toLowerCase(Locale.ROOT);
    }
    return columns.putIfAbsent(name, new String[] {base, column}) == null;
  }

  /** The derived table's column (lower case) an expression names, or null. */
  private String column(Expr e) {
    if (!(e instanceof Expr.Column c)) {
      return null;
    }
    ColumnRef ref = c.column();
    if (ref.qualifier() != null && (alias == null || !ref.qualifier().equalsIgnoreCase(alias))) {
      return null;
    }
    String name = ref.column().toLowerCase(Locale.ROOT);
    return columns.containsKey(name) ? name : null;
  }

  /** Whether the outer query can compute {@code e} from the groups and partial aggregates; records its aggregates. */
  private boolean check(Expr e, boolean inAggregate, Set<String> aliases) {
    if (e instanceof Expr.Value) {
      return true;
    }
    if (e instanceof Expr.Column c) {
      String name = column(e);
      if (name == null) {
        return c.column().qualifier() == null && aliases.contains(c.column().column().toLowerCase(Locale.ROOT));
      }
      return inAggregate || grouped.contains(name);
    }
    if (e instanceof Expr.Call call) {
      for (Expr operand : call.operands()) {
        if (!check(operand, inAggregate, aliases)) {
          return false;
        }
      }
      return true;
    }
    if (e instanceof Expr.Aggregate agg) {
      if (inAggregate || agg.distinct() || !FUNCTIONS.contains(agg.function())) {
        return false;
      }
      String fragment;
      if (agg.argument() == null) {
        if (!agg.function().equals("count")) {
          return false;
        }
        fragment = "COUNT(*)";
      } else {
        String name = column(agg.argument());
        if (name == null) {
          return false;
        }
        String[] base = columns.get(name);
        if (!agg.function().equals("count") && rule.typeOf(base[1]) != KeyType.INTEGER) {
          return false;
        }
        fragment = agg.function().toUpperCase(Locale.ROOT) + "(" + base[0] + ")";
      }
      Integer n = partials.get(fragment);
      if (n == null) {
        n = partials.size() + 1;
        partials.put(fragment, n);
        originals.add(text(agg.first(), agg.last()));
      }
      calls.put(agg.first(), new int[] {agg.last(), n});
      return true;
    }
    return false;
  }

  /** The caller's text of tokens {@code first..last}, as written ({@code ?} kept: {@link #params} maps them). */
  private String text(int first, int last) {
    return Splice.compose(tokens, new Splice.Copy(first, last)).sql();
  }

  /** The caller's parameters of tokens {@code first..last}, in order. */
  private int[] params(int first, int last) {
    List<Integer> out = new ArrayList<>();
    for (int i = first; i <= last && i < tokens.size(); i++) {
      if (tokens.is(i, TokenType.PARAM)) {
        out.add(tokens.paramIndex(i));
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The fragment every shard runs: the grouping columns and the partial aggregates of the table's rows. */
  String fragment(long limit) {
    List<String> list = new ArrayList<>();
    for (Expr g : groups) {
      list.add(columns.get(column(g))[0]);
    }
    String groupBy = String.join(", ", list);
    list.addAll(partials.keySet());
    return "SELECT " + String.join(", ", list) + " FROM " + table + (innerAlias == null ? "" : " " + innerAlias)
        + (whereAt > 0 ? " WHERE " + text(whereAt + 1, close - 1) : "")
        + (groups.isEmpty() ? "" : " GROUP BY " + groupBy) + " LIMIT " + limit;
  }

  /** Creates the table of groups, typed by the backend over the empty copy of the table. */
  private String typing() {
    List<String> list = new ArrayList<>();
    List<String> groupTexts = new ArrayList<>();
    for (Expr g : groups) {
      groupTexts.add(text(g.first(), g.last()));
    }
    list.addAll(groupTexts);
    for (int i = 0; i < originals.size(); i++) {
      list.add(originals.get(i) + " AS cdb_p" + (i + 1));
    }
    String create = dialect == Dialect.POSTGRES || dialect == Dialect.MYSQL ? "CREATE TEMPORARY TABLE " : "CREATE TABLE ";
    return create + TABLE + " AS SELECT " + String.join(", ", list) + " FROM ("
        + text(open + 1, (whereAt > 0 ? whereAt : close) - 1) + ")" + (alias == null ? "" : " " + alias)
        + (groups.isEmpty() ? "" : " GROUP BY " + String.join(", ", groupTexts)) + " LIMIT 0";
  }

  /** The caller's statement over the groups: aggregate calls replaced, unnamed items named by their labels. */
  private String rewritten(Map<Integer, String> labels, Scratch scratch) {
    Splice splice = new Splice(tokens).replace(open, close, TABLE);
    for (Map.Entry<Integer, int[]> call : calls.entrySet()) {
      splice.replace(call.getKey(), call.getValue()[0], "MAX(cdb_p" + call.getValue()[1] + ")");
    }
    for (Map.Entry<Integer, String> label : labels.entrySet()) {
      splice.insertAfter(label.getKey(), " AS " + scratch.quote(label.getValue()));
    }
    return splice.apply().sql();
  }

  /** Answers the statement from the partial aggregates; null when its fragment cannot run shard by shard. */
  DistributedQuery.Result run(Bindings.Parameters params, Environment env, Statement owner) throws SQLException {
    Scratch scratch = Scratch.open(env);
    try {
      // an empty copy of the table, for the backend to type the aggregates and name the items
      String target;
      // PostgreSQL and MariaDB: the scratch session is on a shard, before its temporary tables hide the table
      java.sql.Connection catalog = dialect == Dialect.POSTGRES || dialect == Dialect.MYSQL ? scratch.connection
          : env.catalog();
      try (Statement s = catalog.createStatement();
           ResultSet empty = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
        target = scratch.create(table, empty.getMetaData(), env.catalog());
      }
      long budget = env.maxRows();
      String fragmentSql = fragment(budget + 1);
      long start = System.nanoTime();
      Environment.Fragment fragment;
      try {
        fragment = env.run(fragmentSql, whereAt > 0 ? params(whereAt, close) : new int[0]);
      } catch (SQLException e) {
        if (SqlStates.NOT_SUPPORTED.equals(e.getSQLState())) {
          scratch.close();
          return null; // the fragment cannot run shard by shard: load rows
        }
        throw e;
      }
      Map<Integer, String> labels = new TreeMap<>();
      int[] outer = outerParams();
      try (ResultSet rows = fragment.rows()) {
        try (PreparedStatement ps = scratch.connection.prepareStatement(tokens.sql())) {
          bind(ps, params, all());
          try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 0; i < shape.items().size(); i++) {
              SelectShape.Item item = shape.items().get(i);
              if (item.alias() == null && !(item.expr() instanceof Expr.Column)) {
                labels.put(item.last(), md.getColumnLabel(i + 1));
              }
            }
          }
        }
        try (Statement s = scratch.connection.createStatement()) {
          s.execute(typing());
        }
        scratch.adopt(TABLE);
        long loaded = scratch.load(TABLE, rows, budget, () -> {
          throw DistributedQuery.tooManyRows(budget, 0, table);
        }, false);
        scratch.loaded(TABLE);
        scratch.commit();
        String sql = rewritten(labels, scratch);
        StringBuilder description = new StringBuilder("distributed query, scratch database: ")
            .append(scratch.description()).append('\n')
            .append("  partial aggregate on the shards: ").append(fragmentSql).append("  -> ")
            .append(fragment.shards()).append(", ").append(loaded).append(" groups, ")
            .append((System.nanoTime() - start) / 1_000_000).append(" ms (the table '").append(target)
            .append("' is not loaded)\n")
            .append("  then on the scratch database: ").append(sql);
        List<String> shards = new ArrayList<>();
        List<String> shardSql = new ArrayList<>();
        for (String s : fragment.shards()) {
          shards.add(s);
          shardSql.add(fragmentSql);
        }
        shards.add("scratch");
        shardSql.add(sql);
        return DistributedQuery.answer(scratch, sql, ps -> bind(ps, params, outer), env, owner, description, shards,
            shardSql);
      }
    } catch (SQLException | RuntimeException e) {
      try {
        scratch.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** The caller's parameters outside the derived table, in order. */
  private int[] outerParams() {
    int[] before = params(0, open);
    int[] after = params(close, tokens.size() - 1);
    int[] out = new int[before.length + after.length];
    System.arraycopy(before, 0, out, 0, before.length);
    System.arraycopy(after, 0, out, before.length, after.length);
    return out;
  }

  private int[] all() {
    int[] out = new int[tokens.paramCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = i + 1;
    }
    return out;
  }

  /** Binds the caller's parameters {@code m} (in their order in {@code ps}) to {@code ps}, as the caller set them. */
  private static void bind(PreparedStatement ps, Bindings.Parameters params, int[] m) throws SQLException {
    if (m.length == 0) {
      return;
    }
    if (params instanceof ParameterStore store) {
      store.bind(ps, m, m.length);
    } else {
      for (int i = 0; i < m.length; i++) {
        ps.setObject(i + 1, params.value(m[i]));
      }
    }
  }
}
