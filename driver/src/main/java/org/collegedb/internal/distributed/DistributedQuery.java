package org.collegedb.internal.distributed;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.collegedb.SqlStates;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.merge.ForwardingResultSet;
import org.collegedb.parse.ColumnRef;
import org.collegedb.parse.Condition;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TableRef;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.schema.Dialect;

/**
 * The distributed path for a SELECT that cannot run shard by shard (a join off the shard keys, a derived table, a
 * CTE, a window over rows of several shards, INTERSECT/EXCEPT, any aggregate, correlated subqueries, any HAVING):
 * the way Citus answers what it cannot push down.
 *
 * <ol>
 *   <li>For each table the query reads, a <em>fragment</em> runs through CollegeDB's own routing: the columns the
 *   query can use, with the conditions that apply to that table alone (so a pinned key reads one shard and an IN list
 *   only its owners).</li>
 *   <li>The fragments' rows are loaded into a <em>scratch database of the shards' own product</em> ({@link Scratch}),
 *   under the tables' own names, with the shards' column types; columns the query joins on are indexed.</li>
 *   <li>The caller's statement runs there <em>unchanged</em>, with the caller's parameters bound as the caller bound
 *   them: the backend itself computes the answer, with its own semantics (type affinity, integer division, NULL
 *   ordering, collations, functions).</li>
 * </ol>
 *
 * A plain inner equi-join of two tables skips the scratch database where that is exact: {@link HashJoin} joins the
 * two fragments in the driver (and gives up, before returning a row, for the steps above when it cannot). An
 * aggregate over a derived table of one table is answered from partial aggregates ({@link PartialAggregate}).
 *
 * <p>At most {@link Environment#maxRows()} rows are fetched per query; past that the query fails with SQLState 54000
 * naming the setting. {@link Result#description()} says what ran where.
 */
