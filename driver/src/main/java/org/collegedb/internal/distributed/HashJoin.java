package org.collegedb.internal.distributed;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.collegedb.internal.merge.RowsResultSet;
import org.collegedb.internal.merge.SnapshotMetaData;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.internal.value.KeyType;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.parse.TwoTableJoin;

/**
 * An inner equi-join of two tables answered in the driver: both tables' fragments run through CollegeDB's routing
 * (with the WHERE conditions of each side pushed into its fragment), the first is held in a hash table on its join
 * columns, the second probes it, and the joined rows are returned with the metadata the fragments' columns have (the
 * fragments select the caller's columns under the caller's aliases, so the backend itself labels them). No scratch
 * database: no rows are inserted anywhere.
 *
 * <p>Chosen only where it is exact ({@link #of}): {@code SELECT col [[AS] alias], ... FROM t1 [[AS] x] [INNER] JOIN
 * t2 [[AS] y] ON x.c = y.d [AND ...] [WHERE ...]} over two different tables of the shards, plain columns in the select
 * list, no DISTINCT, GROUP BY, HAVING, ORDER BY, LIMIT, window, subquery or set operation, and every conjunct of the
 * WHERE clause a condition on one table's columns alone that is pushed into that table's fragment; or the same with
 * {@code LEFT [OUTER] JOIN} and no WHERE (the second table is then the hash table, not narrowed by semi-join, and
 * each row of the first that matches none is returned once with NULLs for the second's columns). At run time the
 * join columns must be integers on both sides (compared as {@code long}), or on H2, PostgreSQL and SQLite text
 * ({@code VARCHAR}/{@code TEXT}) on both sides where equal text is equal characters ({@link TextEquality}); never
 * text on MariaDB/MySQL, whose collations ignore case and trailing spaces. Each fetched key's Java class is checked too (SQLite stores text in an INTEGER column). The
 * selected columns must be of types whose values the driver returns as the backend's own driver would: integers and
 * text everywhere, DECIMAL except on SQLite (whose driver types such a column by each row's value; there every value
 * must also be of its column's declared kind), floating-point only on H2 (other drivers write it as text their own
 * way: {@code 1e+20}, {@code 1e20}). Anything else, or more joined rows than fit in
 * {@code crossShardMemoryMB}, abandons the hash join before a row is returned ({@link #abandoned()}): the query
 * then takes the scratch database. NULL keys match nothing, as in SQL.
 */
final class HashJoin {
  /** One table of the join. */
  static final class Side {
    final String table;
    final String alias;
    final TableRule rule;
    /** The fragment's select list for the caller's columns of this table, as the caller wrote them. */
    final List<String> outputs = new ArrayList<>();
    /** The join columns, as written, in the order of the ON equalities. */
    final List<String> keys = new ArrayList<>();
    FragmentPlanner.Plan plan;

    Side(String table, String alias, TableRule rule) {
      this.table = table;
      this.alias = alias;
      this.rule = rule;
    }

    String qualifier() {
      return alias != null ? alias : table;
    }

    /** The fragment's text: the caller's columns, then the join columns. */
    String sql(String where, long limit) {
      List<String> list = new ArrayList<>(outputs);
      list.addAll(keys);
      return "SELECT " + String.join(", ", list) + " FROM " + table + (plan.alias() == null ? "" : " " + plan.alias())
          + (where.isEmpty() ? "" : " WHERE " + where) + " LIMIT " + limit;
    }
  }

  private final Side[] sides;
  /** For each select item: its table (0, 1) and its column in that table's fragment (1-based). */
  private final int[] itemSide;
  private final int[] itemColumn;
  /** The ON condition as written, for descriptions. */
  private final String on;
  /** {@code LEFT JOIN}: every row of the first table, with NULLs for the second's columns where none matches. */
  private final boolean left;
  private String abandoned;

  private HashJoin(Side[] sides, int[] itemSide, int[] itemColumn, String on, boolean left) {
    this.left = left;
    this.sides = sides;
    this.itemSide = itemSide;
    this.itemColumn = itemColumn;
    this.on = on;
  }

  /** Why the last {@link #run} returned null (the scratch database answers instead). */
  String abandoned() {
    return abandoned;
  }

  /** The tables, in the statement's order (for tests). */
  List<String> tables() {
    return List.of(sides[0].table, sides[1].table);
  }

