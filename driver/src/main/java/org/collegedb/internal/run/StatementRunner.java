package org.collegedb.internal.run;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.collegedb.ExecutionInfo;
import org.collegedb.SqlStates;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.execute.ShardExecutor;
import org.collegedb.internal.merge.Merge;
import org.collegedb.metrics.Metrics;
import org.collegedb.internal.merge.ShardResultSet;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.plan.Plan;
import org.collegedb.internal.plan.Planner;
import org.collegedb.internal.rewrite.Edits;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.route.Route;

/**
 * Carries out the plans of one logical statement: plans each execution ({@link Planner}), runs it on its shards with
 * the statement's physical statements ({@link ShardStatements}), and leaves what it produced in its {@link Outcome}.
 * Work a plan needs done first (a subquery answered, a guard count, a UNION's branches) runs as a child runner's plan,
 * never through the JDBC front door.
 */
public final class StatementRunner implements AutoCloseable {
  /**
   * Below this much work over all its shards, a statement runs on the shards one after the other on the caller's
   * thread: handing shards to other threads costs more than it saves (in-memory and embedded shards, small reads).
   */
  static final long INLINE_FAN_OUT_NANOS = 150_000;

  private final Session session;
  private final Cluster cluster;
  private final Statement owner;
  private final ShardStatements physical;
  private final boolean prepared;
  private final Planner.Memo memo = new Planner.Memo();
  private final Outcome outcome = new Outcome();
  /** Whether this runner runs statements on another's behalf (its plans are not the caller's). */
  private boolean child;
  /** The work, summed over shards, of this statement's last fan-out; -1 before the first (which runs in parallel). */
  private long fanOutWork = -1;
  /** The last text spliced for every shard alike, and what it was spliced from. */
  private ShardSql sharedText;
  private Edits sharedTextEdits;
  private Tokens sharedTextTokens;

  // The execution under way.
  private ParameterStore params;
  private int paramCount;
  private GeneratedKeysRequest keys = GeneratedKeysRequest.NONE;
  /** The partial read under way ({@link PartialReads}), or null: every shard must answer. */
  private PartialReads partial;

  /**
   * @param owner the JDBC statement the results belong to
   * @param preparedText the text of a prepared statement (its texts run prepared), or null for a plain statement
   * @param preparedKeys the generated keys a prepared statement asks for (its shard statements are prepared so)
   */
  public StatementRunner(Session session, Statement owner, String preparedText, GeneratedKeysRequest preparedKeys) {
    this.session = session;
    this.cluster = session.cluster();
    this.owner = owner;
    this.prepared = preparedText != null;
    this.physical = new ShardStatements(session.shards(), preparedText,
        preparedKeys == null ? GeneratedKeysRequest.NONE : preparedKeys);
  }

  public Outcome outcome() {
    return outcome;
  }

  public ShardStatements physical() {
    return physical;
  }

  Session session() {
    return session;
  }

  Cluster cluster() {
    return cluster;
  }

  Statement owner() {
    return owner;
  }

  /** Sets the generated keys the shards' statements are prepared with (a caller restores the one before). */
  void keys(GeneratedKeysRequest keys) {
    this.keys = keys;
  }

  GeneratedKeysRequest keys() {
    return keys;
  }

  /** Runs one analysed statement with its parameters ({@code params} null for a plain statement's text). */
  public void run(Tokens tokens, ParsedStatement statement, ParameterStore params, GeneratedKeysRequest keys)
      throws SQLException {
    outcome.close();
    if (params != null) {
      params.requireAll(tokens.paramCount());
    }
    this.params = params;
    this.paramCount = tokens.paramCount();
    this.keys = keys;
    try {
      if (!child) {
        session.pinShardMap();
      }
      try {
        planAndExecute(tokens, statement, params);
      } catch (SQLException e) {
        if (child || !org.collegedb.internal.execute.MapVersionDeclaration.isStale(e)) {
          throw e;
        }
        // A shard refused the write: it no longer owns what the session's map said. Learn the new map.
        boolean autoCommit = session.shards().autoCommit();
        org.collegedb.internal.route.ShardMap map = cluster.awaitShardMapAfter(session.shardMap().version(), 10_000);
        if (!autoCommit) {
          throw new SQLException("shard map changed (now version " + map.version() + ") during the transaction: "
              + "roll back and retry the transaction", SqlStates.SERIALIZATION_FAILURE, e);
        }
        session.unpinShardMap();
        session.pinShardMap();
        outcome.close();
        planAndExecute(tokens, statement, params); // once, with the new map
      }
    } finally {
      this.keys = GeneratedKeysRequest.NONE;
    }
  }

