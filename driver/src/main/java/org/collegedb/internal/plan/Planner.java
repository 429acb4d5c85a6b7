package org.collegedb.internal.plan;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.collegedb.SqlStates;
import org.collegedb.internal.merge.MergePlan;
import org.collegedb.internal.merge.MergePlanner;
import org.collegedb.parse.LastInsertIdCall;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.ShardHint;
import org.collegedb.parse.SqlSyntaxException;
import org.collegedb.parse.TableRef;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.rewrite.Composed;
import org.collegedb.internal.route.Route;
import org.collegedb.internal.route.ShardRouter;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.SystemTables;
import org.collegedb.internal.schema.TableRule;

/**
 * Turns an analysed statement and its values into a {@link Plan}: routes it ({@link ShardRouter}), chooses how the
 * shards' answers merge ({@link MergePlanner}), and decides how what cannot run shard by shard runs instead, or that
 * it is refused. A refusal is a plan, not an exception: {@link #plan} throws only when the schema cannot be read.
 */
public final class Planner {
  /** Lexes and analyses statements found inside others (what an EXPLAIN explains); no I/O. */
  public interface Analyzer {
    Tokens lex(String sql) throws SQLException;

    ParsedStatement analyze(Tokens tokens) throws SQLException;
  }

  private final ShardRouter router;
  private final Dialect dialect;
  private final boolean unparsedReadsToAllShards;
  private final Analyzer analyzer;
  private final ShardHint connectionHint;
  private final boolean crossShardQueries;

  /**
   * @param connectionHint the hint every statement of the connection runs with ({@code shardHint}), or null
   * @param crossShardQueries whether a SELECT that cannot run shard by shard takes the distributed path
   */
  public Planner(ShardRouter router, Dialect dialect, boolean unparsedReadsToAllShards, Analyzer analyzer,
      ShardHint connectionHint, boolean crossShardQueries) {
    this.crossShardQueries = crossShardQueries;
    this.router = router;
    this.dialect = dialect;
    this.unparsedReadsToAllShards = unparsedReadsToAllShards;
    this.analyzer = analyzer;
    this.connectionHint = connectionHint;
  }

  public ShardRouter router() {
    return router;
  }

  /**
   * What a statement's executions keep between them: the last merge plan that depends on no value, and whether the
   * last query read the catalogs. One per prepared statement (or plain statement); not thread-safe.
   */
  public static final class Memo {
    private MergePlan mergePlan;
    private Tokens mergePlanTokens;
    private ParsedStatement.Select catalogChecked;
    private boolean catalogAnswer;
  }

  /** The plan of one execution of {@code statement} with the values {@code bindings} gives. */
  public Plan plan(ParsedStatement statement, Bindings bindings, Memo memo) throws SQLException {
    Plan plan = pushdown(statement, bindings, memo);
    if (crossShardQueries && plan instanceof Plan.Refusal r && SqlStates.NOT_SUPPORTED.equals(r.sqlState())
        && statement instanceof ParsedStatement.Select select && !select.forUpdate() && !select.tables().isEmpty()) {
      return new Plan.CrossShard(bindings.tokens(), select, r.message());
    }
    return plan;
  }

