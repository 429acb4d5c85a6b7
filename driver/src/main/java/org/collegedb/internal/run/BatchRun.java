package org.collegedb.internal.run;

import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.ExecutionInfo;
import org.collegedb.SqlStates;
import org.collegedb.internal.directory.BatchKeys;
import org.collegedb.internal.directory.KeyRows;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.plan.Plan;
import org.collegedb.internal.plan.Planner;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.route.Route;
import org.collegedb.internal.schema.TableRule;

/**
 * One run of a prepared statement's batch: every entry is planned first (a refusal leaves every shard untouched),
 * then each shard runs its entries as one batch of its own, in the caller's order, in one transaction per shard.
 * Entries the directory takes part in, that span shards with texts of their own, or whose key needs a guard, run one
 * at a time.
 */
final class BatchRun {
  private final StatementRunner runner;
  private final Tokens tokens;
  private final ParsedStatement statement;
  private final List<ParameterStore> entries;
  private final GeneratedKeysRequest keys;

  BatchRun(StatementRunner runner, Tokens tokens, ParsedStatement statement, List<ParameterStore> entries,
      GeneratedKeysRequest keys) {
    this.runner = runner;
    this.tokens = tokens;
    this.statement = statement;
    this.entries = entries;
    this.keys = keys;
  }

  long[] run() throws SQLException {
    long[] counts = new long[entries.size()];
    if (entries.isEmpty()) {
      return counts;
    }
    String table = statement instanceof ParsedStatement.Insert i && i.source() == null ? i.table().name()
        : statement instanceof ParsedStatement.Update u ? u.table().name()
        : statement instanceof ParsedStatement.Delete d ? d.table().name() : null;
    Session session = runner.session();
    TableRule rule = table == null ? null : session.router().context().rule(table);
    if (rule != null && statement instanceof ParsedStatement.Insert insert && rule.generatedKey() != null
        && rule.lookup().isEmpty()) {
      long[] done = generatedKeys(insert, rule, counts);
      if (done != null) {
        return done;
      }
    }
    if (table == null || Planner.directoryInvolved(rule)) {
      return oneByOne(counts); // not a plain write, or the directory takes part in each entry
    }
    session.checkWritable(statement);
    Route[] routes = new Route[entries.size()];
    for (int e = 0; e < entries.size(); e++) {
      Bindings b = new Bindings(tokens, entries.get(e), runner.cluster().backslashEscapes());
      Plan plan = session.planner().plan(statement, b, null);
      if (plan instanceof Plan.Refusal refusal) {
        SQLException x = refusal.exception();
        throw new BatchUpdateException("batch entry " + (e + 1) + " was refused, so no entry ran: " + x.getMessage(),
            x.getSQLState(), x.getErrorCode(), new long[0], x);
      }
      if (!(plan instanceof Plan.ShardWrite write)) {
        return oneByOne(counts); // e.g. a key that needs a guard: each entry is checked as it runs
      }
      if (write.owned() != null) {
        return oneByOne(counts); // of several shards while rows move: each entry counts only owned rows
      }
      routes[e] = write.route();
      for (int i = 0; i < routes[e].shards().length; i++) {
        if (!routes[e].unchanged(i)) {
          return oneByOne(counts); // e.g. a multi-row INSERT split per shard: run it on its own
        }
      }
    }
    return grouped(tokens.sql(), entries, null, tokens.paramCount(), routes, counts);
  }

  /**
   * A batch of single-row INSERTs into a table whose key the database would generate: the directory hands out the
   * missing keys for the whole batch at once, the key becomes a parameter of one common text, and each shard runs
   * its entries as one batch. The keys are the statement's generated keys, one row per entry in the caller's
   * order. Null when the batch cannot run so (see {@link BatchKeys#rewrite}).
   */
  private long[] generatedKeys(ParsedStatement.Insert insert, TableRule rule, long[] counts) throws SQLException {
    Session session = runner.session();
    session.checkWritable(statement);
    for (ParameterStore entry : entries) {
      entry.requireAll(tokens.paramCount());
    }
    BatchKeys.Rewrite rewrite = BatchKeys.rewrite(runner.cluster().directory(), session.shards(), rule, insert,
        tokens, entries);
    if (rewrite == null) {
      return null;
    }
    Tokens text = runner.cluster().plans().lex(rewrite.sql());
    ParsedStatement.Insert plan = (ParsedStatement.Insert) runner.cluster().plans().plan(text);
    int[] map = rewrite.params();
    Route[] routes = new Route[entries.size()];
    for (int e = 0; e < entries.size(); e++) {
      ParameterStore store = rewrite.entries().get(e);
      Bindings b = new Bindings(text, index -> store.value(map[index - 1]), runner.cluster().backslashEscapes());
      try {
        routes[e] = session.planner().placeRows(plan, rule, b, null).route();
      } catch (SQLException x) {
        throw new BatchUpdateException("batch entry " + (e + 1) + " was refused, so no entry ran: " + x.getMessage(),
            x.getSQLState(), x.getErrorCode(), new long[0], x);
      }
    }
    long[] out = grouped(rewrite.sql(), rewrite.entries(), map, map.length, routes, counts);
    if (rewrite.generated() > 0) {
      session.lastInsertIds().record(rewrite.keys().subList(rewrite.keys().size() - 1, rewrite.keys().size()));
    }
    if (keys.wanted()) {
      String column = keys.names() != null && keys.names().length > 0 ? keys.names()[0] : rule.generatedKey();
      runner.outcome().keys(KeyRows.of(column, rewrite.keys()));
    }
    return out;
  }