  private void planAndExecute(Tokens tokens, ParsedStatement statement, ParameterStore params) throws SQLException {
    Bindings bindings = new Bindings(tokens, params == null ? Bindings.Parameters.NONE : params,
        cluster.backslashEscapes());
    session.checkWritable(statement);
    Plan plan = session.planner().plan(statement, bindings, memo);
    if (!child) {
      session.recordPlan(plan);
    }
    execute(plan, bindings);
  }

  /** The plan the statement would run with these parameters: for EXPLAIN-like tools and tests. */
  public Plan plan(Tokens tokens, ParsedStatement statement, ParameterStore params) throws SQLException {
    Bindings bindings = new Bindings(tokens, params == null ? Bindings.Parameters.NONE : params,
        cluster.backslashEscapes());
    return session.planner().plan(statement, bindings, null);
  }

  private void execute(Plan plan, Bindings bindings) throws SQLException {
    if (plan instanceof Plan.ShardRead r) {
      read(r, bindings);
    } else if (plan instanceof Plan.ShardWrite w) {
      if (w.owned() != null) {
        new OwnedWrite(this).run(w.route(), w.tokens(), w.owned(), bindings.parameters(), keys);
      } else {
        write(w.route(), w.tokens(), keys);
      }
    } else if (plan instanceof Plan.DirectoryWrite d) {
      new DirectoryWrites(this).run(d, bindings);
    } else if (plan instanceof Plan.GuardedKeyUpdate g) {
      Rewritten guarded = new KeyGuard(this).guard(g, bindings);
      if (guarded == null) {
        throw new SQLFeatureNotSupportedException(g.refusal(), SqlStates.NOT_SUPPORTED);
      }
      runRewritten(guarded);
    } else if (plan instanceof Plan.KeyMove k) {
      Rewritten guarded = new KeyGuard(this).guard(k.guard(), bindings);
      if (guarded != null) {
        runRewritten(guarded);
      } else {
        outcome.count(new KeyMove(this).move(k, bindings));
      }
    } else if (plan instanceof Plan.SubqueriesFirst s) {
      Rewritten answered = new SubqueryMaterializer(this).materialize(s, bindings);
      if (answered == null) {
        throw new SQLFeatureNotSupportedException(s.refusal(), SqlStates.NOT_SUPPORTED);
      }
      runRewritten(answered);
    } else if (plan instanceof Plan.SetOperation s) {
      outcome.rows(new SetQueryExecutor(this).run(s.query(), bindings, physical.maxRows()));
    } else if (plan instanceof Plan.InsertFromQuery i) {
      outcome.count(new InsertSelect(this).run(i, bindings));
    } else if (plan instanceof Plan.Ddl d) {
      ddl(d);
    } else if (plan instanceof Plan.Transaction t) {
      session.control(t.kind());
      recordLocal(t.tokens());
      outcome.count(0);
    } else if (plan instanceof Plan.OnShards o) {
      onShards(o);
    } else if (plan instanceof Plan.LastInsertId l) {
      ResultSet answer = session.lastInsertIds().answer(l.function(), l.label());
      if (answer != null) {
        outcome.rows(answer);
      } else {
        execute(l.otherwise(), bindings);
      }
    } else if (plan instanceof Plan.Explain e) {
      explain(e);
    } else if (plan instanceof Plan.Hinted h) {
      hinted(h);
    } else if (plan instanceof Plan.CrossShard c) {
      Metrics.routed(Metrics.Path.CROSS_SHARD, session.shards().size());
      outcome.rows(DistributedReads.answer(this, c, bindings));
    } else if (plan instanceof Plan.Refusal r) {
      throw r.exception();
    } else {
      throw new IllegalStateException("no runner for " + plan);
    }
  }