  /** Each table's fragment without the semi-join narrowing, at most {@code limit} rows (for tests). */
  List<String> fragments(long limit) {
    return List.of(sides[0].sql(sides[0].plan.where(), limit), sides[1].sql(sides[1].plan.where(), limit));
  }

  /** The ON condition (for tests and descriptions). */
  String on() {
    return on;
  }

  /** The hash join for {@code select}, or null when the statement is not one of the exact shapes above. */
  static HashJoin of(ParsedStatement.Select select, Tokens tokens, Environment env) throws SQLException {
    Dialect dialect = env.dialect();
    if (dialect != Dialect.H2 && dialect != Dialect.POSTGRES && dialect != Dialect.SQLITE
        && dialect != Dialect.MYSQL) {
      return null;
    }
    TwoTableJoin join = TwoTableJoin.of(select, tokens);
    if (join == null || join.left() && join.hasWhere()) {
      return null; // conditions are not pushed below an outer join (TokenFilters); the scratch database answers
    }
    Side first = side(join.tables().get(0), env);
    Side second = side(join.tables().get(1), env);
    if (first == null || second == null || second.table.equalsIgnoreCase(first.table)) {
      return null;
    }
    Side[] sides = {first, second};
    for (TwoTableJoin.Column[] equal : join.on()) {
      int l = resolve(equal[0], sides);
      int r = resolve(equal[1], sides);
      if (l < 0 || r < 0 || l == r) {
        return null;
      }
      sides[l].keys.add(equal[0].column());
      sides[r].keys.add(equal[1].column());
    }
    // the select list: plain columns of either table
    List<TwoTableJoin.Item> items = join.items();
    int[] itemSide = new int[items.size()];
    int[] itemColumn = new int[items.size()];
    for (int k = 0; k < items.size(); k++) {
      TwoTableJoin.Item item = items.get(k);
      int s = resolve(item.column(), sides);
      if (s < 0) {
        return null;
      }
      sides[s].outputs.add(item.column().column() + (item.alias() == null ? "" : " AS " + item.alias()));
      itemSide[k] = s;
      itemColumn[k] = sides[s].outputs.size();
    }
    // WHERE: every conjunct pushed into one table's fragment
    if (join.hasWhere()) {
      Set<Integer> pushed = new HashSet<>();
      int conjuncts = -1;
      for (Side side : sides) {
        TokenFilters.Filter filter = new TokenFilters(tokens).find(side.table, side.rule, env::rule);
        if (filter != null) {
          pushed.addAll(filter.pushed());
          conjuncts = filter.conjuncts();
        }
      }
      if (conjuncts < 0 || pushed.size() != conjuncts) {
        return null;
      }
    }
    for (FragmentPlanner.Plan plan : new FragmentPlanner(select, tokens, env).plan()) {
      for (Side side : sides) {
        if (plan.table().equalsIgnoreCase(side.table)) {
          side.plan = plan;
        }
      }
    }
    if (first.plan == null || second.plan == null || join.hasWhere() && first.plan.where().isEmpty()
        && second.plan.where().isEmpty()) {
      return null;
    }
    return new HashJoin(sides, itemSide, itemColumn, join.onText(), join.left());
  }

  /** A table of the join: a table of the shards whose columns are known, named plainly (its name, its alias). */
  private static Side side(TwoTableJoin.Table table, Environment env) throws SQLException {
    if (!FragmentPlanner.safe(table.name())) {
      return null;
    }
    TableRule rule = env.rule(table.name());
    if (!rule.exists() || rule.columns().isEmpty()) {
      return null;
    }
    return new Side(table.name(), table.alias(), rule);
  }

  /**
   * The side (0, 1) a column reference means, or -1 when it is not a plainly named column of exactly one of them.
   */
  private static int resolve(TwoTableJoin.Column ref, Side[] sides) {
    if (!FragmentPlanner.safe(ref.column())) {
      return -1;
    }
    String column = ref.column().toLowerCase(Locale.ROOT);
    int found = -1;
    for (int s = 0; s < sides.length; s++) {
      if (ref.qualifier() != null && !ref.qualifier().equalsIgnoreCase(sides[s].qualifier())) {
        continue;
      }
      if (sides[s].rule.columns().contains(column)) {
        if (found >= 0) {
          return -1;
        }
        found = s;
      }
    }
    return found;
  }

