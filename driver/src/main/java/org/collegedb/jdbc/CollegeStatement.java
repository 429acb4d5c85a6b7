package org.collegedb.jdbc;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.collegedb.SelfWrapper;
import org.collegedb.SqlStates;
import org.collegedb.merge.Merge;
import org.collegedb.merge.MergePlan;
import org.collegedb.merge.MergePlanner;
import org.collegedb.merge.ShardResultSet;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.rewrite.Edits;
import org.collegedb.rewrite.ShardSql;
import org.collegedb.route.Bindings;
import org.collegedb.route.Route;

/**
 * A statement on a sharded database. Each execution is analysed (or found in the plan cache), routed, run on its
 * shards and its results combined; what cannot be answered exactly is refused with SQLState 0A000 before any shard
 * is touched.
 */
public class CollegeStatement implements Statement, SelfWrapper {
  final CollegeConnection connection;
  final Cluster cluster;
  private final int holdability;
  private final Statement[] plain;
  private final AtomicReferenceArray<Statement> running; // per shard, what runs there now: for cancel()
  private boolean closed;
  private boolean closeOnCompletion;
  private boolean poolable;
  int maxRows;
  int fetchSize;
  int queryTimeout;
  private ResultSet result;
  private long updateCount = -1;
  private ResultSet generatedKeys;
  private SQLWarning warnings;
  private List<String> batch;
  /** Whether a BEGIN statement (not setAutoCommit) opened the transaction: COMMIT then ends it. */
  private boolean sqlTransaction;

  CollegeStatement(CollegeConnection connection, int holdability) {
    this.connection = connection;
    this.cluster = connection.cluster();
    this.holdability = holdability;
    this.plain = new Statement[connection.shards().size()];
    this.running = new AtomicReferenceArray<>(connection.shards().size());
    connection.opened(this);
  }

  // ---------------------------------------------------------------- execution

  /** Runs one analysed statement with its values. */
  final void run(Tokens tokens, ParsedStatement plan, Bindings.Parameters params, GeneratedKeysRequest keys)
      throws SQLException {
    checkOpen();
    closeResults();
    Bindings bindings = new Bindings(tokens, params, cluster.backslashEscapes());
    try { // distributed path: a SELECT refused with 0A000 is answered by DistributedReads
    try {
      dispatch(tokens, plan, params, keys, bindings);
    } catch (org.collegedb.route.ShardRouter.SubqueryAcrossShards refused) {
      List<ParsedStatement.Block> blocks = plan instanceof ParsedStatement.Select s ? s.blocks()
          : plan instanceof ParsedStatement.Update u ? u.blocks()
          : plan instanceof ParsedStatement.Delete d ? d.blocks() : List.of();
      Rewritten rewritten = new SubqueryMaterializer(connection).materialize(blocks, tokens,
          params);
      if (rewritten == null) {
        throw refused;
      }
      runRewritten(rewritten, keys);
    }
    } catch (SQLFeatureNotSupportedException refused) {
      if (!DistributedReads.answer(this, tokens, plan, params, refused)) {
        throw refused;
      }
    }
  }

  /**
   * Below this much work over all its shards, a statement runs on the shards one after the other on the caller's
   * thread: handing shards to other threads costs more than it saves (in-memory and embedded shards, small reads).
   */
  static final long INLINE_FAN_OUT_NANOS = 150_000;
  /** The work, summed over shards, of this statement's last fan-out; -1 before the first (which runs in parallel). */
  private long fanOutWork = -1;

  /** The last merge plan that depends on no parameter, and the text it is for. */
  private MergePlan mergePlan;
  private Tokens mergePlanTokens;
  /** The last text spliced for every shard alike, and what it was spliced from. */
  private ShardSql sharedText;
  private Edits sharedTextEdits;
  private Tokens sharedTextTokens;

  /** The statement whose results this one shows, when CollegeDB rewrote the caller's statement. */
  private CollegeStatement rewrittenStatement;