  // ---------------------------------------------------------------- reads

  private void read(Plan.ShardRead r, Bindings bindings) throws SQLException {
    query(r, bindings);
    if (!r.route().cacheUsed().isEmpty() && DirectoryWrites.foundNothing(this, r.route())) {
      Plan fresh = session.planner().plan(r.select(), bindings, memo); // the directory, not the cache
      if (fresh instanceof Plan.ShardRead again && !Arrays.equals(again.route().shards(), r.route().shards())) {
        outcome.close();
        query(again, bindings);
      }
    }
  }

  private void query(Plan.ShardRead r, Bindings bindings) throws SQLException {
    Route route = r.route();
    ResultSet rows;
    PartialReads partial = PartialReads.of(session, r, child);
    this.partial = partial;
    try {
      if (r.lock() == Plan.Lock.EVERY_COPY) {
        rows = new ShardResultSet(owner, List.of(firstOf(onShards(route, r.tokens(), null,
            ShardStatements.Executed::rows))), physical.maxRows());
      } else if (r.merge() == null) {
        rows = new ShardResultSet(owner, remaining(onShards(route, r.tokens(), null, ShardStatements.Executed::rows)),
            physical.maxRows());
      } else {
        List<ResultSet> parts = remaining(ownedRows(r, onShards(route, r.tokens(), r.merge().edits(),
            ShardStatements.Executed::rows)));
        rows = Merge.of(r.merge(), parts, owner, physical.maxRows(), cluster.dialect(), cluster.foreignCollation(),
            r.select().shape(), bindings);
      }
    } finally {
      this.partial = null;
    }
    SQLWarning skipped = partial == null ? null : partial.warning();
    if (skipped != null) {
      outcome.warn(skipped);
      rows = new org.collegedb.internal.merge.WarnedResultSet(rows, skipped);
    }
    outcome.rows(r.catalog() ? CatalogReads.hidingInternal(rows) : rows);
  }

  /** The shards' parts of a read, each keeping only the rows its shard owns when the plan filters (a reshard). */
  private static List<ResultSet> ownedRows(Plan.ShardRead r, List<ResultSet> parts) throws SQLException {
    try {
      return org.collegedb.internal.merge.Ownership.keepOwned(r.merge(), r.route().shards(), parts);
    } catch (SQLException e) {
      for (ResultSet rs : parts) {
        if (rs != null) {
          try {
            rs.close();
          } catch (SQLException closing) {
            e.addSuppressed(closing);
          }
        }
      }
      throw e;
    }
  }

  /** The shards' parts of a read without those a partial read skipped. */
  private List<ResultSet> remaining(List<ResultSet> parts) throws SQLException {
    return partial == null ? parts : partial.remaining(parts);
  }

  /**
   * The first shard's rows of a read of every copy. The other shards' rows are read to the end (a database may lock
   * rows as they are fetched) and closed.
   */
  private static ResultSet firstOf(List<ResultSet> parts) throws SQLException {
    for (int i = 1; i < parts.size(); i++) {
      try (ResultSet rs = parts.get(i)) {
        while (rs.next()) {
          // every row locked
        }
      }
    }
    return parts.get(0);
  }

  // ---------------------------------------------------------------- writes

  private static final Collector<ShardOutcome> OUTCOME = e -> ShardOutcome.of(e, false);
  private static final Collector<ShardOutcome> OUTCOME_WITH_KEYS = e -> ShardOutcome.of(e, true);

  /**
   * Runs a write on its shards and, where the fence's triggers fire per row (SQLite, MariaDB), checks a write that
   * changed no row on a shard against that shard's map version ({@link EmptyWriteCheck}); inside the statement's local
   * transactions, so a stale empty write is undone everywhere before it runs again.
   */
  private List<ShardOutcome> checkedWrite(Route route, Tokens tokens, Collector<ShardOutcome> collector,
      long plannedWith) throws SQLException {
    return checkedWrite(route, tokens, null, collector, plannedWith, null);
  }

