package org.collegedb.route;

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
import org.collegedb.rewrite.InListPruner;
import org.collegedb.rewrite.ShardSql;
import org.collegedb.rewrite.Splice;
import org.collegedb.schema.TableRule;

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

  private int[] allShards() {
    int[] all = new int[shardCount()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  // ---------------------------------------------------------------- reads

  /** A query's targets, with the pruned text of each where an IN list was split. */
  public Route routeSelect(ParsedStatement.Select select, Bindings bindings) throws SQLException {
    Placement p = placeQuery(select.tables(), select.scope(), select.where(), select.joins(), bindings,
        select.features().contains(ParsedStatement.Feature.SUBQUERY));
    return p.route(Route.Kind.READ, bindings, context.shardMap());
  }

  /**
   * Where the rows a query reads live. Broadcast tables are everywhere and never constrain; the other tables must be
   * one table, or tables joined on their shard keys (co-located), for the query to be answerable shard by shard.
   */
  Placement placeQuery(List<TableRef> tables, List<TableRef> scope, Condition where, List<Condition> joins,
      Bindings bindings, boolean hasSubquery) throws SQLException {
    List<TableRef> spread;
    Map<String, TableRule> rules;
    TableRule first = null; // the rule of spread.get(0)
    if (tables.size() == 1) { // the common case, without building collections
      first = context.rule(tables.get(0).name());
      rules = Map.of(first.name(), first); // a rule's name is the table's, lower case
      spread = first.broadcast() ? List.of() : tables;
    } else {
      spread = new ArrayList<>();
      rules = new HashMap<>();
      for (TableRef t : tables) {
        TableRule rule = rules.get(t.name().toLowerCase(Locale.ROOT));
        if (rule == null) {
          rule = context.rule(t.name());
          rules.put(t.name().toLowerCase(Locale.ROOT), rule);
        }
        if (!rule.broadcast()) {
          first = spread.isEmpty() ? rule : first;
          spread.add(t);
        }
      }
    }
    if (spread.isEmpty()) {
      return Placement.one(0);
    }
    if (spread.size() == 1) {
      TableRule rule = first;
      if (!rule.sharded()) {
        return Placement.all(allShards());
      }
      String table = spread.get(0).name();
      boolean inScope = scope.contains(spread.get(0));
      if (!inScope) {
        return Placement.all(allShards()); // only read in a subquery: the top level has no key for it
      }
      return placeByKey(rule, column -> isColumnOf(column, table, rule, scope, rules) ? rule.keyIndex(column.column())
          : -1, where, bindings);
    }
    return placeJoin(spread, scope, where, joins, rules, bindings, hasSubquery);
  }

  /** Tables joined on their keys live together: route by any key of the join's key class. */
  private Placement placeJoin(List<TableRef> spread, List<TableRef> scope, Condition where, List<Condition> joins,
      Map<String, TableRule> rules, Bindings bindings, boolean hasSubquery) throws SQLException {
    for (TableRef t : spread) {
      TableRule rule = rules.get(t.name().toLowerCase(Locale.ROOT));
      if (!scope.contains(t)) {
        throw notSupported("a subquery reads the sharded table '" + t.name() + "' while the query also reads "
            + names(spread) + ": their rows may be on different shards. Make the tables co-located (same shard key, "
            + "joined on it) or '" + t.name() + "' a broadcast table");
      }
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
        column -> keyOf(column, spread, scope, rules) >= 0 ? 0 : -1, where, bindings);
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

  private Placement placeByKey(TableRule rule, KeySet.KeyColumns keyColumn, Condition where, Bindings bindings)
      throws SQLException {
    List<Object[]> tuples = KeySet.tuples(where, rule.keyTypes(), keyColumn, bindings);
    if (tuples == null) {
      return Placement.all(allShards());
    }
    ShardMap map = context.shardMap();
    if (tuples.size() <= 1) {
      // None: contradictory keys, no row matches; one shard answers with the right columns.
      return Placement.one(tuples.isEmpty() ? 0 : map.ownerIndex(KeyHasher.hash(rule.keyTypes(), tuples.get(0))));
    }
    ShardSet owners = new ShardSet(map.shards().size());
    for (Object[] t : tuples) {
      owners.add(map.ownerIndex(KeyHasher.hash(rule.keyTypes(), t)));
    }
    Placement p = new Placement(owners.toArray(), false);
    if (p.shards.length > 1 && rule.keyColumns().size() == 1) {
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

  /** The shards a statement's rows live on, and what to prune from its IN lists per shard. */
  static final class Placement {
    final int[] shards;
    final boolean everywhere;
    List<Condition.In> prunable = List.of();
    KeyType keyType;

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
      ShardSql[] sql = new ShardSql[shards.length];
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
        sql[i] = InListPruner.prune(bindings.tokens(), prunable, kept);
      }
      return new Route(kind, shards, sql);
    }
  }

  // ---------------------------------------------------------------- writes

  /** An INSERT: each row to the owner of its key; rows of several shards split into one statement per shard. */
  public Route routeInsert(ParsedStatement.Insert insert, Bindings bindings) throws SQLException {
    TableRule rule = context.rule(insert.table().name());
    if (rule.broadcast()) {
      return Route.to(Route.Kind.BROADCAST_WRITE, allShards());
    }
    requireKey(rule, insert.table().name());
    if (insert.source() != null) {
      throw new IllegalStateException("INSERT ... SELECT is routed by its executor");
    }
    int[] keyPositions = keyPositions(insert, rule);
    ShardMap map = context.shardMap();
    List<ParsedStatement.Row> rows = insert.rows();
    int[] rowOwners = new int[rows.size()];
    ShardSet owners = new ShardSet(map.shards().size());
    Object[] key = new Object[keyPositions.length];
    for (int r = 0; r < rows.size(); r++) {
      ParsedStatement.Row row = rows.get(r);
      for (int k = 0; k < keyPositions.length; k++) {
        ValueRef ref = row.values().get(keyPositions[k]);
        if (ref instanceof ValueRef.Computed) {
          throw notSupported("the shard key '" + rule.keyColumns().get(k) + "' of '" + rule.name()
              + "' is an expression in row " + (r + 1) + ": give it as a literal or a ? parameter");
        }
        Object value = bindings.value(ref);
        if (value == null) {
          throw new SQLException("the shard key '" + rule.keyColumns().get(k) + "' of '" + rule.name()
              + "' is NULL in row " + (r + 1), SqlStates.NOT_NULL);
        }
        key[k] = value;
      }
      int shard = map.ownerIndex(KeyHasher.hash(rule.keyTypes(), key));
      rowOwners[r] = shard;
      owners.add(shard);
    }
    int[] shards = owners.toArray();
    if (shards.length == 1) {
      return Route.to(Route.Kind.WRITE, shards);
    }
    ShardSql[] sql = new ShardSql[shards.length];
    int first = rows.get(0).open();
    int last = rows.get(rows.size() - 1).close();
    for (int i = 0; i < shards.length; i++) {
      List<Object> parts = new ArrayList<>();
      for (int r = 0; r < rows.size(); r++) {
        if (rowOwners[r] == shards[i]) {
          if (!parts.isEmpty()) {
            parts.add(", ");
          }
          ParsedStatement.Row row = rows.get(r);
          parts.add(new Splice.Copy(row.open(), row.close()));
        }
      }
      sql[i] = new Splice(bindings.tokens()).replace(first, last, parts.toArray()).apply();
    }
    return new Route(Route.Kind.WRITE, shards, sql);
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
          throw new SQLException("INSERT into '" + rule.name() + "' has " + row.values().size()
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
    requireNoSpreadSubquery(update.tables(), update.table(), "UPDATE");
    Placement p = placeByKey(rule, c -> columnOfTarget(c, update.table()) ? rule.keyIndex(c.column()) : -1,
        update.where(), bindings);
    for (int i = 0; i < update.setColumns().size(); i++) {
      String column = update.setColumns().get(i);
      int k = rule.keyIndex(column);
      if (k < 0) {
        continue;
      }
      if (!keepsKey(rule, k, update.setValues().get(i), update.where(), update.table(), bindings)) {
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
    requireNoSpreadSubquery(delete.tables(), delete.table(), "DELETE");
    Placement p = placeByKey(rule, c -> columnOfTarget(c, delete.table()) ? rule.keyIndex(c.column()) : -1,
        delete.where(), bindings);
    return p.route(Route.Kind.WRITE, bindings, context.shardMap());
  }

  private static boolean columnOfTarget(ColumnRef c, TableRef target) {
    return c.table() == null || c.table().equalsIgnoreCase(target.name())
        || c.table().equalsIgnoreCase(target.alias());
  }

  /** A write whose subquery reads another sharded table would see only the local shard's rows. */
  private void requireNoSpreadSubquery(List<TableRef> tables, TableRef target, String verb) throws SQLException {
    for (TableRef t : tables) {
      if (t == target || t.equals(target)) {
        continue;
      }
      TableRule rule = context.rule(t.name());
      if (!rule.broadcast()) {
        throw notSupported(verb + " of '" + target.name() + "' reads the table '" + t.name()
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

  static SQLException notSupported(String message) {
    return new SQLFeatureNotSupportedException(message, SqlStates.NOT_SUPPORTED);
  }

  /** Every shard: for DDL and session statements. */
  public Route everywhere(Route.Kind kind) {
    return Route.to(kind, allShards());
  }

  static String describe(int[] shards) {
    return Arrays.toString(shards);
  }
}
