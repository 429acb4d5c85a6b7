package org.collegedb.internal.route;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.collegedb.SqlStates;
import org.collegedb.parse.ColumnRef;
import org.collegedb.parse.Condition;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TableRef;
import org.collegedb.parse.ValueRef;
import org.collegedb.internal.rewrite.Edit;
import org.collegedb.internal.rewrite.Edits;
import org.collegedb.internal.rewrite.InListPruner;
import org.collegedb.internal.rewrite.Splice;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.internal.value.KeyType;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.value.KeyHasher;

/**
 * Decides which shards run a statement, and with what text: one shard for a single key; the owners of the keys for
 * IN and OR, each with the IN list pruned to its own keys; every shard otherwise. Refuses, with SQLState 0A000,
 * what cannot run correctly shard by shard.
 */
public final class ShardRouter {
  /** What routing needs to know of the database. */
  public interface Context {
    ShardMap shardMap();

    /** The rule for a table, read from the shards' metadata when not known yet. */
    TableRule rule(String table) throws SQLException;

    /** The directory, when it places keys or keeps lookup keys; null when the shard map alone routes. */
    default KeyDirectory directory() {
      return null;
    }
  }

  private final Context context;

  public ShardRouter(Context context) {
    this.context = context;
  }

  public Context context() {
    return context;
  }

  private int shardCount() {
    return context.shardMap().shards().size();
  }

  /** The shards that own keys: a shard joining the cluster (or drained) holds no rows a statement may see. */
  private int[] allShards() {
    return context.shardMap().ownerIndices(); // a copy: callers may keep it
  }

  // ---------------------------------------------------------------- reads

  /** A query's targets, with the pruned text of each where an IN list was split. */
  public Route routeSelect(ParsedStatement.Select select, Bindings bindings) throws SQLException {
    Placement p;
    try {
      p = placeQuery(select, bindings);
    } catch (SubqueryAcrossShards e) {
      if (select.has(ParsedStatement.Feature.SET_OPERATION)) {
        throw new SetOperationAcrossShards("INTERSECT and EXCEPT of queries whose rows are on different shards "
            + "cannot be answered exactly (UNION and UNION ALL can): run each query on its own and combine them in "
            + "the application, or pin each to one shard key");
      }
      if (select.has(ParsedStatement.Feature.WITH)) {
        throw notSupported("WITH (common table expressions) over sharded tables cannot be answered across shards: "
            + "pin the query to one shard key, or inline the expressions as joins on the shard keys");
      }
      throw e;
    }
    if (p.shards.length > 1 && select.has(ParsedStatement.Feature.WINDOW)) {
      requireWindowsPartitionedByKey(select);
    }
    return p.route(Route.Kind.READ, bindings, context.shardMap()).withCacheUsed(p.cacheUsed);
  }