  /** The plan that runs shard by shard, or the refusal that says why there is none. */
  private Plan pushdown(ParsedStatement statement, Bindings bindings, Memo memo) throws SQLException {
    Tokens tokens = bindings.tokens();
    try {
      if (!(statement instanceof ParsedStatement.Control)) {
        ShardHint hint = ShardHint.of(tokens);
        if (hint != null || connectionHint != null) {
          return hinted(statement, tokens, hint != null ? hint : connectionHint, hint != null);
        }
      }
      if (statement instanceof ParsedStatement.Explain explain) {
        return explain(explain, tokens, bindings, memo);
      }
      if (statement instanceof ParsedStatement.Select select) {
        return select(select, tokens, bindings, memo);
      } else if (statement instanceof ParsedStatement.Insert insert) {
        return insert(insert, tokens, bindings);
      } else if (statement instanceof ParsedStatement.Update update) {
        return update(update, tokens, bindings);
      } else if (statement instanceof ParsedStatement.Delete delete) {
        return delete(delete, tokens, bindings);
      } else if (statement instanceof ParsedStatement.Ddl ddl) {
        boolean immediate = DdlUndo.immediate(dialect);
        ParsedStatement.DdlKind kind = ddl.kind();
        boolean changesTables = kind != ParsedStatement.DdlKind.CREATE_VIEW && kind != ParsedStatement.DdlKind.DROP_VIEW
            && kind != ParsedStatement.DdlKind.CREATE_SEQUENCE && kind != ParsedStatement.DdlKind.DROP_SEQUENCE;
        return new Plan.Ddl(tokens, router.everywhere(Route.Kind.DDL), ddl.table(), immediate,
            immediate ? DdlUndo.of(ddl, tokens, dialect) : null, changesTables);
      } else if (statement instanceof ParsedStatement.Control control) {
        return control(control, tokens);
      }
      return unparsed((ParsedStatement.Unparsed) statement, tokens);
    } catch (SqlSyntaxException e) {
      return new Plan.Refusal(SqlStates.SYNTAX, e.getMessage(), SQLSyntaxErrorException.class);
    } catch (ShardRouter.SubqueryAcrossShards e) {
      return subqueriesFirst(blocksOf(statement), tokens, e);
    } catch (SQLFeatureNotSupportedException | SQLSyntaxErrorException e) {
      return Refusals.of(e);
    } catch (SQLException e) {
      if (e.getSQLState() != null && (e.getSQLState().startsWith("23") || e.getSQLState().startsWith("42"))) {
        return Refusals.of(e); // a NULL shard key, a missing table: the statement's own fault, nothing ran
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- hints, EXPLAIN

  /** A statement on the shards a hint names, unchanged but for the hint itself. */
  private Plan hinted(ParsedStatement statement, Tokens tokens, ShardHint hint, boolean inText) {
    List<String> names = router.context().shardMap().shards();
    int[] shards;
    if (hint.all()) {
      shards = router.everywhere(Route.Kind.READ).shards();
    } else {
      shards = new int[hint.shards().size()];
      for (int i = 0; i < shards.length; i++) {
        shards[i] = indexOf(names, hint.shards().get(i));
        if (shards[i] < 0) {
          return new Plan.Refusal(SqlStates.UNDEFINED_OBJECT, "the shard hint " + hint + " names the shard '"
              + hint.shards().get(i) + "', which is not one of this database's shards " + names,
              SQLException.class);
        }
      }
      java.util.Arrays.sort(shards);
    }
    boolean write = !(statement instanceof ParsedStatement.Select)
        && !(statement instanceof ParsedStatement.Explain e && !e.analyze())
        && !(statement instanceof ParsedStatement.Unparsed u && u.kind() == ParsedStatement.StatementKind.SELECT);
    org.collegedb.internal.rewrite.Edits[] edits = null;
    if (inText) {
      edits = new org.collegedb.internal.rewrite.Edits[shards.length];
      java.util.Arrays.fill(edits, org.collegedb.internal.rewrite.Edit.delete(0, 0));
    }
    return new Plan.Hinted(tokens, new Route(write ? Route.Kind.WRITE : Route.Kind.READ, shards, edits), write,
        hint.toString());
  }

  private static int indexOf(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * EXPLAIN. CollegeDB's own ({@code EXPLAIN COLLEGEDB}): the plan of the statement it explains. The backend's: sent
   * where the statement it explains goes (a keyed statement to its key's shard, else the first of its shards); when it
   * runs that statement (ANALYZE) and the statement writes, it runs as that write, on its one shard, or is refused.
   */
  private Plan explain(ParsedStatement.Explain explain, Tokens tokens, Bindings bindings, Memo memo)
      throws SQLException {
    if (analyzer == null) {
      return new Plan.Refusal(SqlStates.NOT_SUPPORTED, "EXPLAIN is not planned here", SQLException.class);
    }
    Tokens innerTokens = analyzer.lex(Composed.rest(explain.innerStart()).apply(tokens).sql());
    ParsedStatement inner = analyzer.analyze(innerTokens);
    Plan plan = plan(inner, bindings.over(innerTokens), null);
    if (explain.collegedb()) {
      return new Plan.Explain(plan, explain.analyze(), innerTokens, inner);
    }
    Route where = routeOf(plan);
    boolean writes = !(inner instanceof ParsedStatement.Select)
        && !(inner instanceof ParsedStatement.Unparsed u && u.kind() == ParsedStatement.StatementKind.SELECT);
    if (!explain.analyze() || !writes) {
      int shard = where == null ? 0 : where.shards()[0];
      return new Plan.OnShards(tokens, Route.to(Route.Kind.READ, shard), Plan.Purpose.INFO);
    }
    if (plan instanceof Plan.Refusal refusal) {
      return refusal;
    }
    if (plan instanceof Plan.ShardWrite w && w.route().single() && w.route().unchanged(0)
        && w.route().kind() == Route.Kind.WRITE) {
      return new Plan.OnShards(tokens, Route.to(Route.Kind.WRITE, w.route().shards()), Plan.Purpose.ANALYZED_WRITE);
    }
    return new Plan.Refusal(SqlStates.NOT_SUPPORTED, "EXPLAIN ANALYZE runs the statement it explains, and this "
        + "write cannot run as one statement on one shard (it spans shards, writes a broadcast table, or needs "
        + "CollegeDB's own steps: directory entries, a key guard, subqueries answered first). Use EXPLAIN without "
        + "ANALYZE for the backend's plan, or EXPLAIN COLLEGEDB ANALYZE for CollegeDB's",
        SQLFeatureNotSupportedException.class);
  }

  /** Where a plan's statement goes, or null when it has no one route. */
  private static Route routeOf(Plan plan) {
    if (plan instanceof Plan.ShardRead r) {
      return r.route();
    }
    if (plan instanceof Plan.ShardWrite w) {
      return w.route();
    }
    if (plan instanceof Plan.DirectoryWrite d) {
      return d.route();
    }
    if (plan instanceof Plan.LastInsertId l) {
      return routeOf(l.otherwise());
    }
    return null;
  }

  // ---------------------------------------------------------------- reads

  private Plan select(ParsedStatement.Select select, Tokens tokens, Bindings bindings, Memo memo)
      throws SQLException {
    if (select.tables().isEmpty()) {
      LastInsertIdCall call = LastInsertIdCall.of(tokens.sql());
      if (call != null) {
        return new Plan.LastInsertId(call.function(), call.label(), read(select, tokens, bindings, memo));
      }
    }
    return read(select, tokens, bindings, memo);
  }

  private Plan read(ParsedStatement.Select select, Tokens tokens, Bindings bindings, Memo memo)
      throws SQLException {
    Route route;
    try {
      route = router.routeSelect(select, bindings);
    } catch (ShardRouter.SetOperationAcrossShards e) {
      return select.setQuery() == null ? Refusals.of(e) : new Plan.SetOperation(tokens, select.setQuery());
    }
    Plan moving = readInMotion(route, select, tokens);
    return moving != null ? moving : readOn(route, select, tokens, bindings, memo);
  }

  // ---------------------------------------------------------------- reads while a reshard moves ranges

  /**
   * A read of several shards of a sharded table whose answer the shards compute (aggregates, GROUP BY, DISTINCT,
   * HAVING), while the session's map has ranges in motion: a shard may hold rows it does not own, which its partial
   * answer would count, so the query takes the distributed path, whose fragments are plain reads with the ownership
   * filter ({@link #ownership}). Null when the read is exact as planned (one shard, plain rows, no motion), or when the
   * distributed path is off ({@code crossShardQueries=pushdown-only}: then the shards' answers may count a moving row
   * twice, as the README says).
   */
  private Plan readInMotion(Route route, ParsedStatement.Select select, Tokens tokens) throws SQLException {
    if (route.single() || !crossShardQueries || select.forUpdate() || MergePlanner.plainRows(select)
        || checkedShards(route).length == 0 || firstShardedTable(select) == null) {
      return null;
    }
    return new Plan.CrossShard(tokens, select, "a reshard is moving ranges (shard map v"
        + router.context().shardMap().version() + "): shards may hold rows they do not own, so their aggregates "
        + "cannot be merged; the rows are read with the ownership filter");
  }

  /**
   * The shards of a read of several shards that may hold rows they do not own (the session's map has ranges in
   * motion), ascending; empty when none (no motion, or only a joining shard's copies, which no read of the old map
   * reaches). Where the directory places keys, every shard read (a key placed on a draining shard is copied to the new
   * map's owner of its hash, which need not be a range's new owner).
   */
  private int[] checkedShards(Route route) {
    org.collegedb.internal.route.ShardMap map = router.context().shardMap();
    if (route.single() || !map.inMotion()) {
      return new int[0];
    }
    org.collegedb.internal.route.KeyDirectory directory = router.context().directory();
    int[] routed = route.shards().clone();
    java.util.Arrays.sort(routed);
    if (directory != null && directory.placesKeys()) {
      return routed; // a placed key lives where its placement says, not where the map puts its hash
    }
    return java.util.Arrays.stream(map.holdersOfCopies())
        .filter(s -> java.util.Arrays.binarySearch(routed, s) >= 0).toArray();
  }

  /**
   * The ownership filter of a read of several shards while the session's map has ranges in motion: the key of the
   * query's first sharded table, checked on the shards that may hold rows they do not own. Null without motion, or
   * when the query reads no sharded table.
   */
  private org.collegedb.internal.merge.Ownership ownership(Route route, ParsedStatement.Select select)
      throws SQLException {
    int[] checked = checkedShards(route);
    TableRef table = checked.length == 0 ? null : firstShardedTable(select);
    if (table == null) {
      return null;
    }
    TableRule rule = router.context().rule(table.name());
    String qualifier = select.tables().size() == 1 ? "" : (table.alias() != null ? table.alias() : table.name()) + ".";
    List<String> key = new ArrayList<>();
    for (String column : rule.keyColumns()) {
      key.add(qualifier + column);
    }
    return ownership(rule, key, checked);
  }

  /** The ownership filter of rows of {@code rule}'s table whose key is read as {@code key}, on {@code checked}. */
  private org.collegedb.internal.merge.Ownership ownership(TableRule rule, List<String> key, int[] checked) {
    org.collegedb.internal.route.ShardMap map = router.context().shardMap();
    org.collegedb.internal.route.KeyDirectory directory = router.context().directory();
    org.collegedb.internal.merge.Ownership.PlacementSource placements = directory == null || !directory.placesKeys()
        ? null : () -> {
          org.collegedb.internal.route.KeyDirectory.Placements p = directory.placements(rule);
          return p == null ? null : p::shardOf;
        };
    return new org.collegedb.internal.merge.Ownership(List.copyOf(key), rule.keyTypes(), map::ownerIndex, checked,
        map.version(), placements);
  }

  /** The first sharded table a query reads (rows of a broadcast or unkeyed table do not move), or null. */
  private TableRef firstShardedTable(ParsedStatement.Select select) throws SQLException {
    for (TableRef t : select.tables()) {
      if (router.context().rule(t.name()).sharded()) {
        return t;
      }
    }
    return null;
  }

  /** The read of {@code select} on {@code route}: its lock mode, merge and catalog filter. */
  public Plan.ShardRead readOn(Route route, ParsedStatement.Select select, Tokens tokens, Bindings bindings,
      Memo memo) throws SQLException {
    Plan.Lock lock = Plan.Lock.NONE;
    if (select.forUpdate()) {
      if (route.single() && !select.tables().isEmpty() && allBroadcast(select.tables())) {
        route = router.everywhere(Route.Kind.BROADCAST_LOCK);
        lock = Plan.Lock.EVERY_COPY;
      } else if (!route.single()) {
        route = route.as(Route.Kind.LOCKING_READ);
        lock = Plan.Lock.IN_SHARD_ORDER;
      }
    }
    MergePlan merge = null;
    if (!route.single() && lock != Plan.Lock.EVERY_COPY) {
      org.collegedb.internal.merge.Ownership owned = MergePlanner.plainRows(select) ? ownership(route, select) : null;
      merge = memo != null && tokens == memo.mergePlanTokens && owned == null ? memo.mergePlan : null;
      if (merge == null) {
        merge = MergePlanner.plan(select, bindings, dialect,
            select.has(ParsedStatement.Feature.GROUP_BY) && router.groupsStayOnOneShard(select), owned);
        if (merge.reusable() && memo != null) { // the same text (a prepared statement) gets the same plan
          memo.mergePlan = merge;
          memo.mergePlanTokens = tokens;
        }
      }
    }
    return new Plan.ShardRead(tokens, select, route, merge, lock, readsCatalog(select, memo));
  }

  private boolean allBroadcast(List<TableRef> tables) throws SQLException {
    for (TableRef t : tables) {
      if (!router.context().rule(t.name()).broadcast()) {
        return false;
      }
    }
    return true;
  }

  /** Whether a query reads the databases' own catalogs (whose rows naming CollegeDB's tables are hidden). */
  private boolean readsCatalog(ParsedStatement.Select select, Memo memo) throws SQLException {
    if (memo != null && memo.catalogChecked == select) {
      return memo.catalogAnswer;
    }
    boolean reads = false;
    for (TableRef t : select.tables()) {
      if (SystemTables.isSystem(t.name()) && !router.context().rule(t.name()).exists()) {
        reads = true;
        break;
      }
    }
    if (memo != null) {
      memo.catalogChecked = select;
      memo.catalogAnswer = reads;
    }
    return reads;
  }

  /**
   * The subqueries to answer first: the outermost uncorrelated ones that read sharded tables, in a context whose
   * answer can replace them (IN list, scalar value, EXISTS). Refused when there are none.
   */
  private Plan subqueriesFirst(List<ParsedStatement.Block> blocks, Tokens tokens, SQLException refusal)
      throws SQLException {
    List<ParsedStatement.Block> chosen = new ArrayList<>();
    for (ParsedStatement.Block b : blocks) {
      if (b.correlated() || b.first() < 0 || b.context() == ParsedStatement.BlockContext.OTHER
          || !readsSpreadTables(b)) {
        continue;
      }
      chosen.removeIf(c -> c.first() >= b.first() && c.last() <= b.last()); // keep the outermost
      if (chosen.stream().noneMatch(c -> b.first() >= c.first() && b.last() <= c.last())) {
        chosen.add(b);
      }
    }
    for (ParsedStatement.Block b : chosen) {
      if (b.context() == ParsedStatement.BlockContext.EXISTS && !tokens.isWord(b.first() - 2, "EXISTS")) {
        return Refusals.of(refusal);
      }
    }
    if (chosen.isEmpty()) {
      return Refusals.of(refusal);
    }
    return new Plan.SubqueriesFirst(tokens, List.copyOf(chosen), refusal.getMessage());
  }

  private boolean readsSpreadTables(ParsedStatement.Block b) throws SQLException {
    for (TableRef t : b.scope()) {
      if (!router.context().rule(t.name()).broadcast()) {
        return true;
      }
    }
    return false;
  }

  private static List<ParsedStatement.Block> blocksOf(ParsedStatement statement) {
    return statement instanceof ParsedStatement.Select s ? s.blocks()
        : statement instanceof ParsedStatement.Update u ? u.blocks()
        : statement instanceof ParsedStatement.Delete d ? d.blocks() : List.of();
  }

  // ---------------------------------------------------------------- writes

  private Plan insert(ParsedStatement.Insert insert, Tokens tokens, Bindings bindings) throws SQLException {
    TableRule rule = router.context().rule(insert.table().name());
    if (insert.source() != null) {
      return InsertSources.plan(insert, rule, tokens, router);
    }
    if (directoryInvolved(rule)) {
      return new Plan.DirectoryWrite(tokens, insert, rule, null);
    }
    return new Plan.ShardWrite(tokens, router.routeInsert(insert, rule, bindings));
  }

  private Plan update(ParsedStatement.Update update, Tokens tokens, Bindings bindings) throws SQLException {
    Route route;
    try {
      route = router.routeUpdate(update, bindings);
    } catch (ShardRouter.KeyMayChange e) {
      Plan.GuardedKeyUpdate guard = new Plan.GuardedKeyUpdate(tokens, update, e.assignment(), e.getMessage());
      TableRule rule = router.context().rule(update.table().name());
      String refusal = rule.lookup().isEmpty() ? null : e.getMessage() + " ('" + rule.name() + "' has lookup "
          + "columns " + rule.lookup() + ", whose directory entries name the key: CollegeDB does not move such rows)";
      return new Plan.KeyMove(guard, rule, e.from(), e.target(), refusal);
    }
    TableRule rule = router.context().rule(update.table().name());
    if (rule.sharded() && setsLookup(update, rule)) {
      return new Plan.DirectoryWrite(tokens, update, rule, route, ownedCount(route, rule, update.features(),
          update.returning(), update.spans(), tokens));
    }
    return new Plan.ShardWrite(tokens, route, ownedCount(route, rule, update.features(),
        update.returning(), update.spans(), tokens));
  }

  private Plan delete(ParsedStatement.Delete delete, Tokens tokens, Bindings bindings) throws SQLException {
    Route route = router.routeDelete(delete, bindings);
    TableRule rule = router.context().rule(delete.table().name());
    if (rule.sharded() && !rule.lookup().isEmpty()) {
      return new Plan.DirectoryWrite(tokens, delete, rule, route, ownedCount(route, rule, delete.features(),
          delete.returning(), delete.spans(), tokens));
    }
    return new Plan.ShardWrite(tokens, route, ownedCount(route, rule, delete.features(),
        delete.returning(), delete.spans(), tokens));
  }

  /**
   * How an UPDATE/DELETE of several shards of a sharded table counts only the rows each shard owns while the
   * session's map has ranges in motion (a shard may hold copies or old rows the statement also changes): null when no
   * shard it runs on may hold such rows. On H2 (no RETURNING) the statement becomes a data change delta table,
   * {@code SELECT <key> FROM FINAL TABLE (UPDATE ...)}. A statement with its own RETURNING (its tokens
   * {@code rowsOf}): on PostgreSQL and SQLite the key is appended to its RETURNING list and its rows not owned are
   * dropped; on MariaDB it runs restricted to the owned keys, as without RETURNING, and returns what it changed.
   * A subquery over other tables (broadcast ones: one over a sharded table is refused or answered first) changes
   * nothing: the key returned or read is the statement's own table's. ({@code ORDER BY}/{@code LIMIT} and
   * several tables in the statement's FROM/USING never reach here: the parser does not take such an UPDATE/DELETE,
   * and the planner refuses it.)
   */
  private Plan.OwnedCount ownedCount(Route route, TableRule rule, java.util.Set<ParsedStatement.Feature> features,
      boolean returning, org.collegedb.parse.WriteSpans spans, Tokens rowsOf) throws SQLException {
    boolean ownRows = returning && (dialect == Dialect.POSTGRES || dialect == Dialect.SQLITE
        || dialect == Dialect.MYSQL);
    if (!rule.sharded() || route.single() || route.kind() != Route.Kind.WRITE || returning && !ownRows
        || spans == null || spans.tableFrom() < 0 || features.contains(ParsedStatement.Feature.ORDER_BY)
        || features.contains(ParsedStatement.Feature.LIMIT)
        || !(dialect == Dialect.POSTGRES || dialect == Dialect.SQLITE || dialect == Dialect.MYSQL
            || dialect == Dialect.H2)) {
      return null;
    }
    int[] checked = checkedShards(route);
    if (checked.length == 0) {
      return null;
    }
    org.collegedb.internal.merge.Ownership ownership = ownership(rule, List.copyOf(rule.keyColumns()), checked);
    if (dialect == Dialect.MYSQL) {
      return new Plan.OwnedCount(ownership, null,
          org.collegedb.internal.rewrite.AffectedRowsText.lockingSelect(spans, rule.keyColumns()),
          new org.collegedb.internal.rewrite.OwnedKeysText(spans, rule.keyColumns()), returning, spans);
    }
    if (ownRows) {
      return new Plan.OwnedCount(ownership, org.collegedb.internal.rewrite.AffectedRowsText.returningToo(rowsOf,
          rule.keyColumns()), null, null, true, spans);
    }
    return new Plan.OwnedCount(ownership, dialect == Dialect.H2
        ? org.collegedb.internal.rewrite.AffectedRowsText.deltaTable(spans, rule.keyColumns())
        : org.collegedb.internal.rewrite.AffectedRowsText.returning(spans, rule.keyColumns()), null, null, false,
        spans);
  }

  /**
   * The placement of a directory INSERT's rows once their keys are known: each row on the owner of its key (placed
   * by the directory for a new key). {@code callerParams}, when not null, maps the text's parameters to the caller's
   * (the text is a rewrite of the caller's: {@link Route#withCallerParameters}).
   */
  public Plan.PlacedInsert placeRows(ParsedStatement.Insert insert, TableRule rule, Bindings bindings,
      int[] callerParams) throws SQLException {
    int[] owners = router.insertOwners(insert, rule, bindings);
    Route route = router.routeInsert(insert, bindings, owners);
    if (callerParams != null) {
      route = route.withCallerParameters(callerParams);
    }
    return new Plan.PlacedInsert(bindings.tokens(), insert, owners, route);
  }

  /** Whether a plain INSERT into this table goes through the directory rather than straight to its shards. */
  public static boolean directoryInvolved(TableRule rule) {
    return rule.sharded() && (rule.generatedKey() != null || !rule.lookup().isEmpty());
  }

  private static boolean setsLookup(ParsedStatement.Update update, TableRule rule) {
    for (String column : update.setColumns()) {
      if (rule.lookup().contains(column.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- control, unparsed

  private Plan control(ParsedStatement.Control control, Tokens tokens) {
    return switch (control.kind()) {
      case BEGIN, COMMIT, ROLLBACK -> new Plan.Transaction(tokens, control.kind());
      case SAVEPOINT, RELEASE_SAVEPOINT, ROLLBACK_TO_SAVEPOINT ->
          new Plan.OnShards(tokens, router.everywhere(Route.Kind.DDL), Plan.Purpose.SAVEPOINT);
      case SESSION, MAINTENANCE -> new Plan.OnShards(tokens, router.everywhere(Route.Kind.DDL), Plan.Purpose.SESSION);
      case INFO -> new Plan.OnShards(tokens, Route.to(Route.Kind.READ, 0), Plan.Purpose.INFO);
    };
  }

  private Plan unparsed(ParsedStatement.Unparsed unparsed, Tokens tokens) {
    if (unparsed.kind() == ParsedStatement.StatementKind.SELECT && unparsedReadsToAllShards) {
      return new Plan.OnShards(tokens, router.everywhere(Route.Kind.READ), Plan.Purpose.UNPARSED_READ);
    }
    String advice = unparsed.kind() == ParsedStatement.StatementKind.SELECT
        ? " Reads CollegeDB cannot parse can be sent to every shard with 'unparsedReads=all-shards'."
        : " A write must be parsed: CollegeDB will not guess where its rows belong.";
    return new Plan.Refusal(SqlStates.SYNTAX, "CollegeDB cannot parse this statement, so it cannot tell which shards "
        + "it touches: " + unparsed.reason() + "." + advice, SQLSyntaxErrorException.class);
  }
}