public final class DistributedQuery {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DistributedQuery.class);

  /** The setting that bounds the rows fetched. */
  public static final String MAX_ROWS_SETTING = "crossShardMaxRows";

  private DistributedQuery() {
  }

  /** The answer (read it, then close it: that drops the scratch database) and what ran where. */
  public record Result(ResultSet rows, String description, List<String> shards, List<String> shardSql) {
  }

  /**
   * Answers {@code select} (the caller's text in {@code tokens}, its parameters in {@code params}).
   *
   * @param owner the statement the result belongs to ({@link ResultSet#getStatement()})
   */
  public static Result run(ParsedStatement.Select select, Tokens tokens, Bindings.Parameters params,
      Environment env, Statement owner) throws SQLException {
    requireUnqualifiedTables(select, tokens, env.dialect());
    PartialAggregate partial = PartialAggregate.of(select, tokens, env);
    if (partial != null) {
      Result result = partial.run(params, env, owner);
      if (result != null) {
        return result;
      }
    }
    String abandoned = null;
    HashJoin hashJoin = HashJoin.of(select, tokens, env);
    if (hashJoin != null) {
      Result result = hashJoin.run(env, owner);
      if (result != null) {
        LOG.debug("{}", result.description());
        return result;
      }
      abandoned = hashJoin.abandoned();
    }
    List<FragmentPlanner.Plan> plans = new ArrayList<>(new FragmentPlanner(select, tokens, env).plan());
    Map<String, Integer> occurrences = new LinkedHashMap<>();
    for (FragmentPlanner.Plan plan : plans) {
      occurrences.put(plan.table().toLowerCase(Locale.ROOT), plan.occurrences());
    }
    SemiJoin semiJoin = SemiJoin.of(select, tokens, env, occurrences);
    // tables with conditions of their own first: likely the small side, whose keys can narrow the others
    plans.sort(java.util.Comparator.comparingInt(p -> p.where().isEmpty() ? 1 : 0));
    Scratch scratch = Scratch.open(env);
    try {
      long budget = env.maxRows();
      long moved = 0;
      StringBuilder description = new StringBuilder("distributed query, scratch database: ")
          .append(scratch.description()).append('\n');
      if (abandoned != null) {
        description.append("  hash join abandoned (").append(abandoned).append("): the tables are loaded instead\n");
      }
      List<String> shards = new ArrayList<>();
      List<String> shardSql = new ArrayList<>();
      Map<String, String> targets = new LinkedHashMap<>();
      Map<String, List<String>> loaded = new LinkedHashMap<>();
      Map<String, Long> counts = new LinkedHashMap<>();
      for (FragmentPlanner.Plan planned : plans) {
        FragmentPlanner.Plan plan = planned;
        for (SemiJoin.Edge edge : semiJoin.into(plan.table().toLowerCase(Locale.ROOT))) {
          String column = loadedColumn(loaded.get(edge.from()), edge.fromColumn());
          if (column == null || counts.get(edge.from()) > SemiJoin.MAX_SOURCE_ROWS) {
            continue;
          }
          List<?> keys = scratch.distinctKeys(targets.get(edge.from()), column, SemiJoin.MAX_KEYS, edge.text());
          if (keys != null) {
            plan = plan.and(SemiJoin.condition(edge.toColumn(), keys));
            description.append("  semi-join: the ").append(keys.size()).append(" distinct keys of ")
                .append(edge.from()).append('.').append(edge.fromColumn()).append(" sent to ").append(edge.to())
                .append(" as ").append(edge.toColumn()).append(" IN (...)\n");
          }
        }
        String sql = plan.sql(budget - moved + 1);
        long start = System.nanoTime();
        Environment.Fragment fragment = env.run(sql, plan.params());
        long rows;
        try (ResultSet rs = fragment.rows()) {
          ResultSetMetaData md = rs.getMetaData();
          String target = scratch.create(plan.table(), md, env.catalog());
          long already = moved;
          String table = plan.table();
          rows = scratch.load(target, rs, budget - moved, () -> {
            throw tooManyRows(budget, already, table);
          });
          scratch.loaded(target);
          targets.put(plan.table().toLowerCase(Locale.ROOT), target);
          loaded.put(plan.table().toLowerCase(Locale.ROOT), columnNames(md));
        }
        moved += rows;
        counts.put(plan.table().toLowerCase(Locale.ROOT), rows);
        description.append("  fragment ").append(sql).append("  -> ").append(fragment.shards()).append(", ")
            .append(rows).append(" rows, ").append((System.nanoTime() - start) / 1_000_000).append(" ms\n");
        for (String s : fragment.shards()) {
          shards.add(s);
          shardSql.add(sql);
        }
      }
      if (!description.toString().startsWith("distributed query, scratch database: " + scratch.description())) {
        description.append("  spilled: the scratch database is now ").append(scratch.description()).append('\n');
      }
      long start = System.nanoTime();
      index(select, scratch, targets, loaded, counts);
      scratch.commit();
      description.append("  indexes: ").append((System.nanoTime() - start) / 1_000_000).append(" ms\n");
      description.append("  then on the scratch database: ").append(tokens.sql());
      shards.add("scratch");
      shardSql.add(tokens.sql());
      return answer(scratch, tokens.sql(), ps -> bind(ps, tokens, params), env, owner, description, shards, shardSql);
    } catch (SQLException | RuntimeException e) {
      try {
        scratch.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  static SQLException tooManyRows(long budget, long before, String table) {
    return new SQLException("a query across shards that cannot run shard by shard needs more than " + budget
        + " rows fetched from the shards (" + before + " before table '" + table + "'), the limit set by '"
        + MAX_ROWS_SETTING + "'. Narrow the query (a condition on the tables' own columns, a shard key), or raise '"
        + MAX_ROWS_SETTING + "'", SqlStates.LIMIT_EXCEEDED);
  }

  /** The name a column was loaded under ({@code columns} as loaded), or null when it was not loaded. */
  private static String loadedColumn(List<String> columns, String column) {
    if (columns != null) {
      for (String c : columns) {
        if (c.equalsIgnoreCase(column)) {
          return c;
        }
      }
    }
    return null;
  }

  private static List<String> columnNames(ResultSetMetaData md) throws SQLException {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      names.add(md.getColumnName(i));
    }
    return names;
  }

  /** Binds the caller's parameters to the scratch statement exactly as the caller set them. */
  private static void bind(PreparedStatement ps, Tokens tokens, Bindings.Parameters params) throws SQLException {
    int count = tokens.paramCount();
    if (count == 0) {
      return;
    }
    if (params instanceof ParameterStore store) {
      store.bind(ps, null, count);
    } else {
      for (int i = 1; i <= count; i++) {
        ps.setObject(i, params.value(i));
      }
    }
  }

  /**
   * Temporary tables hide a shard's tables only where the statement names them unqualified: {@code public.users}
   * would read the real table of one shard.
   */
  private static void requireUnqualifiedTables(ParsedStatement.Select select, Tokens tokens, Dialect dialect)
      throws SQLException {
    if (dialect != Dialect.POSTGRES && dialect != Dialect.MYSQL) {
      return;
    }
    Set<String> names = new LinkedHashSet<>();
    Set<String> qualifiers = new LinkedHashSet<>();
    for (TableRef t : select.tables()) {
      names.add(t.name().toLowerCase(Locale.ROOT));
      qualifiers.add(t.name().toLowerCase(Locale.ROOT));
      if (t.alias() != null) {
        qualifiers.add(t.alias().toLowerCase(Locale.ROOT));
      }
    }
    for (int i = 2; i < tokens.size(); i++) {
      if ((tokens.type(i) == TokenType.WORD || tokens.type(i) == TokenType.QUOTED_ID)
          && names.contains(unquote(tokens, i)) && tokens.isSymbol(i - 1, ".")
          && (tokens.type(i - 2) == TokenType.WORD || tokens.type(i - 2) == TokenType.QUOTED_ID)
          && !qualifiers.contains(unquote(tokens, i - 2))) {
        throw new java.sql.SQLFeatureNotSupportedException("the table '" + tokens.text(i) + "' is named with "
            + "its schema ('" + tokens.text(i - 2) + "'): a query across shards that cannot run shard by shard is "
            + "answered over temporary copies of its tables, which only unqualified names reach. Name the table "
            + "without its schema", SqlStates.NOT_SUPPORTED);
      }
    }
  }

  private static String unquote(Tokens tokens, int i) {
    String text = tokens.text(i);
    if (tokens.type(i) == TokenType.QUOTED_ID) {
      text = text.substring(1, text.length() - 1);
    }
    return text.toLowerCase(Locale.ROOT);
  }

  /**
   * Indexes loaded columns the query joins or correlates on with an equality: one side of each equality, the
   * larger table's (the other is scanned), and the inner side of a correlation. Building an index costs about as much
   * as loading the column, so each equality gets one; when both tables are small (at most {@value #SMALL_TABLE}
   * rows) both sides get one, so that the scratch database's planner can start a join of many tables from any of
   * them (a chain of 10 to 64 small tables joined {@code a1 = b2 AND a2 = b3 ...}: with one side indexed, H2 chose
   * orders that ran for minutes where one database with its primary keys took milliseconds).
   */
  private static void index(ParsedStatement.Select select, Scratch scratch, Map<String, String> targets,
      Map<String, List<String>> columns, Map<String, Long> counts) throws SQLException {
    List<ColumnRef[]> pairs = new ArrayList<>();
    equalities(select.where(), pairs);
    for (Condition j : select.joins()) {
      equalities(j, pairs);
    }
    for (ParsedStatement.Block b : select.blocks()) {
      equalities(b.where(), pairs);
      for (ParsedStatement.Correlation c : b.correlations()) {
        pairs.add(new ColumnRef[] {c.inner()});
      }
    }
    Set<String> done = new LinkedHashSet<>();
    for (ColumnRef[] pair : pairs) {
      String[] best = null;
      long bestRows = -1;
      List<String[]> small = new ArrayList<>();
      for (ColumnRef ref : pair) {
        String[] found = resolve(ref, columns);
        if (found != null && counts.get(found[0]) <= SMALL_TABLE) {
          small.add(found);
        }
        if (found != null && counts.get(found[0]) > bestRows) {
          best = found;
          bestRows = counts.get(found[0]);
        }
      }
      List<String[]> chosen = small;
      if (small.size() < pair.length) { // a large table: index the larger side only
        chosen = best == null ? List.of() : List.<String[]>of(best);
      }
      for (String[] c : chosen) {
        if (done.size() < MAX_INDEXES && done.add(c[0] + "." + c[1].toLowerCase(Locale.ROOT))) {
          scratch.index(targets.get(c[0]), c[1]);
        }
      }
    }
  }

  /** The loaded table and column (as loaded) a reference names, when exactly one loaded table has it. */
  private static String[] resolve(ColumnRef ref, Map<String, List<String>> columns) {
    String[] found = null;
    for (Map.Entry<String, List<String>> t : columns.entrySet()) {
      if (ref.table() != null && !ref.table().equalsIgnoreCase(t.getKey())) {
        continue;
      }
      for (String c : t.getValue()) {
        if (c.equalsIgnoreCase(ref.column())) {
          if (found != null) {
            return null;
          }
          found = new String[] {t.getKey(), c};
        }
      }
    }
    return found;
  }

  private static void equalities(Condition c, List<ColumnRef[]> out) {
    if (c instanceof Condition.ColumnsEqual eq) {
      out.add(new ColumnRef[] {eq.left(), eq.right()});
    } else if (c instanceof Condition.And and) {
      for (Condition t : and.terms()) {
        equalities(t, out);
      }
    } else if (c instanceof Condition.Or or) {
      for (Condition t : or.terms()) {
        equalities(t, out);
      }
    }
  }

  /** The scratch database's answer; closing it drops the scratch database (or its temporary tables). */
  static final class Answer extends ForwardingResultSet {
    private final ResultSet rows;
    private final Statement statement;
    private final Scratch scratch;
    private final Statement owner;
    private boolean closed;

    Answer(ResultSet rows, Statement statement, Scratch scratch, Statement owner) {
      this.rows = rows;
      this.statement = statement;
      this.scratch = scratch;
      this.owner = owner;
    }

    @Override
    protected ResultSet delegate() {
      return rows;
    }

    @Override
    public Statement getStatement() {
      return owner;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public void close() throws SQLException {
      if (closed) {
        return;
      }
      closed = true;
      try (scratch; statement; rows) {
        // closes the answer, its statement and the scratch database, in that order
      }
    }
  }

  /** Binds a statement's parameters. */
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Tables of at most this many loaded rows get an index on both sides of their join equalities. */
  private static final long SMALL_TABLE = 10_000;
  /** At most this many indexes per query on the scratch database. */
  private static final int MAX_INDEXES = 128;

  /** Runs the remaining SQL on the scratch database: the answer, which closes the scratch when it is closed. */
  static Result answer(Scratch scratch, String sql, Binder binder, Environment env, Statement owner,
      StringBuilder description, List<String> shards, List<String> shardSql) throws SQLException {
    PreparedStatement ps = scratch.connection.prepareStatement(sql);
    ResultSet answer;
    try {
      binder.bind(ps);
      if (env.statementMaxRows() > 0) {
        ps.setMaxRows(env.statementMaxRows());
      }
      if (env.queryTimeoutSeconds() > 0) {
        ps.setQueryTimeout(env.queryTimeoutSeconds());
      }
      answer = ps.executeQuery();
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
    LOG.debug("{}", description);
    return new Result(new Answer(answer, ps, scratch, owner), description.toString(), shards, shardSql);
  }
}