  /**
   * Runs each entry on its route's shards, each shard its entries as one batch of {@code sql}; an entry's parameters
   * are bound through {@code map} (null: the first {@code paramCount} in order).
   */
  private long[] grouped(String sql, List<ParameterStore> stores, int[] map, int paramCount, Route[] routes,
      long[] counts) throws SQLException {
    Session session = runner.session();
    Map<Integer, List<Integer>> byShard = new HashMap<>();
    for (int e = 0; e < entries.size(); e++) {
      for (int s : routes[e].shards()) {
        byShard.computeIfAbsent(s, k -> new ArrayList<>()).add(e);
      }
    }
    int[] shards = byShard.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    for (int s : shards) {
      session.shards().use(s);
    }
    long[][] perShard = new long[shards.length][];
    // broadcast rows, and on H2 every write (WriteOrder): lock the shards in shard order
    boolean ordered = Arrays.stream(routes).anyMatch(Route::ordered)
        || shards.length > 1 && WriteOrder.writesLockShards(runner.cluster().dialect());
    try {
      session.shards().atomically(shards, () -> runner.cluster().executor().run(ordered, shards, (position, shard) -> {
        PreparedStatement ps = map == null ? runner.physical().prepared(shard, sql)
            : runner.physical().preparedWithoutKeys(shard, sql);
        for (int e : byShard.get(shard)) {
          stores.get(e).bind(ps, map, paramCount);
          ps.addBatch();
        }
        try {
          perShard[position] = ps.executeLargeBatch();
        } catch (UnsupportedOperationException | java.sql.SQLFeatureNotSupportedException e) {
          perShard[position] = Arrays.stream(ps.executeBatch()).asLongStream().toArray();
        }
        return null;
      }, session.shards()::name));
    } catch (BatchUpdateException e) {
      throw e;
    } catch (SQLException e) {
      throw new BatchUpdateException("batch failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(),
          new long[0], e);
    }
    // An entry's count: the sum over its shards; for a broadcast table, its first shard's.
    boolean[] counted = new boolean[entries.size()];
    for (int p = 0; p < shards.length; p++) {
      List<Integer> mine = byShard.get(shards[p]);
      for (int i = 0; i < mine.size(); i++) {
        int e = mine.get(i);
        long c = i < perShard[p].length ? perShard[p][i] : Statement.SUCCESS_NO_INFO;
        if (routes[e].kind() == Route.Kind.BROADCAST_WRITE) {
          if (!counted[e]) {
            counts[e] = c;
          }
        } else {
          counts[e] = counted[e] && counts[e] >= 0 && c >= 0 ? counts[e] + c : c;
        }
        counted[e] = true;
      }
    }
    session.recordExecution(new ExecutionInfo(tokens.sql(),
        Arrays.stream(shards).mapToObj(session.shards()::name).toList(),
        java.util.Collections.nCopies(shards.length, sql))); // one text per shard, as for one statement
    return counts;
  }

  private long[] oneByOne(long[] counts) throws SQLException {
    javax.sql.rowset.CachedRowSet allKeys = null; // every entry's generated keys, in order
    for (int e = 0; e < entries.size(); e++) {
      try {
        runner.runEntry(tokens, statement, entries.get(e), keys);
        if (runner.outcome().rows() != null) {
          throw new BatchUpdateException("batch entry " + (e + 1) + " returned a result set", SqlStates.GENERAL,
              0, Arrays.copyOf(counts, e), null);
        }
        counts[e] = runner.outcome().count();
        if (keys.wanted() && runner.outcome().keys() != null) {
          allKeys = appendKeys(allKeys, runner.outcome().keys());
        }
      } catch (BatchUpdateException x) {
        throw x;
      } catch (SQLException x) {
        throw new BatchUpdateException("batch entry " + (e + 1) + " failed: " + x.getMessage(), x.getSQLState(),
            x.getErrorCode(), Arrays.copyOf(counts, e), x);
      }
    }
    if (allKeys != null) {
      allKeys.beforeFirst();
      runner.outcome().replaceKeys(allKeys);
    }
    return counts;
  }

  /** {@code into} with the rows of {@code keys} appended (a copy of {@code keys} when {@code into} is null). */
  private static javax.sql.rowset.CachedRowSet appendKeys(javax.sql.rowset.CachedRowSet into, java.sql.ResultSet keys)
      throws SQLException {
    if (into == null) {
      javax.sql.rowset.CachedRowSet copy = javax.sql.rowset.RowSetProvider.newFactory().createCachedRowSet();
      copy.populate(keys);
      return copy;
    }
    int columns = into.getMetaData().getColumnCount();
    while (keys.next()) {
      into.last(); // a row is inserted after the current one
      into.moveToInsertRow();
      for (int c = 1; c <= columns; c++) {
        into.updateObject(c, keys.getObject(c));
      }
      into.insertRow();
      into.moveToCurrentRow();
    }
    return into;
  }
}
