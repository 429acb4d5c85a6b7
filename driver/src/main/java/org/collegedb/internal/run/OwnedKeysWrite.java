package org.collegedb.internal.run;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.collegedb.internal.directory.AffectedRows;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.merge.Ownership;
import org.collegedb.internal.plan.Plan;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.route.Route;
import org.collegedb.internal.value.Bindings;
import org.collegedb.parse.Tokens;

/**
 * An UPDATE/DELETE of several shards on MariaDB/MySQL while a reshard moves rows ({@link Plan.OwnedCount} with
 * {@code ownedKeys}; MariaDB has no {@code UPDATE ... RETURNING}): on each shard that may hold rows it does not own,
 * a locking read ({@code SELECT <key> ... FOR UPDATE}) gives the keys of the rows the statement would change, and the
 * statement then runs restricted to the keys among them that the shard owns ({@code ... AND <key> IN (...)}, at most
 * {@value #CHUNK} keys a statement); the other shards run it as written. Its count is then the count of owned rows it
 * changed.
 *
 * <p>Why the count is exact under READ COMMITTED too. Before, the statement ran as written and the rows the read had
 * found not owned were taken from its count; under REPEATABLE READ the read's next-key locks keep any row from being
 * inserted into the range it read until the shard transaction ends, but under READ COMMITTED InnoDB takes no gap
 * locks, so a copy the reshard inserted between the read and the write was changed and counted. Restricted, the
 * statement changes only rows whose key the shard owns, so every row it counts is owned, whenever it was inserted.
 * And it changes every owned row the statement as written would have changed at the read: the read is a current
 * read that locks each row it returns, so those rows still match the condition when the write comes (nothing else
 * can change them), and their keys are in the list. A row of an owned key inserted after the read may or may not be
 * changed (READ COMMITTED gives no other answer either); it is counted if and only if it is changed. The rows the
 * shard does not own (copies before the switch, old rows after it) are left as they are: the catch-up rewrites the
 * copies from their sources, and the cleanup deletes the old rows. A key's rows never change key (a write that could
 * is a key move, planned apart), so no row is changed twice across the chunks. (Not covered: a text key compared by a
 * case- or accent-insensitive collation, where {@code IN} also matches keys that differ from an owned one only so;
 * the README says so.)
 */
final class OwnedKeysWrite {
  /** The most keys one restricted statement lists. */
  static final int CHUNK = 500;

  private OwnedKeysWrite() {
  }

  /**
   * What the write did: per shard of its route (in its order) the rows it changed that the shard owns, and, for a
   * statement with its own {@code RETURNING} ({@link Plan.OwnedCount#callerRows}), the rows it returned (read into
   * memory, each shard's in its order; only owned rows: the statement ran restricted to them), else null.
   */
  record Result(long[] counts, List<java.sql.ResultSet> rows) {
  }

  /**
   * Runs the write. {@code plannedWith}: the map version the statement was planned with, for
   * {@link EmptyWriteCheck}; {@code timeout}: the caller's query timeout in seconds (0: none), which the locking read
   * and each restricted statement run with, as the caller's own statements do.
   */
  static Result run(Session session, Route route, Tokens tokens, Plan.OwnedCount how, Bindings.Parameters params,
      Ownership.Placed placed, long plannedWith, int timeout) throws SQLException {
    Ownership ownership = how.ownership();
    int width = ownership.keyColumns().size();
    int[] shards = route.shards();
    long[] counts = new long[shards.length];
    List<java.sql.ResultSet> rows = how.callerRows() ? new ArrayList<>() : null;
    ShardSql read = how.lockingRead().apply(tokens);
    for (int i = 0; i < shards.length; i++) {
      int shard = shards[i];
      if (!ownership.checks(shard)) {
        ShardSql sql = route.sql(i, tokens, null);
        counts[i] = execute(session, shard, sql == null ? new ShardSql(tokens.sql(), identity(tokens.paramCount()))
            : sql, params, List.of(), timeout, rows);
        continue;
      }
      Set<List<Object>> owned = new LinkedHashSet<>();
      for (AffectedRows.Row row : AffectedRows.read(session.shards(), new int[] {shard}, read, width, params,
          timeout)) {
        if (ownership.owns(shard, row.values(), placed)) {
          owned.add(Arrays.asList(row.values()));
        }
      }
      List<List<Object>> keys = new ArrayList<>(owned);
      if (keys.isEmpty() && rows != null) { // no owned row: still its (empty) rows, for their columns
        keys.add(Arrays.asList(new Object[width])); // a key of NULLs, which IN matches nowhere
      }
      for (int from = 0; from < keys.size(); from += CHUNK) {
        List<List<Object>> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
        List<Object> values = new ArrayList<>(chunk.size() * width);
        for (List<Object> key : chunk) {
          values.addAll(key);
        }
        counts[i] += execute(session, shard, route.sql(i, tokens, how.ownedKeys().edits(chunk.size())), params,
            values, timeout, rows);
      }
    }
    EmptyWriteCheck.check(session, shards, counts, plannedWith);
    return new Result(counts, rows);
  }

  private static int[] identity(int n) {
    int[] map = new int[n];
    for (int p = 0; p < n; p++) {
      map[p] = p + 1;
    }
    return map;
  }

  /**
   * Runs {@code sql} on the shard: the caller's parameters as its map says, then {@code values} (the keys). Its
   * count, or, for a statement returning rows ({@code rows} not null), how many it returned, its rows added to
   * {@code rows} (read into memory).
   */
  private static long execute(Session session, int shard, ShardSql sql, Bindings.Parameters params,
      List<Object> values, int timeout, List<java.sql.ResultSet> rows) throws SQLException {
    int[] map = Arrays.copyOf(sql.params(), sql.params().length + values.size());
    for (int v = 0; v < values.size(); v++) {
      map[sql.params().length + v] = -(v + 1);
    }
    ParameterStore store = Rewritten.parameters(map, params, values);
    try (PreparedStatement ps = session.shards().use(shard).prepareStatement(sql.sql())) {
      store.bind(ps, null, map.length);
      org.collegedb.internal.execute.ShardWatchdog.timeout(ps, timeout);
      try {
        if (rows == null) {
          return ps.executeLargeUpdate();
        }
        if (!ps.execute()) {
          return Math.max(0, ps.getLargeUpdateCount());
        }
        javax.sql.rowset.CachedRowSet returned = (javax.sql.rowset.CachedRowSet) StatementRunner.ShardOutcome
            .inMemory(ps.getResultSet());
        rows.add(returned);
        return returned.size();
      } finally {
        org.collegedb.internal.execute.ShardWatchdog.done(ps);
      }
    } catch (SQLException e) {
      throw org.collegedb.internal.execute.ShardErrors.named(e, session.shards().name(shard));
    }
  }
}