  /** Runs a statement CollegeDB rewrote (subqueries answered), taking over its results. */
  private void runRewritten(Rewritten rewritten, GeneratedKeysRequest keys)
      throws SQLException {
    CollegePreparedStatement inner = new CollegePreparedStatement(connection, rewritten.sql(), keys, holdability);
    try {
      inner.maxRows = maxRows;
      inner.fetchSize = fetchSize;
      inner.queryTimeout = queryTimeout;
      inner.runWith(rewritten.params());
      ResultSet rows = inner.getResultSet();
      if (rows != null) {
        setResult(rows);
        rewrittenStatement = inner;
        inner = null; // closes with this statement's results
      } else {
        setUpdateCount(inner.getLargeUpdateCount());
      }
    } finally {
      if (inner != null) {
        inner.close();
      }
    }
  }

  private void dispatch(Tokens tokens, ParsedStatement plan, Bindings.Parameters params,
      GeneratedKeysRequest keys, Bindings bindings) throws SQLException {
    connection.checkWritable(plan);
    if (plan instanceof ParsedStatement.Select select && select.tables().isEmpty()
        && (result = connection.lastInsertIds().answer(tokens.sql())) != null) {
      return;
    }
    if (plan instanceof ParsedStatement.Select select) {
      Route route;
      try {
        route = connection.router().routeSelect(select, bindings);
      } catch (org.collegedb.route.ShardRouter.SetOperationAcrossShards e) {
        if (select.setQuery() == null) {
          throw e;
        }
        setResult(new SetQueryExecutor(connection, cluster).run(select.setQuery(), bindings, this, maxRows));
        return;
      }
      query(route, tokens, select, bindings);
      if (!route.cacheUsed().isEmpty() && DirectoryWrites.foundNothing(this, route)) {
        Route fresh = connection.router().routeSelect(select, bindings); // the directory, not the cache
        if (!Arrays.equals(fresh.shards(), route.shards())) {
          closeResults();
          query(fresh, tokens, select, bindings);
        }
      }
    } else if (plan instanceof ParsedStatement.Insert insert) {
      if (insert.source() != null) {
        new InsertSelect(this).run(insert, tokens, params);
      } else if (!new DirectoryWrites(this).insert(insert, tokens, params, keys)) {
        write(connection.router().routeInsert(insert, bindings), tokens, keys);
      }
    } else if (plan instanceof ParsedStatement.Update update) {
      try {
        if (!new DirectoryWrites(this).update(update, tokens, params, keys)) {
          write(connection.router().routeUpdate(update, bindings), tokens, keys);
        }
      } catch (org.collegedb.route.ShardRouter.KeyMayChange mayChange) {
        runRewritten(new KeyGuard(connection).guard(update, mayChange.assignment(), tokens, params, mayChange),
            keys);
      }
    } else if (plan instanceof ParsedStatement.Delete delete) {
      if (!new DirectoryWrites(this).delete(delete, tokens, params, keys)) {
        write(connection.router().routeDelete(delete, bindings), tokens, keys);
      }
    } else if (plan instanceof ParsedStatement.Ddl ddl) {
      ddl(ddl, tokens);
    } else if (plan instanceof ParsedStatement.Control control) {
      control(control, tokens);
    } else if (plan instanceof ParsedStatement.Unparsed unparsed) {
      unparsed(unparsed, tokens);
    }
  }

  private void query(Route route, Tokens tokens, ParsedStatement.Select select, Bindings bindings)
      throws SQLException {
    if (select.forUpdate()) {
      route = LockingReads.route(route, select, connection.router());
      if (route.kind() == Route.Kind.BROADCAST_LOCK) {
        result = new ShardResultSet(this, List.of(LockingReads.firstOf(onShards(route, tokens, Executed::rows))),
            maxRows);
        return;
      }
    }
    if (route.single()) {
      result = new ShardResultSet(this, onShards(route, tokens, Executed::rows), maxRows);
    } else {
      MergePlan plan = tokens == mergePlanTokens ? mergePlan : null;
    if (plan == null) {
      plan = MergePlanner.plan(select, bindings, cluster.dialect(),
          select.has(ParsedStatement.Feature.GROUP_BY) && connection.router().groupsStayOnOneShard(select));
      if (plan.reusable()) { // the same text (a prepared statement) gets the same plan: keep it
        mergePlan = plan;
        mergePlanTokens = tokens;
      }
    }
      List<ResultSet> parts = onShards(route, tokens, plan.edits(), Executed::rows);
      result = Merge.of(plan, parts, this, maxRows, cluster.dialect(), cluster.foreignCollation(), select.shape(),
          bindings);
    }
    if (readsCatalog(select)) {
      result = CatalogReads.hidingInternal(result);
    }
  }