  /** Turns the shards' outcomes of a write into counts, before they are checked. */
  @FunctionalInterface
  interface Counting {
    List<ShardOutcome> count(List<ShardOutcome> outcomes) throws SQLException;
  }

  /** As above, the shards' texts with {@code edits}, their outcomes turned into counts by {@code counting}. */
  List<ShardOutcome> checkedWrite(Route route, Tokens tokens, Edits edits, Collector<ShardOutcome> collector,
      long plannedWith, Counting counting) throws SQLException {
    List<ShardOutcome> out = onShards(route, tokens, edits, collector);
    if (counting != null) {
      out = counting.count(out);
    }
    if (route.kind() == Route.Kind.WRITE && EmptyWriteCheck.needed(cluster.dialect())) {
      boolean empty = false;
      for (ShardOutcome o : out) {
        empty |= o.rows() == null && o.count() == 0;
      }
      if (empty) {
        long[] counts = new long[out.size()];
        for (int i = 0; i < counts.length; i++) {
          counts[i] = out.get(i).rows() != null ? -1 : out.get(i).count();
        }
        try {
          EmptyWriteCheck.check(session, route.shards(), counts, plannedWith);
        } catch (SQLException stale) {
          for (ShardOutcome o : out) {
            o.close();
          }
          throw stale;
        }
      }
    }
    return out;
  }

  /** Runs a write on its shards; a write spanning shards in auto-commit mode is one local transaction per shard. */
  void write(Route route, Tokens tokens, GeneratedKeysRequest keys) throws SQLException {
    boolean detach = !route.single(); // a shard's open cursor must not hold up its commit (SQLite refuses it)
    GeneratedKeysRequest asked = this.keys;
    this.keys = keys;
    try {
      long plannedWith = session.shardMap().version();
      List<ShardOutcome> outcomes = route.shards().length < 2 // one shard's write is atomic as it is
          ? checkedWrite(route, tokens, keys.wanted() ? OUTCOME_WITH_KEYS : OUTCOME, plannedWith)
          : session.shards().atomically(route.shards(),
              () -> checkedWrite(route, tokens, e -> detach ? ShardOutcome.of(e, keys.wanted()).detached()
                  : ShardOutcome.of(e, keys.wanted()), plannedWith));
      combine(route, outcomes);
    } finally {
      this.keys = asked;
    }
  }

  private void combine(Route route, List<ShardOutcome> outcomes) throws SQLException {
    boolean broadcast = route.kind() == Route.Kind.BROADCAST_WRITE;
    if (outcomes.get(0).rows() != null) { // RETURNING
      List<ResultSet> parts = new ArrayList<>();
      for (ShardOutcome o : outcomes) {
        if (broadcast && !parts.isEmpty()) {
          o.close(); // every shard changed the same rows: return them once
        } else {
          parts.add(o.rows());
        }
      }
      outcome.rows(new ShardResultSet(owner, parts, physical.maxRows()));
      return;
    }
    long count = 0;
    if (broadcast) {
      count = outcomes.get(0).count();
      for (ShardOutcome o : outcomes) {
        if (o.count() != count) {
          outcome.warn(new SQLWarning("a broadcast table differs between shards: the write changed "
              + outcomes.stream().map(ShardOutcome::count).toList() + " rows on shards "
              + Arrays.toString(route.shards())));
          break;
        }
      }
    } else {
      for (ShardOutcome o : outcomes) {
        count += Math.max(0, o.count());
      }
    }
    outcome.count(count);
    List<ResultSet> keyParts = new ArrayList<>();
    for (ShardOutcome o : outcomes) {
      if (o.keys() != null) {
        if (broadcast && !keyParts.isEmpty()) {
          o.keys().close(); // the same rows on every shard: their keys once
        } else {
          keyParts.add(o.keys());
        }
      }
    }
    if (!keyParts.isEmpty()) {
      outcome.keys(new ShardResultSet(owner, keyParts, 0));
    }
  }