  /** Thrown inside {@link #run} to abandon the hash join; never leaves it. */
  private static final class Abandon extends Exception {
    Abandon(String reason) {
      super(reason, null, false, false);
    }
  }

  /** The category of a join column: integers, or text compared character by character. */
  private enum KeyKind {
    INTEGER, TEXT
  }

  /** A side read into memory. */
  private static final class Loaded {
    SnapshotMetaData metadata;
    KeyKind[] kinds;
    long rows;
  }

  /**
   * Answers the join, or returns null (before any row is returned, with {@link #abandoned()} saying why) when it
   * cannot be answered exactly here.
   */
  DistributedQuery.Result run(Environment env, Statement owner) throws SQLException {
    abandoned = null;
    long budget = env.maxRows();
    long memory = env.memoryBytes();
    // the table with conditions of its own first (likely the smaller one): the hash table; else the second table
    // (LEFT JOIN: the second table, so that each row of the first is seen once, matched or not)
    int build = !left && !sides[0].plan.where().isEmpty() && sides[1].plan.where().isEmpty() ? 0 : 1;
    int probe = 1 - build;
    StringBuilder description = new StringBuilder("distributed query, hash join in the driver on ").append(on)
        .append('\n');
    List<String> shards = new ArrayList<>();
    List<String> shardSql = new ArrayList<>();
    long[] bytes = {0};
    try {
      // 1. the build side, into a hash table on its join columns
      Side b = sides[build];
      String sql = b.sql(b.plan.where(), budget + 1);
      long start = System.nanoTime();
      Map<Object, Object> table = new HashMap<>();
      Loaded built = new Loaded();
      Environment.Fragment fragment = env.run(sql, b.plan.params());
      try (ResultSet rs = fragment.rows()) {
        built.metadata = check(rs.getMetaData(), b, env, null);
        built.kinds = kinds;
        int n = b.outputs.size();
        int keys = b.keys.size();
        while (rs.next()) {
          if (++built.rows > budget) {
            throw DistributedQuery.tooManyRows(budget, 0, b.table);
          }
          Object key = key(rs, n, keys, kinds);
          if (key == null) {
            continue; // a NULL key matches nothing
          }
          Object[] row = values(rs, n, bytes);
          bytes[0] += 32;
          Object old = table.putIfAbsent(key, row);
          if (old != null) {
            List<Object[]> list;
            if (old instanceof Object[] one) {
              list = new ArrayList<>(2);
              list.add(one);
              table.put(key, list);
            } else {
              @SuppressWarnings("unchecked")
              List<Object[]> many = (List<Object[]>) old;
              list = many;
            }
            list.add(row);
          }
          if (bytes[0] > memory) {
            throw new Abandon("the rows of " + b.table + " pass crossShardMemoryMB");
          }
        }
      }
      describe(description, "build", sql, fragment, built.rows, start, shards, shardSql);
      // 2. the probe side, narrowed to the build side's keys when they are few integers (semi-join)
      Side p = sides[probe];
      String where = p.plan.where();
      List<?> pushed = left || b.keys.size() != 1 || built.rows > SemiJoin.MAX_SOURCE_ROWS
          || table.size() > SemiJoin.MAX_KEYS ? null : semiJoinKeys(table.keySet(), b, p, kinds[0], env);
      if (pushed != null) {
        String in = SemiJoin.condition(p.keys.get(0), pushed);
        where = where.isEmpty() ? in : where + " AND " + in;
        description.append("  semi-join: the ").append(pushed.size()).append(" distinct keys of ").append(b.table)
            .append('.').append(b.keys.get(0)).append(" sent to ").append(p.table).append(" as ")
            .append(p.keys.get(0)).append(" IN (...)\n");
      }
      KeyKind[] buildKinds = kinds;
      sql = p.sql(where, budget - built.rows + 1);
      start = System.nanoTime();
      fragment = env.run(sql, p.plan.params());
      long probed = 0;
      List<Object[]> out = new ArrayList<>();
      SnapshotMetaData metadata;
      int max = env.statementMaxRows();
      try (ResultSet rs = fragment.rows()) {
        SnapshotMetaData probeMetadata = check(rs.getMetaData(), p, env, buildKinds);
        SnapshotMetaData[] both = new SnapshotMetaData[2];
        both[build] = built.metadata;
        both[probe] = probeMetadata;
        metadata = SnapshotMetaData.pick(both, itemSide, itemColumn);
        if (left && env.dialect() == Dialect.MYSQL) { // MariaDB reports the second table's columns nullable
          boolean[] second = new boolean[itemSide.length];
          for (int k = 0; k < second.length; k++) {
            second[k] = itemSide[k] == 1;
          }
          metadata.nullable(second);
        }
        int n = p.outputs.size();
        int keys = p.keys.size();
        while (rs.next()) {
          if (built.rows + ++probed > budget) {
            throw DistributedQuery.tooManyRows(budget, built.rows, p.table);
          }
          Object key = key(rs, n, keys, kinds);
          Object match = key == null ? null : table.get(key);
          if (match == null) {
            if (left) { // the first table's row, with NULLs for the second's columns
              emit(out, build, null, values(rs, n, bytes), max, bytes);
            }
            continue;
          }
          Object[] row = values(rs, n, bytes);
          if (match instanceof Object[] one) {
            emit(out, build, one, row, max, bytes);
          } else {
            @SuppressWarnings("unchecked")
            List<Object[]> many = (List<Object[]>) match;
            for (Object[] one : many) {
              emit(out, build, one, row, max, bytes);
            }
          }
          if (bytes[0] > memory) {
            throw new Abandon("the joined rows pass crossShardMemoryMB");
          }
        }
      }
      describe(description, "probe", sql, fragment, probed, start, shards, shardSql);
      if (env.dialect() == Dialect.SQLITE) {
        metadata.classesBy(out.isEmpty() ? null : out.get(0)); // its driver names classes by the first row's values
      }
      description.append("  joined: ").append(out.size()).append(" rows");
      shards.add("hash join");
      shardSql.add(on + ": " + b.table + " (" + built.rows + " rows) held in the driver, " + p.table + " ("
          + probed + " rows) probed, " + out.size() + " rows joined");
      return new DistributedQuery.Result(new RowsResultSet(owner, metadata, out), description.toString(), shards,
          shardSql);
    } catch (Abandon e) {
      abandoned = e.getMessage();
      return null;
    }
  }