  /**
   * Whether every group of a query's GROUP BY lives on one shard: it groups by the shard key of a table it reads
   * (the tables of a join that runs shard by shard are co-located on that key). Then the shards' groups are already
   * whole, and merging needs no re-aggregation.
   */
  public boolean groupsStayOnOneShard(ParsedStatement.Select select) throws SQLException {
    if (select.shape() == null) {
      return false;
    }
    for (org.collegedb.parse.Expr g : select.shape().groupBy()) {
      if (!(g instanceof org.collegedb.parse.Expr.Column column)) {
        continue;
      }
      ColumnRef c = column.column();
      for (TableRef t : select.scope()) {
        TableRule rule = context.rule(t.name());
        if (rule.sharded() && rule.keyColumns().size() == 1 && rule.keyIndex(c.column()) == 0
            && (c.table() == null ? select.scope().size() == 1 : c.table().equalsIgnoreCase(t.name()))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Window functions run per shard only when every window is partitioned by the shard key: then each partition's
   * rows are all on one shard.
   */
  private void requireWindowsPartitionedByKey(ParsedStatement.Select select) throws SQLException {
    for (List<ColumnRef> partition : select.windowPartitions()) {
      boolean byKey = false;
      for (ColumnRef c : partition) {
        for (TableRef t : select.scope()) {
          TableRule rule = context.rule(t.name());
          if (rule.sharded() && rule.keyColumns().size() == 1 && rule.keyIndex(c.column()) == 0
              && (c.table() == null && select.scope().size() == 1 || t.name().equalsIgnoreCase(c.table()))) {
            byKey = true;
          }
        }
      }
      if (!byKey) {
        throw notSupported("window functions (OVER ...) across shards need every window partitioned by the shard "
            + "key (PARTITION BY <key>, ...), so that each partition's rows are on one shard. Add the key to the "
            + "PARTITION BY, or pin the query to one shard key");
      }
    }
    if (select.windowPartitions().isEmpty()) {
      throw notSupported("window functions (OVER ...) in a subquery across shards");
    }
  }

  /**
   * Where the rows a query reads live. Broadcast tables are everywhere and never constrain. The other tables of the
   * top level must be one table, or tables joined on their shard keys (co-located). A nested block (subquery,
   * derived table) may read sharded tables only when it is tied to the top level's shard key (correlated on it:
   * {@code WHERE o.user_id = u.id}) or pinned to keys on the one shard the statement runs on.
   */
  Placement placeQuery(ParsedStatement.Select select, Bindings bindings) throws SQLException {
    if (select.tables().size() == 1 && select.blocks().isEmpty() && select.scope().size() == 1) {
      // The common case, without building collections: one table, read at the top level.
      TableRef t = select.scope().get(0);
      TableRule rule = context.rule(t.name());
      if (rule.broadcast() || t.name().equalsIgnoreCase("dual") && !rule.exists()) {
        return Placement.one(0);
      }
      if (!rule.sharded()) {
        return Placement.all(allShards());
      }
      OneTable columns = new OneTable(rule, t.name());
      return placeByKey(rule, columns, select.where(), bindings, KeyDirectory.Use.READ, columns);
    }
    Map<String, TableRule> rules = new HashMap<>();
    for (TableRef t : select.tables()) {
      String key = t.name().toLowerCase(Locale.ROOT);
      if (!rules.containsKey(key)) {
        rules.put(key, context.rule(t.name()));
      }
    }
    List<TableRef> spread = new ArrayList<>();
    for (TableRef t : select.scope()) {
      TableRule rule = rules.get(t.name().toLowerCase(Locale.ROOT));
      // A missing 'dual' is the dummy table of SELECT s.nextval FROM dual: no rows to place.
      if (!rule.broadcast() && !(t.name().equalsIgnoreCase("dual") && !rule.exists())) {
        spread.add(t);
      }
    }
    Placement p;
    if (spread.isEmpty()) {
      // Only tables copied everywhere, or none (SELECT nextval('s'), SELECT s.nextval FROM dual): the first shard
      // answers, so that every sequence is answered by one place.
      p = Placement.one(0);
    } else if (spread.size() == 1) {
      TableRule rule = rules.get(spread.get(0).name().toLowerCase(Locale.ROOT));
      if (!rule.sharded()) {
        p = Placement.all(allShards());
      } else {
        String table = spread.get(0).name();
        p = placeByKey(rule, column -> isColumnOf(column, table, rule, select.scope(), rules)
            ? rule.keyIndex(column.column()) : -1, select.where(), bindings, KeyDirectory.Use.READ,
            column -> isColumnOf(column, table, rule, select.scope(), rules));
      }
    } else {
      p = placeJoin(spread, select.scope(), select.where(), select.joins(), rules, bindings);
    }
    boolean topReadsShards = !spread.isEmpty();
    boolean movedToSubquery = false;
    Correlations resolved = select.blocks().isEmpty() ? null
        : Correlations.resolve(select.blocks(), select.scope(), context);
    for (int pass = 0; pass < 2; pass++) { // correlated blocks first: they are refused, never answered first
    for (ParsedStatement.Block block : select.blocks()) {
      if (resolved.correlated(block) != (pass == 0)) {
        continue;
      }
      for (TableRef t : block.scope()) {
        TableRule rule = rules.get(t.name().toLowerCase(Locale.ROOT));
        if (rule == null || rule.broadcast()) {
          continue;
        }
        if (correlatedOnKey(t, rule, resolved.correlations(block), spread, rules)) {
          continue;
        }
        Integer pinned = pinnedShard(t, rule, block, bindings);
        if (pinned != null) {
          if (p.shards.length == 1 && p.shards[0] == pinned) {
            continue;
          }
          if (!topReadsShards && !movedToSubquery) {
            p = Placement.one(pinned); // only broadcast tables outside: run where the subquery's rows are
            movedToSubquery = true;
            continue;
          }
        }
        if (pass == 0) {
          throw notSupported("a correlated subquery reads the sharded table '" + t.name() + "', whose rows may be "
              + "on other shards than the rows it refers to. Tie it to the outer query's shard key (e.g. WHERE "
              + t.name() + "." + (rule.sharded() ? rule.keyColumns().get(0) : "key") + " = <outer>.<key>), pin it "
              + "to one key, or make '" + t.name() + "' a broadcast table");
        }
        throw new SubqueryAcrossShards("a subquery reads the sharded table '" + t.name() + "', whose rows may be on other "
            + "shards than the rows it is compared with. Tie the subquery to the outer query's shard key (e.g. "
            + "WHERE " + t.name() + "." + (rule.sharded() ? rule.keyColumns().get(0) : "key") + " = <outer>."
            + "<key>), pin it to one key, rewrite it as a join on the shard keys, or make '" + t.name()
            + "' a broadcast table");
      }
    }
    }
    return p;
  }

  /** Whether a nested block's table is tied, by an equality on its shard key, to the key of a top-level table. */
  private boolean correlatedOnKey(TableRef t, TableRule rule, List<ParsedStatement.Correlation> correlations,
      List<TableRef> spread, Map<String, TableRule> rules) {
    if (!rule.sharded() || rule.keyColumns().size() != 1) {
      return false;
    }
    for (ParsedStatement.Correlation c : correlations) {
      if (c.inner().table() == null || !c.inner().table().equalsIgnoreCase(t.name())
          || rule.keyIndex(c.inner().column()) != 0) {
        continue;
      }
      for (TableRef outer : spread) {
        TableRule o = rules.get(outer.name().toLowerCase(Locale.ROOT));
        if (o.sharded() && o.keyColumns().size() == 1 && c.outer().table() != null
            && c.outer().table().equalsIgnoreCase(outer.name()) && o.keyIndex(c.outer().column()) == 0
            && o.keyTypes()[0] == rule.keyTypes()[0]) {
          return true;
        }
      }
    }
    return false;
  }

  /** The one shard a nested block's keys for this table all live on, or null. */
  private Integer pinnedShard(TableRef t, TableRule rule, ParsedStatement.Block block, Bindings bindings)
      throws SQLException {
    if (!rule.sharded()) {
      return null;
    }
    List<Object[]> tuples = KeySet.tuples(block.where(), rule.keyTypes(),
        c -> c.table() != null && c.table().equalsIgnoreCase(t.name()) || c.table() == null
            && block.scope().size() == 1 ? rule.keyIndex(c.column()) : -1, bindings);
    if (tuples == null || tuples.isEmpty()) {
      return null;
    }
    Integer shard = null;
    for (Object[] tuple : tuples) {
      int owner = context.shardMap().ownerIndex(KeyHasher.hash(rule.keyTypes(), tuple));
      if (shard != null && shard != owner) {
        return null;
      }
      shard = owner;
    }
    return shard;
  }

  /** Tables joined on their keys live together: route by any key of the join's key class. */
  private Placement placeJoin(List<TableRef> spread, List<TableRef> scope, Condition where, List<Condition> joins,
      Map<String, TableRule> rules, Bindings bindings) throws SQLException {
    for (TableRef t : spread) {
      TableRule rule = rules.get(t.name().toLowerCase(Locale.ROOT));
      if (!rule.sharded() || rule.keyColumns().size() != 1) {
        throw notSupported("the join of " + names(spread) + " spans shards: '" + t.name() + "' has "
            + (rule.sharded() ? "a composite shard key" : "no shard key")
            + ". Join sharded tables on their shard keys, or make '" + t.name() + "' a broadcast table ("
            + "tables." + t.name() + ".broadcast=true)");
      }
    }
    // Union-find over the key columns, by the equalities of the joins and the WHERE clause.
    List<Condition.ColumnsEqual> equalities = new ArrayList<>();
    equalitiesOf(where, equalities);
    for (Condition j : joins) {
      equalitiesOf(j, equalities);
    }
    int n = spread.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (Condition.ColumnsEqual eq : equalities) {
      int a = keyOf(eq.left(), spread, scope, rules);
      int b = keyOf(eq.right(), spread, scope, rules);
      if (a >= 0 && b >= 0) {
        parent[find(parent, a)] = find(parent, b);
      }
    }
    int root = find(parent, 0);
    KeyType type = rules.get(spread.get(0).name().toLowerCase(Locale.ROOT)).keyTypes()[0];
    for (int i = 1; i < n; i++) {
      TableRule rule = rules.get(spread.get(i).name().toLowerCase(Locale.ROOT));
      if (find(parent, i) != root) {
        throw notSupported("the join of " + names(spread) + " spans shards: '" + spread.get(i).name()
            + "' is not joined on its shard key '" + rule.keyColumns().get(0) + "' to the shard key of '"
            + spread.get(0).name() + "'. Only joins on the shard keys (co-located tables) and joins with "
            + "broadcast tables run across shards");
      }
      if (rule.keyTypes()[0] != type) {
        throw notSupported("the join of " + names(spread) + " spans shards: the shard keys have different types ("
            + type + " and " + rule.keyTypes()[0] + "), so equal keys may live on different shards");
      }
    }
    // Every table of the join lives with its key: any key predicate on any of them pins the shard.
    return placeByKey(rules.get(spread.get(0).name().toLowerCase(Locale.ROOT)),
        column -> keyOf(column, spread, scope, rules) >= 0 ? 0 : -1, where, bindings, KeyDirectory.Use.READ, null);
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** The index in {@code spread} of the table whose shard key {@code column} is, or -1. */
  private int keyOf(ColumnRef column, List<TableRef> spread, List<TableRef> scope, Map<String, TableRule> rules) {
    for (int i = 0; i < spread.size(); i++) {
      TableRef t = spread.get(i);
      TableRule rule = rules.get(t.name().toLowerCase(Locale.ROOT));
      if (column.qualifier() != null && !(t.alias() == null ? column.qualifier().equalsIgnoreCase(t.name())
          : column.qualifier().equalsIgnoreCase(t.alias()))) {
        continue; // another occurrence of the table (a self-join: users u JOIN users v ON u.id = v.id)
      }
      if (rule.keyIndex(column.column()) >= 0 && isColumnOf(column, t.name(), rule, scope, rules)) {
        return i;
      }
    }
    return -1;
  }

  private static void equalitiesOf(Condition c, List<Condition.ColumnsEqual> out) {
    if (c instanceof Condition.ColumnsEqual eq) {
      out.add(eq);
    } else if (c instanceof Condition.And and) {
      for (Condition t : and.terms()) {
        equalitiesOf(t, out);
      }
    }
  }

  /** Whether a column reference means a column of {@code table}. */
  private static boolean isColumnOf(ColumnRef column, String table, TableRule rule, List<TableRef> scope,
      Map<String, TableRule> rules) {
    if (column.table() != null) {
      return column.table().equalsIgnoreCase(table);
    }
    // Unqualified in a join: it is this table's if no other table in scope has such a column.
    String name = column.column();
    if (!rule.columns().contains(name)) { // lower case as written: no copy
      name = name.toLowerCase(Locale.ROOT);
      if (!rule.columns().contains(name)) {
        return false;
      }
    }
    for (TableRef t : scope) {
      if (!t.name().equalsIgnoreCase(table)) {
        TableRule other = rules.get(t.name().toLowerCase(Locale.ROOT));
        if (other == null || other.columns().isEmpty() || other.columns().contains(name)) {
          return false;
        }
      }
    }
    return true;
  }

  private static String names(List<TableRef> tables) {
    return tables.stream().map(TableRef::name).distinct().toList().toString();
  }

  /**
   * Where the rows a condition allows live: the owners of the keys it pins; else, when {@code ofTable} is given and
   * the condition pins a lookup column of the table, the shards the directory names for those values; else every
   * shard.
   */
  private Placement placeByKey(TableRule rule, KeySet.KeyColumns keyColumn, Condition where, Bindings bindings,
      KeyDirectory.Use use, java.util.function.Predicate<ColumnRef> ofTable) throws SQLException {
    List<Object[]> tuples = KeySet.tuples(where, rule.keyTypes(), keyColumn, bindings);
    KeyDirectory directory = context.directory();
    List<String> cacheUsed = directory == null ? List.of() : new ArrayList<>();
    if (tuples == null) {
      if (directory != null && ofTable != null) {
        for (String column : rule.lookup()) {
          List<Object[]> values = KeySet.tuples(where, new KeyType[] {rule.typeOf(column)},
              c -> ofTable.test(c) && c.column().equalsIgnoreCase(column) ? 0 : -1, bindings);
          if (values == null) {
            continue;
          }
          BitSet owners = directory.lookupOwners(rule, column, values.stream().map(v -> v[0]).toList(), use,
              cacheUsed);
          Placement p = owners.isEmpty() ? Placement.one(0) : new Placement(owners.stream().toArray(), false);
          p.cacheUsed = cacheUsed;
          return p;
        }
      }
      return Placement.all(allShards());
    }
    ShardMap map = context.shardMap();
    boolean placed = directory != null && directory.placesKeys();
    if (tuples.isEmpty()) {
      return Placement.one(0); // contradictory keys: no row matches; one shard answers with the right columns
    }
    if (tuples.size() == 1 && !placed) { // the common case: one key, no collections
      return Placement.one(map.ownerIndex(KeyHasher.hash(rule.keyTypes(), tuples.get(0))));
    }
    ShardSet owners = new ShardSet(map.shards().size());
    for (Object[] t : tuples) {
      long hash = KeyHasher.hash(rule.keyTypes(), t);
      int owner = placed && !KeyHasher.hasNull(t) ? directory.owner(rule, t, hash, use, cacheUsed)
          : map.ownerIndex(hash); // NULL keys are never placed: they live at KeyHasher.NULL_POSITION
      if (owner < 0) {
        Placement all = Placement.all(allShards());
        all.cacheUsed = cacheUsed;
        return all;
      }
      owners.add(owner);
    }
    Placement p = new Placement(owners.toArray(), false);
    p.cacheUsed = cacheUsed;
    if (p.shards.length > 1 && rule.keyColumns().size() == 1 && !placed) {
      List<Condition.In> lists = new ArrayList<>();
      KeySet.inLists(where, c -> keyColumn.indexOf(c) == 0, lists);
      p.prunable = lists;
      p.keyType = rule.keyTypes()[0];
    }
    return p;
  }

  /** Shard indices added in any order, handed out ascending and once each: a set without boxing. */
  private static final class ShardSet {
    private final boolean[] member;
    private int size;

    ShardSet(int shardCount) {
      member = new boolean[shardCount];
    }

    void add(int shard) {
      if (!member[shard]) {
        member[shard] = true;
        size++;
      }
    }

    int[] toArray() {
      int[] out = new int[size];
      for (int s = 0, i = 0; i < size; s++) {
        if (member[s]) {
          out[i++] = s;
        }
      }
      return out;
    }
  }

  /**
   * The columns of a query's one table (unqualified, or qualified by its name) and which of them are its key columns:
   * one object for both questions, on the point-select path.
   */
  private record OneTable(TableRule rule, String table) implements KeySet.KeyColumns,
      java.util.function.Predicate<ColumnRef> {
    @Override
    public boolean test(ColumnRef column) {
      return column.table() == null || column.table().equalsIgnoreCase(table);
    }

    @Override
    public int indexOf(ColumnRef column) {
      return test(column) ? rule.keyIndex(column.column()) : -1;
    }
  }

  /** The shards a statement's rows live on, and what to prune from its IN lists per shard. */
  static final class Placement {
    final int[] shards;
    final boolean everywhere;
    List<Condition.In> prunable = List.of();
    KeyType keyType;
    List<String> cacheUsed = List.of();

    Placement(int[] shards, boolean everywhere) {
      this.shards = shards;
      this.everywhere = everywhere;
    }

    static Placement one(int shard) {
      return new Placement(new int[] {shard}, false);
    }

    static Placement all(int[] shards) {
      return new Placement(shards, true);
    }

    Route route(Route.Kind kind, Bindings bindings, ShardMap map) throws SQLException {
      if (prunable.isEmpty() || shards.length == 1) {
        return Route.to(kind, shards);
      }
      // Which elements of each IN list belong to which shard.
      List<int[]> owners = new ArrayList<>();
      for (Condition.In in : prunable) {
        int[] o = new int[in.values().size()];
        for (int e = 0; e < o.length; e++) {
          Object v = bindings.value(in.values().get(e));
          o[e] = v == null ? -1 : map.ownerIndex(KeyHasher.hash(keyType, v));
        }
        owners.add(o);
      }
      Edits[] edits = new Edits[shards.length];
      for (int i = 0; i < shards.length; i++) {
        List<BitSet> kept = new ArrayList<>();
        for (int[] o : owners) {
          BitSet k = new BitSet();
          for (int e = 0; e < o.length; e++) {
            if (o[e] == shards[i]) {
              k.set(e);
            }
          }
          kept.add(k);
        }
        edits[i] = InListPruner.prune(prunable, kept);
      }
      return new Route(kind, shards, edits);
    }
  }

  // ---------------------------------------------------------------- writes

  /** An INSERT: each row to the owner of its key; rows of several shards split into one statement per shard. */
  public Route routeInsert(ParsedStatement.Insert insert, Bindings bindings) throws SQLException {
    return routeInsert(insert, context.rule(insert.table().name()), bindings);
  }

  /** {@link #routeInsert(ParsedStatement.Insert, Bindings)} with the table's rule already looked up. */
  public Route routeInsert(ParsedStatement.Insert insert, TableRule rule, Bindings bindings) throws SQLException {
    if (rule.broadcast()) {
      return Route.to(Route.Kind.BROADCAST_WRITE, allShards());
    }
    requireKey(rule, insert.table().name());
    if (insert.source() != null) {
      throw new IllegalStateException("INSERT ... SELECT is routed by its executor");
    }
    return routeInsert(insert, bindings, insertOwners(insert, rule, bindings));
  }

  /** An INSERT ... VALUES whose rows' shards are known ({@link #insertOwners}). */
  public Route routeInsert(ParsedStatement.Insert insert, Bindings bindings, int[] owners) {
    if (owners.length == 1) { // one row: its owner, without a set of shards
      return Route.to(Route.Kind.WRITE, new int[] {owners[0]});
    }
    ShardSet set = new ShardSet(context.shardMap().shards().size());
    for (int owner : owners) {
      set.add(owner);
    }
    int[] shards = set.toArray();
    if (shards.length == 1) {
      return Route.to(Route.Kind.WRITE, shards);
    }
    Edits[] edits = new Edits[shards.length];
    List<ParsedStatement.Row> rows = insert.rows();
    int first = rows.get(0).open();
    int last = rows.get(rows.size() - 1).close();
    for (int i = 0; i < shards.length; i++) {
      List<Integer> mine = new ArrayList<>();
      for (int r = 0; r < owners.length; r++) {
        if (owners[r] == shards[i]) {
          mine.add(r);
        }
      }
      Object[] parts = new Object[mine.size() * 2 - 1];
      for (int j = 0; j < mine.size(); j++) {
        ParsedStatement.Row row = rows.get(mine.get(j));
        if (j > 0) {
          parts[2 * j - 1] = ", ";
        }
        parts[2 * j] = new Splice.Copy(row.open(), row.close());
      }
      edits[i] = Edit.replace(first, last, parts);
    }
    return new Route(Route.Kind.WRITE, shards, edits);
  }

  /**
   * The shard of each row of an INSERT ... VALUES into a sharded table, in row order. Under a directory that places
   * keys, new keys are placed here, before any row is written.
   */
  public int[] insertOwners(ParsedStatement.Insert insert, TableRule rule, Bindings bindings) throws SQLException {
    int[] keyPositions = keyPositions(insert, rule);
    ShardMap map = context.shardMap();
    KeyDirectory directory = context.directory();
    boolean placed = directory != null && directory.placesKeys();
    int[] owners = new int[insert.rows().size()];
    for (int r = 0; r < insert.rows().size(); r++) {
      Object[] key = new Object[keyPositions.length];
      ParsedStatement.Row row = insert.rows().get(r);
      for (int k = 0; k < keyPositions.length; k++) {
        ValueRef ref = row.values().get(keyPositions[k]);
        if (ref instanceof ValueRef.Computed) {
          throw notSupported("the shard key '" + rule.keyColumns().get(k) + "' of '" + rule.name()
              + "' is an expression in row " + (r + 1) + ": give it as a literal or a ? parameter");
        }
        key[k] = bindings.value(ref);
        if (key[k] == null && rule.required().contains(rule.keyColumns().get(k))) {
          throw new SQLException("the shard key '" + rule.keyColumns().get(k) + "' of '" + rule.name()
              + "' is NULL in row " + (r + 1) + ", and the column is NOT NULL", SqlStates.NOT_NULL);
        }
        // A NULL in a nullable key column: the row lives at KeyHasher.NULL_POSITION.
      }
      long hash = KeyHasher.hash(rule.keyTypes(), key);
      if (placed && !KeyHasher.hasNull(key)) {
        Object[] canonical = new Object[key.length];
        for (int k = 0; k < key.length; k++) {
          canonical[k] = KeyHasher.canonical(rule.keyTypes()[k], key[k]);
        }
        owners[r] = directory.owner(rule, canonical, hash, KeyDirectory.Use.INSERT, new ArrayList<>());
      } else {
        owners[r] = map.ownerIndex(hash);
      }
    }
    return owners;
  }

  /** Where each key column stands in the INSERT's rows. */
  private static int[] keyPositions(ParsedStatement.Insert insert, TableRule rule) throws SQLException {
    List<String> columns = insert.columns().isEmpty() ? rule.columns() : insert.columns();
    int[] positions = new int[rule.keyColumns().size()];
    for (int k = 0; k < positions.length; k++) {
      String keyColumn = rule.keyColumns().get(k);
      positions[k] = -1;
      for (int c = 0; c < columns.size() && positions[k] < 0; c++) {
        if (columns.get(c).toLowerCase(Locale.ROOT).equals(keyColumn)) { // no copy when already lower case
          positions[k] = c;
        }
      }
      if (positions[k] < 0) {
        throw notSupported("INSERT into '" + rule.name() + "' does not give its shard key '" + keyColumn
            + "': name the column and give its value");
      }
      for (ParsedStatement.Row row : insert.rows()) {
        if (row.values().size() != columns.size()) {
          throw new java.sql.SQLSyntaxErrorException("INSERT into '" + rule.name() + "' has " + row.values().size()
              + " values for " + columns.size() + " columns", SqlStates.SYNTAX);
        }
      }
    }
    return positions;
  }

  public Route routeUpdate(ParsedStatement.Update update, Bindings bindings) throws SQLException {
    TableRule rule = context.rule(update.table().name());
    if (rule.broadcast()) {
      requireNoSpreadSubquery(update.tables(), update.table(), "UPDATE");
      return Route.to(Route.Kind.BROADCAST_WRITE, allShards());
    }
    requireKey(rule, update.table().name());
    requireUncorrelated(update.blocks(), update.table());
    requireNoSpreadSubquery(update.tables(), update.table(), "UPDATE");
    Placement p = placeByKey(rule, c -> columnOfTarget(c, update.table()) ? rule.keyIndex(c.column()) : -1,
        update.where(), bindings, KeyDirectory.Use.WRITE, c -> columnOfTarget(c, update.table()));
    for (int i = 0; i < update.setColumns().size(); i++) {
      String column = update.setColumns().get(i);
      int k = rule.keyIndex(column);
      if (k < 0) {
        continue;
      }
      if (!keepsKey(rule, k, update.setValues().get(i), update.where(), update.table(), bindings)) {
        if (rule.keyColumns().size() == 1 && !(update.setValues().get(i) instanceof ValueRef.Computed)
            && !placedByDirectory()) {
          Object newKey = bindings.value(update.setValues().get(i));
          int target = newKey == null ? -1
              : context.shardMap().ownerIndex(KeyHasher.hash(rule.keyTypes()[0], newKey));
          throw new KeyMayChange("UPDATE sets the shard key '" + column + "' of '" + rule.name() + "' to a value "
              + "that the WHERE clause does not pin", i, p.route(Route.Kind.WRITE, bindings, context.shardMap()),
              target);
        }
        throw notSupported("UPDATE would change the shard key '" + column + "' of '" + rule.name()
            + "', which would move the row to another shard. Delete the row and insert it with the new key");
      }
    }
    return p.route(Route.Kind.WRITE, bindings, context.shardMap());
  }

  /** Whether SET key = value leaves the key as the WHERE clause pins it (a no-op for routing). */
  private boolean keepsKey(TableRule rule, int k, ValueRef value, Condition where, TableRef table,
      Bindings bindings) throws SQLException {
    if (value instanceof ValueRef.Computed || rule.keyColumns().size() != 1) {
      return false;
    }
    List<Object[]> tuples = KeySet.tuples(where, rule.keyTypes(),
        c -> columnOfTarget(c, table) ? rule.keyIndex(c.column()) : -1, bindings);
    if (tuples == null || tuples.size() != 1) {
      return false;
    }
    Object newValue = bindings.value(value);
    return newValue != null && KeyHasher.canonical(rule.keyTypes()[k], newValue).equals(tuples.get(0)[k]);
  }

  public Route routeDelete(ParsedStatement.Delete delete, Bindings bindings) throws SQLException {
    TableRule rule = context.rule(delete.table().name());
    if (rule.broadcast()) {
      requireNoSpreadSubquery(delete.tables(), delete.table(), "DELETE");
      return Route.to(Route.Kind.BROADCAST_WRITE, allShards());
    }
    requireKey(rule, delete.table().name());
    requireUncorrelated(delete.blocks(), delete.table());
    requireNoSpreadSubquery(delete.tables(), delete.table(), "DELETE");
    Placement p = placeByKey(rule, c -> columnOfTarget(c, delete.table()) ? rule.keyIndex(c.column()) : -1,
        delete.where(), bindings, KeyDirectory.Use.WRITE, c -> columnOfTarget(c, delete.table()));
    return p.route(Route.Kind.WRITE, bindings, context.shardMap());
  }

  private static boolean columnOfTarget(ColumnRef c, TableRef target) {
    return c.table() == null || c.table().equalsIgnoreCase(target.name())
        || c.table().equalsIgnoreCase(target.alias());
  }

  /** A write's correlated subquery over a sharded table cannot be answered first: refused. */
  private void requireUncorrelated(List<ParsedStatement.Block> blocks, TableRef target) throws SQLException {
    if (blocks.isEmpty()) {
      return;
    }
    Correlations resolved = Correlations.resolve(blocks, List.of(target), context);
    for (ParsedStatement.Block b : blocks) {
      for (TableRef t : b.scope()) {
        if (resolved.correlated(b) && !context.rule(t.name()).broadcast()) {
          throw notSupported("a correlated subquery of a write reads the table '" + t.name() + "', whose rows are "
              + "spread over the shards. Read the values first, then write with them, or make '" + t.name()
              + "' a broadcast table");
        }
      }
    }
  }

  /** A write whose subquery reads another sharded table would see only the local shard's rows. */
  private void requireNoSpreadSubquery(List<TableRef> tables, TableRef target, String verb) throws SQLException {
    for (TableRef t : tables) {
      if (t == target || t.equals(target)) {
        continue;
      }
      TableRule rule = context.rule(t.name());
      if (!rule.broadcast()) {
        throw new SubqueryAcrossShards(verb + " of '" + target.name() + "' reads the table '" + t.name()
            + "', whose rows are spread over the shards: each shard would see only its own rows. Read the "
            + "values first, then write with them, or make '" + t.name() + "' a broadcast table");
      }
    }
  }

  private static void requireKey(TableRule rule, String table) throws SQLException {
    if (rule.placement() == TableRule.Placement.UNKEYED) {
      if (!rule.exists()) {
        throw new SQLException("table '" + table + "' does not exist on the shards, and the configuration says "
            + "nothing of it: create it first, or set 'tables." + table.toLowerCase(Locale.ROOT)
            + ".key' or 'tables." + table.toLowerCase(Locale.ROOT) + ".broadcast=true'",
            SqlStates.UNDEFINED_TABLE);
      }
      throw notSupported("table '" + table + "' has no primary key and no configured shard key, so CollegeDB "
          + "cannot tell which shard a row belongs on. Set 'tables." + table.toLowerCase(Locale.ROOT)
          + ".key=<column>' or 'tables." + table.toLowerCase(Locale.ROOT) + ".broadcast=true'");
    }
  }

  /**
   * A statement's subquery reads rows on other shards than the rows it is compared with. The executor may still
   * answer it by running uncorrelated subqueries first ({@code SubqueryMaterializer}).
   */
  public static final class SubqueryAcrossShards extends SQLFeatureNotSupportedException {
    private static final long serialVersionUID = 1L;

    SubqueryAcrossShards(String message) {
      super(message, SqlStates.NOT_SUPPORTED);
    }
  }

  /**
   * An UPDATE sets the shard key to a known value that its WHERE clause does not pin: it is a no-op for placement
   * only if every row it matches has that key already. The executor can check that and run it guarded
   * ({@code KeyGuard}); {@code assignment} is the SET item.
   */
  public static final class KeyMayChange extends SQLFeatureNotSupportedException {
    private static final long serialVersionUID = 1L;
    private final int assignment;
    private final transient Route from;
    private final int target;

    KeyMayChange(String message, int assignment, Route from, int target) {
      super(message + ": it would move rows to another shard. Delete the rows and insert them with the new key",
          SqlStates.NOT_SUPPORTED);
      this.assignment = assignment;
      this.from = from;
      this.target = target;
    }

    /** Where the rows the UPDATE matches are (its WHERE clause's route). */
    public Route from() {
      return from;
    }

    /** The shard the new key belongs on (-1 when the new key is NULL). */
    public int target() {
      return target;
    }

    /** The SET item that assigns the key. */
    public int assignment() {
      return assignment;
    }
  }

  private boolean placedByDirectory() {
    KeyDirectory directory = context.directory();
    return directory != null && directory.placesKeys();
  }

  /** A UNION/INTERSECT/EXCEPT whose branches read different shards: the executor may combine UNIONs itself. */
  public static final class SetOperationAcrossShards extends SQLFeatureNotSupportedException {
    private static final long serialVersionUID = 1L;

    SetOperationAcrossShards(String message) {
      super(message, SqlStates.NOT_SUPPORTED);
    }
  }

  static SQLException notSupported(String message) {
    return new SQLFeatureNotSupportedException(message, SqlStates.NOT_SUPPORTED);
  }

  /** The shard (by name) that owns the row of {@code table} with this shard key, by the shard map. */
  public String shardOf(String table, Object... key) throws SQLException {
    TableRule rule = context.rule(table);
    if (!rule.sharded()) {
      throw new SQLException("table '" + table + "' is not sharded by a key", SqlStates.NOT_SUPPORTED);
    }
    if (key.length != rule.keyColumns().size()) {
      throw new SQLException("table '" + table + "' has " + rule.keyColumns().size() + " key column(s) "
          + rule.keyColumns() + ", got " + key.length + " value(s)", SqlStates.INVALID_PARAMETER);
    }
    return context.shardMap().owner(KeyHasher.hash(rule.keyTypes(), key));
  }

  /** Every shard: for DDL and session statements. */
  public Route everywhere(Route.Kind kind) {
    return Route.to(kind, allShards());
  }

  static String describe(int[] shards) {
    return Arrays.toString(shards);
  }
}