  private void ddl(Plan.Ddl ddl) throws SQLException {
    try (ReshardGuard.Ticket inFlight = ddl.changesTables() ? ReshardGuard.enterDdl(cluster, session.shardMap(),
        ddl.tokens().sql())
        : () -> { }) {
      runDdl(ddl);
    }
  }

  private void runDdl(Plan.Ddl ddl) throws SQLException {
    Route route = ddl.route();
    try {
      if (ddl.immediate() && route.shards().length > 1) {
        new SchemaChange(this).run(ddl); // shard by shard, undone where it changed if one fails
      } else {
        session.shards().atomically(route.shards(), () -> onShards(route, ddl.tokens(), null, e -> null));
      }
    } finally {
      cluster.catalog().invalidate(ddl.table());
    }
    outcome.count(0);
  }

  private void onShards(Plan.OnShards o) throws SQLException {
    switch (o.purpose()) {
      case SAVEPOINT -> {
        if (session.shards().autoCommit()) {
          throw new SQLException("savepoints need a transaction", SqlStates.INVALID_TRANSACTION_STATE);
        }
        onShards(o.route(), o.tokens(), null, e -> null);
        outcome.count(0);
      }
      case SESSION, INFO -> {
        List<ResultSet> rows = onShards(o.route(), o.tokens(), null, ShardStatements.Executed::rowsOrNull);
        if (rows.get(0) != null) {
          outcome.rows(new ShardResultSet(owner, List.of(rows.get(0)), physical.maxRows()));
        } else {
          outcome.count(0);
        }
      }
      case UNPARSED_READ -> outcome.rows(new ShardResultSet(owner,
          onShards(o.route(), o.tokens(), null, ShardStatements.Executed::rows), physical.maxRows()));
      case ANALYZED_WRITE -> {
        if (session.readOnly()) {
          throw new SQLException("the connection is read-only (setReadOnly(true)): EXPLAIN ANALYZE runs the write "
              + "it explains", SqlStates.READ_ONLY);
        }
        List<ResultSet> rows = onShards(o.route(), o.tokens(), null, ShardStatements.Executed::rowsOrNull);
        if (rows.get(0) != null) {
          outcome.rows(new ShardResultSet(owner, rows, physical.maxRows()));
        } else {
          outcome.count(0);
        }
      }
    }
  }

  private void recordLocal(Tokens tokens) {
    session.recordExecution(new ExecutionInfo(tokens.sql(), List.of(), List.of()));
  }

  // ---------------------------------------------------------------- EXPLAIN COLLEGEDB, hints