  private static void describe(StringBuilder description, String role, String sql, Environment.Fragment fragment,
      long rows, long start, List<String> shards, List<String> shardSql) {
    description.append("  fragment (").append(role).append(") ").append(sql).append("  -> ").append(fragment.shards())
        .append(", ").append(rows).append(" rows, ").append((System.nanoTime() - start) / 1_000_000).append(" ms\n");
    for (String s : fragment.shards()) {
      shards.add(s);
      shardSql.add(sql);
    }
  }

  /** Appends the joined row of a build row and a probe row, in the select list's order. */
  private void emit(List<Object[]> out, int build, Object[] built, Object[] probed, int max, long[] bytes) {
    if (max > 0 && out.size() >= max) {
      return;
    }
    Object[] row = new Object[itemSide.length];
    for (int k = 0; k < row.length; k++) {
      Object[] from = itemSide[k] == build ? built : probed;
      row[k] = from == null ? null : from[itemColumn[k] - 1];
    }
    bytes[0] += 16 + 8L * row.length;
    out.add(row);
  }

  /** The join columns' kinds of the side last checked. */
  private KeyKind[] kinds;
  /**
   * SQLite: which of the caller's columns of the side last checked are text (the others integers); each value must be
   * of its column's declared kind, as its driver types a column by the value it holds. Null elsewhere.
   */
  private boolean[] sqliteText;