  /** The last query asked whether it reads the databases' catalogs, and the answer (one per prepared text). */
  private ParsedStatement.Select catalogChecked;
  private boolean catalogAnswer;

  private boolean readsCatalog(ParsedStatement.Select select) throws SQLException {
    if (select != catalogChecked) {
      catalogAnswer = CatalogReads.reads(select, connection.router());
      catalogChecked = select;
    }
    return catalogAnswer;
  }

  /** Runs a write on its shards; a write spanning shards in auto-commit mode is one local transaction per shard. */
  void write(Route route, Tokens tokens, GeneratedKeysRequest keys) throws SQLException {
    boolean detach = !route.single(); // a shard's open cursor must not hold up its commit (SQLite refuses it)
    List<Outcome> outcomes = connection.shards().atomically(route.shards(),
        () -> onShards(route, tokens, e -> detach ? Outcome.of(e, keys.wanted()).detached()
            : Outcome.of(e, keys.wanted())));
    combine(route, outcomes);
  }

  void combine(Route route, List<Outcome> outcomes) throws SQLException {
    if (outcomes.get(0).rows() != null) { // RETURNING
      List<ResultSet> parts = new ArrayList<>();
      for (Outcome o : outcomes) {
        if (route.kind() == Route.Kind.BROADCAST_WRITE && !parts.isEmpty()) {
          o.close(); // every shard changed the same rows: return them once
        } else {
          parts.add(o.rows());
        }
      }
      result = new ShardResultSet(this, parts, maxRows);
      return;
    }
    long count = 0;
    if (route.kind() == Route.Kind.BROADCAST_WRITE) {
      count = outcomes.get(0).count();
      for (Outcome o : outcomes) {
        if (o.count() != count) {
          addWarning(new SQLWarning("a broadcast table differs between shards: the write changed "
              + outcomes.stream().map(Outcome::count).toList() + " rows on shards "
              + Arrays.toString(route.shards())));
          break;
        }
      }
    } else {
      for (Outcome o : outcomes) {
        count += Math.max(0, o.count());
      }
    }
    updateCount = count;
    List<ResultSet> keyParts = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o.keys() != null) {
        if (route.kind() == Route.Kind.BROADCAST_WRITE && !keyParts.isEmpty()) {
          o.keys().close(); // the same rows on every shard: their keys once
        } else {
          keyParts.add(o.keys());
        }
      }
    }
    if (!keyParts.isEmpty()) {
      generatedKeys = new ShardResultSet(this, keyParts, 0);
    }
  }

  private void ddl(ParsedStatement.Ddl ddl, Tokens tokens) throws SQLException {
    Route route = connection.router().everywhere(Route.Kind.DDL);
    try {
      connection.shards().atomically(route.shards(), () -> onShards(route, tokens, e -> null));
    } finally {
      cluster.catalog().invalidate(ddl.table());
    }
    updateCount = 0;
  }

  private void control(ParsedStatement.Control control, Tokens tokens) throws SQLException {
    switch (control.kind()) {
      case BEGIN -> {
        connection.setAutoCommit(false);
        sqlTransaction = true;
        recordLocal(tokens);
        updateCount = 0;
      }
      case COMMIT, ROLLBACK -> {
        if (!connection.getAutoCommit()) {
          if (control.kind() == ParsedStatement.ControlKind.COMMIT) {
            connection.commit();
          } else {
            connection.rollback();
          }
          if (sqlTransaction) {
            connection.setAutoCommit(true);
            sqlTransaction = false;
          }
        }
        recordLocal(tokens);
        updateCount = 0;
      }
      case SAVEPOINT, RELEASE_SAVEPOINT, ROLLBACK_TO_SAVEPOINT -> {
        if (connection.getAutoCommit()) {
          throw new SQLException("savepoints need a transaction", "25000");
        }
        Route route = connection.router().everywhere(Route.Kind.DDL);
        onShards(route, tokens, e -> null);
        updateCount = 0;
      }
      case SESSION, MAINTENANCE -> {
        Route route = connection.router().everywhere(Route.Kind.DDL);
        List<ResultSet> rows = onShards(route, tokens, Executed::rowsOrNull);
        if (rows.get(0) != null) {
          result = new ShardResultSet(this, List.of(rows.get(0)), maxRows);
        } else {
          updateCount = 0;
        }
      }
      case INFO -> {
        List<ResultSet> rows = onShards(Route.to(Route.Kind.READ, 0), tokens, Executed::rowsOrNull);
        if (rows.get(0) != null) {
          result = new ShardResultSet(this, rows, maxRows);
        } else {
          updateCount = 0;
        }
      }
      default -> throw new IllegalStateException(control.kind().toString());
    }
  }

  private void recordLocal(Tokens tokens) {
    connection.recordExecution(new ExecutionInfo(tokens.sql(), List.of(), List.of()));
  }

  private void unparsed(ParsedStatement.Unparsed unparsed, Tokens tokens) throws SQLException {
    if (unparsed.kind() == ParsedStatement.StatementKind.SELECT && cluster.config().unparsedReadsToAllShards()) {
      Route route = connection.router().everywhere(Route.Kind.READ);
      List<ResultSet> parts = onShards(route, tokens, Executed::rows);
      result = new ShardResultSet(this, parts, maxRows);
      return;
    }
    String advice = unparsed.kind() == ParsedStatement.StatementKind.SELECT
        ? " Reads CollegeDB cannot parse can be sent to every shard with 'unparsedReads=all-shards'."
        : " A write must be parsed: CollegeDB will not guess where its rows belong.";
    throw new SQLSyntaxErrorException("CollegeDB cannot parse this statement, so it cannot tell which shards it "
        + "touches: " + unparsed.reason() + "." + advice, SqlStates.SYNTAX);
  }

  /** What one shard's statement produced. */
  record Outcome(ResultSet rows, long count, ResultSet keys) implements AutoCloseable {
    static Outcome of(Executed executed, boolean wantKeys) throws SQLException {
      Statement st = executed.statement();
      if (executed.hasResult()) {
        return new Outcome(st.getResultSet(), -1, null);
      }
      long count;
      try {
        count = st.getLargeUpdateCount();
      } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
        count = st.getUpdateCount();
      }
      return new Outcome(null, count, wantKeys ? st.getGeneratedKeys() : null);
    }

    /** The same outcome with its rows read into memory and the shard's cursors closed. */
    Outcome detached() throws SQLException {
      return new Outcome(inMemory(rows), count, inMemory(keys));
    }

    private static ResultSet inMemory(ResultSet rs) throws SQLException {
      if (rs == null) {
        return null;
      }
      try (rs) {
        javax.sql.rowset.CachedRowSet copy = javax.sql.rowset.RowSetProvider.newFactory().createCachedRowSet();
        copy.populate(rs);
        return copy;
      }
    }

    @Override
    public void close() throws SQLException {
      if (rows != null) {
        rows.close();
      }
      if (keys != null) {
        keys.close();
      }
    }
  }

  /** A shard's statement right after it ran, and whether its first result is a result set. */
  record Executed(Statement statement, boolean hasResult) {
    ResultSet rows() throws SQLException {
      if (!hasResult) {
        throw new SQLException("the statement did not return a result set", SqlStates.GENERAL);
      }
      return statement.getResultSet();
    }

    ResultSet rowsOrNull() throws SQLException {
      return hasResult ? statement.getResultSet() : null;
    }
  }

  /** Reads what a shard's statement produced, right after it ran. */
  @FunctionalInterface
  interface Collector<T> {
    T collect(Executed executed) throws SQLException;
  }

  /**
   * Runs the route: joins its shards to the transaction, runs each shard's text (in parallel when there are several)
   * and collects each shard's outcome, in route order.
   */
  final <T> List<T> onShards(Route route, Tokens tokens, Collector<T> collector) throws SQLException {
    return onShards(route, tokens, null, collector);
  }

  /** Runs the route with {@code common} edits (for every shard, may be null) spliced into each shard's text. */
  final <T> List<T> onShards(Route route, Tokens tokens, Edits common, Collector<T> collector) throws SQLException {
    int[] shards = route.shards();
    for (int s : shards) {
      connection.shards().use(s);
    }
    connection.recordExecution(null);
    List<T> out;
    ShardSql[] texts = new ShardSql[shards.length];
    boolean shared = true; // the same text for every shard: splice it once
    for (int i = 0; i < shards.length && shared; i++) {
      shared = route.unchanged(i);
    }
    if (shared && common != null && common == sharedTextEdits && tokens == sharedTextTokens) {
      Arrays.fill(texts, sharedText); // a kept merge plan's edits on the same text: the same text again
    } else {
      for (int i = 0; i < shards.length; i++) {
        texts[i] = shared && i > 0 ? texts[0] : route.sql(i, tokens, common);
      }
      if (shared && common != null) {
        sharedText = texts[0];
        sharedTextEdits = common;
        sharedTextTokens = tokens;
      }
    }
    if (shards.length == 1) {
      ShardSql sql = texts[0];
      try {
        Executed e = executeOn(shards[0], sql == null ? tokens.sql() : sql.sql(), sql == null ? null : sql.params());
        out = java.util.Collections.singletonList(collector.collect(e));
      } catch (SQLException e) {
        throw org.collegedb.execute.ShardErrors.named(e, connection.shards().name(shards[0]));
      }
    } else {
      long[] work = new long[shards.length];
      org.collegedb.execute.ShardExecutor.ShardTask<T> task = (position, shard) -> {
        long start = System.nanoTime();
        ShardSql sql = texts[position];
        try {
          return collector.collect(executeOn(shard, sql == null ? tokens.sql() : sql.sql(),
              sql == null ? null : sql.params()));
        } finally {
          work[position] = System.nanoTime() - start;
        }
      };
      boolean inline = route.ordered() || fanOutWork >= 0 && fanOutWork < INLINE_FAN_OUT_NANOS;
      out = inline ? cluster.executor().inOrder(shards, task, connection.shards()::name)
          : cluster.executor().onEach(shards, task, connection.shards()::name);
      long total = 0;
      for (long w : work) {
        total += w;
      }
      fanOutWork = total;
    }
    connection.recordExecution(route, tokens, texts);
    return out;
  }

  /**
   * Runs {@code sql} on one shard and returns the physical statement holding its outcome. A plain statement keeps
   * one physical statement per shard; a prepared statement overrides this to bind its parameters.
   *
   * @param params the caller's parameter index for each {@code ?} of {@code sql}, or null for all in order
   */
  Executed executeOn(int shard, String sql, int[] params) throws SQLException {
    Statement st = plain[shard];
    if (st == null) {
      st = connection.shards().raw(shard).createStatement();
      configure(st);
      plain[shard] = st;
    }
    track(shard, st);
    try {
      return new Executed(st, keysRequest.execute(st, sql));
    } finally {
      untrack(shard);
    }
  }

  /** Applies this statement's settings to a shard's statement. */
  void configure(Statement st) throws SQLException {
    if (maxRows > 0) {
      st.setMaxRows(maxRows);
    }
    if (fetchSize > 0) {
      st.setFetchSize(fetchSize);
    }
    if (queryTimeout > 0) {
      st.setQueryTimeout(queryTimeout);
    }
  }

  /** Marks {@code st} as running on {@code shard} until {@link #untrack}, for {@link #cancel()}. */
  void track(int shard, Statement st) {
    running.setRelease(shard, st); // no fence on the hot path: cancel() is racy by nature
  }

  void untrack(int shard) {
    running.setRelease(shard, null);
  }

  GeneratedKeysRequest keysRequest = GeneratedKeysRequest.NONE;

  private void runText(String sql, GeneratedKeysRequest keys) throws SQLException {
    checkOpen();
    Tokens tokens = cluster.plans().lex(sql);
    ParsedStatement plan = cluster.plans().plan(tokens);
    keysRequest = keys;
    try {
      run(tokens, plan, Bindings.Parameters.NONE, keys);
    } finally {
      keysRequest = GeneratedKeysRequest.NONE;
    }
  }

  // ---------------------------------------------------------------- JDBC: execution

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    runText(sql, GeneratedKeysRequest.NONE);
    return requireResult();
  }

  ResultSet requireResult() throws SQLException {
    if (result == null) {
      throw new SQLException("the statement did not return a result set", SqlStates.GENERAL);
    }
    return result;
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    return (int) executeLargeUpdate(sql);
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    runText(sql, GeneratedKeysRequest.NONE);
    return requireCount();
  }

  long requireCount() throws SQLException {
    if (result != null) {
      throw new SQLException("the statement returned a result set, not an update count", SqlStates.GENERAL);
    }
    return updateCount;
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    return (int) executeLargeUpdate(sql, autoGeneratedKeys);
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    runText(sql, new GeneratedKeysRequest(autoGeneratedKeys, null, null));
    return requireCount();
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    return (int) executeLargeUpdate(sql, columnIndexes);
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    runText(sql, new GeneratedKeysRequest(RETURN_GENERATED_KEYS, columnIndexes, null));
    return requireCount();
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    return (int) executeLargeUpdate(sql, columnNames);
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    runText(sql, new GeneratedKeysRequest(RETURN_GENERATED_KEYS, null, columnNames));
    return requireCount();
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    runText(sql, GeneratedKeysRequest.NONE);
    return result != null;
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    runText(sql, new GeneratedKeysRequest(autoGeneratedKeys, null, null));
    return result != null;
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    runText(sql, new GeneratedKeysRequest(RETURN_GENERATED_KEYS, columnIndexes, null));
    return result != null;
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    runText(sql, new GeneratedKeysRequest(RETURN_GENERATED_KEYS, null, columnNames));
    return result != null;
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    checkOpen();
    if (batch == null) {
      batch = new ArrayList<>();
    }
    batch.add(sql);
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch = null;
  }

  @Override
  public int[] executeBatch() throws SQLException {
    long[] large = executeLargeBatch();
    int[] counts = new int[large.length];
    for (int i = 0; i < large.length; i++) {
      counts[i] = (int) large[i];
    }
    return counts;
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    checkOpen();
    List<String> texts = batch == null ? List.of() : batch;
    batch = null;
    long[] counts = new long[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      try {
        runText(texts.get(i), GeneratedKeysRequest.NONE);
        if (result != null) {
          throw new BatchUpdateException("batch entry " + (i + 1) + " returned a result set",
              SqlStates.GENERAL, 0, Arrays.copyOf(counts, i), null);
        }
        counts[i] = updateCount;
      } catch (BatchUpdateException e) {
        throw e;
      } catch (SQLException e) {
        throw new BatchUpdateException("batch entry " + (i + 1) + " failed: " + e.getMessage(), e.getSQLState(),
            e.getErrorCode(), Arrays.copyOf(counts, i), e);
      }
    }
    closeResults();
    return counts;
  }

  // ---------------------------------------------------------------- JDBC: results

  @Override
  public ResultSet getResultSet() throws SQLException {
    checkOpen();
    return result;
  }

  @Override
  public int getUpdateCount() throws SQLException {
    checkOpen();
    return result != null ? -1 : (int) updateCount;
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    checkOpen();
    return result != null ? -1 : updateCount;
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return getMoreResults(CLOSE_CURRENT_RESULT);
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    checkOpen();
    if (result != null && current != KEEP_CURRENT_RESULT) {
      result.close();
    }
    result = null;
    updateCount = -1;
    return false;
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    checkOpen();
    if (generatedKeys == null) {
      return org.collegedb.directory.KeyRows.of("generated_key", List.of());
    }
    return generatedKeys;
  }

  void closeResults() throws SQLException {
    if (result != null) {
      ResultSet r = result;
      result = null;
      r.close();
    }
    if (rewrittenStatement != null) {
      CollegeStatement inner = rewrittenStatement;
      rewrittenStatement = null;
      inner.close();
    }
    if (generatedKeys != null) {
      ResultSet k = generatedKeys;
      generatedKeys = null;
      k.close();
    }
    updateCount = -1;
    warnings = null;
  }

  void setResult(ResultSet rs) {
    this.result = rs;
  }

  void setGeneratedKeys(ResultSet keys) {
    this.generatedKeys = keys;
  }

  void setUpdateCount(long count) {
    this.updateCount = count;
  }

  // ---------------------------------------------------------------- JDBC: settings

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the statement is closed", SqlStates.GENERAL);
    }
    connection.checkOpen();
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    try {
      closeResults();
    } finally {
      closed = true;
      connection.closed(this);
      closePhysical();
    }
  }

  void closePhysical() throws SQLException {
    for (int i = 0; i < plain.length; i++) {
      if (plain[i] != null) {
        plain[i].close();
        plain[i] = null;
      }
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    checkOpen();
    return 0;
  }

  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    checkOpen();
    if (max < 0) {
      throw new SQLException("max field size must not be negative", SqlStates.INVALID_PARAMETER);
    }
  }

  @Override
  public int getMaxRows() throws SQLException {
    checkOpen();
    return maxRows;
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    setLargeMaxRows(max);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    checkOpen();
    return maxRows;
  }

  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    checkOpen();
    if (max < 0) {
      throw new SQLException("max rows must not be negative", SqlStates.INVALID_PARAMETER);
    }
    maxRows = (int) Math.min(Integer.MAX_VALUE, max);
    forEachPhysical(st -> st.setMaxRows(maxRows));
  }

  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    checkOpen();
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    checkOpen();
    return queryTimeout;
  }

  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    checkOpen();
    if (seconds < 0) {
      throw new SQLException("query timeout must not be negative", SqlStates.INVALID_PARAMETER);
    }
    queryTimeout = seconds;
    forEachPhysical(st -> st.setQueryTimeout(seconds));
  }

  /** Applies a setting to every physical statement made so far. */
  void forEachPhysical(PhysicalSetting setting) throws SQLException {
    for (Statement st : plain) {
      if (st != null) {
        setting.apply(st);
      }
    }
  }

  @FunctionalInterface
  interface PhysicalSetting {
    void apply(Statement st) throws SQLException;
  }

  @Override
  public void cancel() throws SQLException {
    checkOpen();
    for (int s = 0; s < running.length(); s++) {
      Statement st = running.get(s);
      if (st != null) {
        st.cancel();
      }
    }
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return warnings;
  }

  void addWarning(SQLWarning w) {
    if (warnings == null) {
      warnings = w;
    } else {
      warnings.setNextWarning(w);
    }
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    warnings = null;
  }

  @Override
  public void setCursorName(String name) throws SQLException {
    throw new SQLFeatureNotSupportedException("named cursors are not supported across shards",
        SqlStates.NOT_SUPPORTED);
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    checkOpen();
    if (direction != ResultSet.FETCH_FORWARD) {
      throw new SQLFeatureNotSupportedException("CollegeDB result sets are forward-only", SqlStates.NOT_SUPPORTED);
    }
  }

  @Override
  public int getFetchDirection() throws SQLException {
    checkOpen();
    return ResultSet.FETCH_FORWARD;
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    checkOpen();
    if (rows < 0) {
      throw new SQLException("fetch size must not be negative", SqlStates.INVALID_PARAMETER);
    }
    fetchSize = rows;
    forEachPhysical(st -> st.setFetchSize(rows));
  }

  @Override
  public int getFetchSize() throws SQLException {
    checkOpen();
    return fetchSize;
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    checkOpen();
    return ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public int getResultSetType() throws SQLException {
    checkOpen();
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    checkOpen();
    return holdability;
  }

  @Override
  public Connection getConnection() throws SQLException {
    checkOpen();
    return connection;
  }

  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    checkOpen();
    this.poolable = poolable;
  }

  @Override
  public boolean isPoolable() throws SQLException {
    checkOpen();
    return poolable;
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    checkOpen();
    closeOnCompletion = true;
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    checkOpen();
    return closeOnCompletion;
  }

}