  private void explain(Plan.Explain e) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    for (String line : e.plan().explain(session.shardNames()).split("\n")) {
      rows.add(new String[] {line});
    }
    if (e.analyze()) {
      StatementRunner inner = new StatementRunner(session, owner, params == null ? null : e.tokens().sql(),
          GeneratedKeysRequest.NONE);
      inner.child = true;
      inner.physical.copySettings(physical);
      long start = System.nanoTime();
      try (inner) {
        inner.run(e.tokens(), e.statement(), params, GeneratedKeysRequest.NONE);
        String what;
        if (inner.outcome.rows() != null) {
          long n = 0;
          try (ResultSet rs = inner.outcome.rows()) {
            while (rs.next()) {
              n++;
            }
          }
          what = n + " row(s) read";
        } else {
          what = inner.outcome.count() + " row(s) changed";
        }
        double ms = (System.nanoTime() - start) / 1e6;
        ExecutionInfo info = session.lastExecution();
        rows.add(new String[] {String.format(java.util.Locale.ROOT, "ran: %s in %.3f ms on %s", what, ms,
            info == null ? "[]" : info.shards().toString())});
        if (info != null) {
          for (int i = 0; i < info.shards().size(); i++) {
            rows.add(new String[] {"  " + info.shards().get(i) + ": " + info.shardSql().get(i)});
          }
        }
      }
    }
    outcome.rows(org.collegedb.internal.merge.TextRows.of(List.of("PLAN"), rows));
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatementRunner.class);

  /** A statement on the shards a hint names: unchanged, unmerged, in shard order. */
  private void hinted(Plan.Hinted h) throws SQLException {
    Route route = h.route();
    List<String> names = new ArrayList<>();
    for (int s : route.shards()) {
      names.add(session.shards().name(s));
    }
    if (h.write()) {
      if (session.readOnly()) {
        throw new SQLException("the connection is read-only (setReadOnly(true)): this statement writes",
            SqlStates.READ_ONLY);
      }
      LOG.info("CollegeDB: a statement written through the shard hint {} on {}: {}", h.hint(), names,
          h.tokens().sql());
    }
    boolean several = route.shards().length > 1;
    List<ShardOutcome> outcomes = session.shards().atomically(h.write() ? route.shards() : new int[0],
        () -> onShards(route, h.tokens(), null, e -> several && h.write() ? ShardOutcome.of(e, false).detached()
            : ShardOutcome.of(e, false)));
    if (outcomes.get(0).rows() != null) {
      List<ResultSet> parts = new ArrayList<>();
      for (ShardOutcome o : outcomes) {
        parts.add(o.rows());
      }
      outcome.rows(several ? org.collegedb.internal.merge.ShardLabelledRows.of(parts, names)
          : new ShardResultSet(owner, parts, physical.maxRows()));
    } else {
      long count = 0;
      for (ShardOutcome o : outcomes) {
        count += Math.max(0, o.count());
      }
      outcome.count(count);
    }
  }

  // ---------------------------------------------------------------- statements run on this one's behalf

  /**
   * Runs a text CollegeDB derived from the caller's (a subquery, a UNION branch, a guard count, chunks of an INSERT
   * ... SELECT) as a statement of its own, prepared with {@code params}. The caller reads and closes it.
   */
  StatementRunner child(String sql, ParameterStore params, GeneratedKeysRequest keys) throws SQLException {
    Tokens tokens = cluster.plans().lex(sql);
    ParsedStatement statement = cluster.plans().plan(tokens);
    StatementRunner inner = new StatementRunner(session, owner, tokens.sql(), keys);
    inner.child = true;
    try {
      inner.run(tokens, statement, params, keys);
      return inner;
    } catch (SQLException | RuntimeException e) {
      inner.close();
      throw e;
    }
  }

  /** Runs the statement CollegeDB rewrote in the caller's place, taking over its results. */
  private void runRewritten(Rewritten rewritten) throws SQLException {
    Tokens tokens = cluster.plans().lex(rewritten.sql());
    ParsedStatement statement = cluster.plans().plan(tokens);
    StatementRunner inner = new StatementRunner(session, owner, tokens.sql(), keys);
    inner.child = true;
    inner.physical.copySettings(physical);
    boolean keep = false;
    try {
      inner.run(tokens, statement, rewritten.params(), keys);
      ResultSet rows = inner.outcome.rows();
      if (rows != null) {
        outcome.rows(rows);
        outcome.attach(inner); // closes with this statement's results
        keep = true;
      } else {
        outcome.count(inner.outcome.count());
      }
    } finally {
      if (!keep) {
        inner.close();
      }
    }
  }

  // ---------------------------------------------------------------- running on shards

  /** Reads what a shard's statement produced, right after it ran. */
  @FunctionalInterface
  interface Collector<T> {
    T collect(ShardStatements.Executed executed) throws SQLException;
  }

  /**
   * Runs the route with {@code common} edits (for every shard, may be null) spliced into each shard's text: joins
   * its shards to the transaction, runs each shard's text (in parallel when there are several and it pays) and
   * collects each shard's outcome, in route order.
   */
  <T> List<T> onShards(Route route, Tokens tokens, Edits common, Collector<T> collector) throws SQLException {
    int[] shards = route.shards();
    Metrics.routed(route.kind(), shards.length);
    for (int s : shards) {
      session.shards().use(s);
    }
    session.recordExecution(null);
    List<T> out;
    ShardSql[] texts = texts(route, tokens, common);
    if (shards.length == 1) {
      long started = Metrics.start();
      try {
        out = Collections.singletonList(collector.collect(executeOn(shards[0], texts[0], tokens)));
        Metrics.shard(session.shards().name(shards[0]), started, false);
      } catch (SQLException e) {
        Metrics.shard(session.shards().name(shards[0]), started, true);
        throw org.collegedb.internal.execute.ShardErrors.named(e, session.shards().name(shards[0]));
      }
    } else {
      boolean inline = WriteOrder.inShardOrder(route, cluster.dialect())
          || fanOutWork >= 0 && fanOutWork < INLINE_FAN_OUT_NANOS;
      // the work: inline, the loop's time (two clock reads a statement); in parallel, each shard's, summed
      long[] work = inline ? null : new long[shards.length];
      PartialReads skipping = partial;
      ShardExecutor.ShardTask<T> task = (position, shard) -> {
        long start = work == null ? 0 : System.nanoTime();
        try {
          return collector.collect(executeOn(shard, texts[position], tokens));
        } catch (SQLException e) {
          if (skipping != null && skipping.skip(shard, e)) {
            return null; // partial results: the shard is left out, and named in a warning
          }
          throw e;
        } finally {
          if (work != null) {
            work[position] = System.nanoTime() - start;
          }
        }
      };
      if (inline) {
        long start = System.nanoTime();
        out = cluster.executor().inOrder(shards, task, session.shards()::name);
        fanOutWork = System.nanoTime() - start;
      } else {
        out = cluster.executor().onEach(shards, task, session.shards()::name);
        long total = 0;
        for (long w : work) {
          total += w;
        }
        fanOutWork = total;
      }
    }
    session.recordExecution(route, tokens, texts);
    return out;
  }

  /** Each shard's text, or null where it runs the caller's text; a text common to all shards is spliced once. */
  private ShardSql[] texts(Route route, Tokens tokens, Edits common) {
    int[] shards = route.shards();
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
    return texts;
  }

  private ShardStatements.Executed executeOn(int shard, ShardSql sql, Tokens tokens) throws SQLException {
    String text = sql == null ? tokens.sql() : sql.sql();
    if (!prepared) {
      return physical.executePlain(shard, text, keys);
    }
    return physical.executePrepared(shard, text, params, sql == null ? null : sql.params(), paramCount,
        keys != GeneratedKeysRequest.OWN_ROWS);
  }

  // ---------------------------------------------------------------- batches

  /**
   * Runs a prepared statement's batch grouped per shard: each entry is planned with its own parameters, and each
   * shard runs its entries as one batch of its own, in the caller's order. Entries that span shards, or are not
   * plain writes, run one at a time. Counts come back in the caller's order.
   */
  public long[] runBatch(Tokens tokens, ParsedStatement statement, List<ParameterStore> entries,
      GeneratedKeysRequest keys) throws SQLException {
    outcome.close();
    return new BatchRun(this, tokens, statement, entries, keys).run();
  }

  /** Runs one entry of a batch as an execution of its own. */
  void runEntry(Tokens tokens, ParsedStatement statement, ParameterStore entry, GeneratedKeysRequest keys)
      throws SQLException {
    run(tokens, statement, entry, keys);
  }

  Planner.Memo memo() {
    return memo;
  }

  @Override
  public void close() throws SQLException {
    try {
      outcome.close();
    } finally {
      physical.close();
    }
  }

  /** What one shard's statement produced. */
  record ShardOutcome(ResultSet rows, long count, ResultSet keys) implements AutoCloseable {
    static ShardOutcome of(ShardStatements.Executed executed, boolean wantKeys) throws SQLException {
      Statement st = executed.statement();
      if (executed.hasResult()) {
        return new ShardOutcome(st.getResultSet(), -1, null);
      }
      long count;
      try {
        count = st.getLargeUpdateCount();
      } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
        count = st.getUpdateCount();
      }
      return new ShardOutcome(null, count, wantKeys ? st.getGeneratedKeys() : null);
    }

    /** The same outcome with its rows read into memory and the shard's cursors closed. */
    ShardOutcome detached() throws SQLException {
      return new ShardOutcome(inMemory(rows), count, inMemory(keys));
    }

    static ResultSet inMemory(ResultSet rs) throws SQLException {
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
}