  /**
   * Checks a fragment's columns: the caller's columns of types whose values the driver returns as the backend does,
   * the join columns integers or plain text (the same kinds as the other side's, {@code against}, when given).
   */
  private SnapshotMetaData check(ResultSetMetaData md, Side side, Environment env, KeyKind[] against)
      throws SQLException, Abandon {
    int n = side.outputs.size();
    boolean[] text = new boolean[n];
    Dialect dialect = env.dialect();
    for (int c = 1; c <= n; c++) {
      boolean fits = switch (md.getColumnType(c)) {
        case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> true;
        case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR -> {
          text[c - 1] = true;
          yield true;
        }
        // SQLite's driver types these by each row's value; PostgreSQL's money is text with a currency sign
        case Types.DECIMAL, Types.NUMERIC -> dialect != Dialect.SQLITE
            && !"money".equalsIgnoreCase(md.getColumnTypeName(c));
        // as text, drivers write floating-point numbers each their own way (1e+20, 1e20); H2 as Java does
        case Types.DOUBLE, Types.FLOAT, Types.REAL -> dialect == Dialect.H2;
        default -> false;
      };
      if (!fits) {
        throw new Abandon("column " + md.getColumnLabel(c) + " of " + side.table + " is of type "
            + md.getColumnTypeName(c));
      }
    }
    sqliteText = dialect == Dialect.SQLITE ? text : null;
    KeyKind[] result = new KeyKind[side.keys.size()];
    for (int j = 0; j < result.length; j++) {
      int c = n + j + 1;
      int type = md.getColumnType(c);
      if (type == Types.TINYINT || type == Types.SMALLINT || type == Types.INTEGER || type == Types.BIGINT) {
        result[j] = KeyKind.INTEGER;
      } else if (type == Types.VARCHAR && TextEquality.exact(env, side.table, side.keys.get(j))) {
        result[j] = KeyKind.TEXT;
      } else {
        throw new Abandon("join column " + side.table + "." + side.keys.get(j) + " is of type "
            + md.getColumnTypeName(c) + " (only integers, or text where equal text is equal characters)");
      }
      if (against != null && against[j] != result[j]) {
        throw new Abandon("the join columns of " + on + " are of different kinds");
      }
    }
    kinds = result;
    return SnapshotMetaData.of(md, n);
  }

  /**
   * The build side's distinct keys, sorted, to send to the probe side as an IN list: integer columns on both sides,
   * or text on both sides that compares character by character ({@link TextEquality}); null when not.
   */
  private static List<?> semiJoinKeys(java.util.Set<Object> keys, Side b, Side p, KeyKind kind, Environment env)
      throws SQLException {
    KeyType built = b.rule.typeOf(b.keys.get(0).toLowerCase(Locale.ROOT));
    KeyType probed = p.rule.typeOf(p.keys.get(0).toLowerCase(Locale.ROOT));
    if (kind == KeyKind.INTEGER && built == KeyType.INTEGER && probed == KeyType.INTEGER) {
      TreeSet<Long> sorted = new TreeSet<>();
      for (Object k : keys) {
        sorted.add((Long) k);
      }
      return new ArrayList<>(sorted);
    }
    if (kind == KeyKind.TEXT && built == KeyType.TEXT && probed == KeyType.TEXT
        && TextEquality.exact(env, p.table, p.keys.get(0))) {
      return SemiJoin.textKeys(keys);
    }
    return null;
  }

  /** The row's join key (a Long or String, a List of them for several columns), or null when one is NULL. */
  private static Object key(ResultSet rs, int n, int keys, KeyKind[] kinds) throws SQLException, Abandon {
    if (keys == 1) {
      return keyValue(rs.getObject(n + 1), kinds[0]);
    }
    List<Object> key = new ArrayList<>(keys);
    for (int j = 0; j < keys; j++) {
      Object v = keyValue(rs.getObject(n + j + 1), kinds[j]);
      if (v == null) {
        return null;
      }
      key.add(v);
    }
    return key;
  }

  private static Object keyValue(Object v, KeyKind kind) throws Abandon {
    if (v == null) {
      return null;
    }
    if (kind == KeyKind.INTEGER) {
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        return ((Number) v).longValue();
      }
    } else if (v instanceof String) {
      return v;
    }
    throw new Abandon("a join key of class " + v.getClass().getName() + " in a column of " + kind + " keys");
  }

  /** The caller's columns of the current row, checked to be values the driver returns as the backend does. */
  private Object[] values(ResultSet rs, int n, long[] bytes) throws SQLException, Abandon {
    Object[] row = new Object[n];
    for (int c = 0; c < n; c++) {
      Object v = rs.getObject(c + 1);
      if (sqliteText != null && v != null && (sqliteText[c] ? !(v instanceof String)
          : !(v instanceof Integer || v instanceof Long))) {
        throw new Abandon("a value of class " + v.getClass().getName() + " in a column of SQLite "
            + (sqliteText[c] ? "text" : "integers"));
      }
      if (v != null && !(v instanceof Integer || v instanceof Long || v instanceof String || v instanceof Short
          || v instanceof Byte || v instanceof BigDecimal || v instanceof Double || v instanceof Float
          || v instanceof BigInteger)) {
        throw new Abandon("a value of class " + v.getClass().getName());
      }
      row[c] = v;
      bytes[0] += v == null ? 8 : Scratch.size(v);
    }
    return row;
  }
}
