package org.collegedb.internal.run;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.internal.merge.ShardResultSet;
import org.collegedb.internal.plan.Plan;
import org.collegedb.internal.run.StatementRunner.ShardOutcome;
import org.collegedb.internal.rewrite.Edits;
import org.collegedb.internal.route.Route;
import org.collegedb.internal.value.Bindings;
import org.collegedb.parse.Tokens;

/**
 * A write of several shards while a reshard moves rows ({@link Plan.OwnedCount}), run for a {@link StatementRunner}:
 * its count, its own {@code RETURNING} rows and its generated keys keep only the rows each shard owns.
 */
final class OwnedWrite {
  private final StatementRunner runner;
  private final Session session;
  private final Cluster cluster;
  private final ShardStatements physical;
  private final Outcome outcome;
  private final java.sql.Statement owner;

  OwnedWrite(StatementRunner runner) {
    this.runner = runner;
    this.session = runner.session();
    this.cluster = runner.cluster();
    this.physical = runner.physical();
    this.outcome = runner.outcome();
    this.owner = runner.owner();
  }

  /**
   * An UPDATE/DELETE of several shards while a reshard moves rows ({@link Plan.OwnedCount}): it runs on every shard
   * as written (copies and old rows change too; the catch-up rewrites the copies from their sources, the cleanup
   * deletes the old rows), and its count keeps only the rows each shard owns, from the keys the statement returns
   * (PostgreSQL, SQLite: {@code RETURNING} added; H2: a data change delta table); on MariaDB/MySQL it runs restricted
   * to the owned keys a locking read finds ({@link OwnedKeysWrite}), and counts what it changed. Spanning shards, it
   * runs in one local transaction per shard in auto-commit mode, as {@link StatementRunner#write} does.
   */
  void run(Route route, Tokens tokens, Plan.OwnedCount how, Bindings.Parameters params) throws SQLException {
    org.collegedb.internal.merge.Ownership ownership = how.ownership();
    org.collegedb.internal.merge.Ownership.Placed placed = ownership.loadPlacements();
    int[] shards = route.shards();
    int width = ownership.keyColumns().size();
    long plannedWith = session.shardMap().version();
    long max = physical.maxRows();
    if (how.ownedKeys() != null) { // MariaDB/MySQL
      OwnedKeysWrite.Result done = session.shards().atomically(shards, () -> OwnedKeysWrite.run(session, route,
          tokens, how, params, placed, plannedWith, physical.queryTimeout()));
      if (done.rows() != null) { // its own RETURNING: only owned rows were changed, so returned
        outcome.rows(new ShardResultSet(owner, done.rows(), 0, max > 0 ? max : -1, 0));
        return;
      }
      outcome.count(Arrays.stream(done.counts()).sum());
      return;
    }
    if (how.callerRows()) {
      outcome.rows(new ShardResultSet(owner, ownedRowsOf(route, tokens, how.returning(), ownership, placed,
          plannedWith), 0, max > 0 ? max : -1, width));
      return;
    }
    long[] owned = new long[shards.length];
    session.shards().atomically(shards, () -> {
      StatementRunner.Counting counting = outcomes -> {
        List<ShardOutcome> counted = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
          ShardOutcome o = outcomes.get(i);
          if (o.rows() == null) { // a count, not rows: taken as it is
            owned[i] = Math.max(0, o.count());
            counted.add(o);
            continue;
          }
          long all = 0;
          long mine = 0;
          try (ResultSet rs = o.rows()) {
            Object[] key = new Object[width];
            while (rs.next()) {
              for (int k = 0; k < width; k++) {
                key[k] = rs.getObject(k + 1);
              }
              all++;
              mine += ownership.owns(shards[i], key, placed) ? 1 : 0;
            }
          }
          owned[i] = mine;
          counted.add(new ShardOutcome(null, all, null));
        }
        return counted;
      };
      return runner.checkedWrite(route, tokens, how.returning(), e -> ShardOutcome.of(e, false).detached(),
          plannedWith, counting);
    });
    long count = 0;
    for (long n : owned) {
      count += n;
    }
    outcome.count(count);
  }

  /**
   * The statement run with {@code edits} (returning its rows with the key's columns last) on every shard of
   * {@code route}, each shard's rows read into memory and, on a shard that may hold rows it does not own, without
   * those rows.
   */
  private List<ResultSet> ownedRowsOf(Route route, Tokens tokens, Edits edits,
      org.collegedb.internal.merge.Ownership ownership, org.collegedb.internal.merge.Ownership.Placed placed,
      long plannedWith) throws SQLException {
    int[] shards = route.shards();
    int width = ownership.keyColumns().size();
    List<ShardOutcome> outcomes = session.shards().atomically(shards, () -> runner.checkedWrite(route, tokens,
        edits, e -> ShardOutcome.of(e, false).detached(), plannedWith, null));
    List<ResultSet> parts = new ArrayList<>(outcomes.size());
    for (int i = 0; i < outcomes.size(); i++) {
      ResultSet rs = outcomes.get(i).rows();
      int shard = shards[i];
      parts.add(!ownership.checks(shard) ? rs : new org.collegedb.internal.merge.FilteredResultSet(rs, row -> {
        int first = row.getMetaData().getColumnCount() - width;
        Object[] key = new Object[width];
        for (int k = 0; k < width; k++) {
          key[k] = row.getObject(first + k + 1);
        }
        return ownership.owns(shard, key, placed);
      }));
    }
    return parts;
  }

  /**
   * {@link #run} of a statement whose generated keys the caller asked for. MariaDB and SQLite give an
   * UPDATE/DELETE no generated keys (an empty set): its count is made exact as without them, and the keys are the
   * empty set. PostgreSQL's driver returns the changed rows ({@code RETURNING *}, or the columns named): the statement
   * returns them with the key after them, and the keys are the rows each shard owns, the count how many. Elsewhere
   * (H2, whose keys of an UPDATE are the rows' primary keys; SQLite asked for named columns; a statement with its own
   * {@code RETURNING}) there is no exact answer while rows move: refused, before any shard is touched.
   */
  void run(Route route, Tokens tokens, Plan.OwnedCount how, Bindings.Parameters params, GeneratedKeysRequest keys)
      throws SQLException {
    SQLException refused = keysRefused(how, keys);
    if (refused != null) {
      throw refused;
    }
    GeneratedKeysRequest asked = runner.keys();
    runner.keys(GeneratedKeysRequest.OWN_ROWS); // the shards' statements return rows of their own, not keys
    try {
      if (!keys.wanted() || cluster.dialect() != org.collegedb.internal.schema.Dialect.POSTGRES) {
        run(route, tokens, how, params); // MariaDB, SQLite: no keys, getGeneratedKeys() gives the empty set
        return;
      }
      org.collegedb.internal.merge.Ownership ownership = how.ownership();
      Edits edits = org.collegedb.internal.rewrite.AffectedRowsText.returningKeys(how.spans(), keys.names(),
          ownership.keyColumns());
      ResultSet all = new ShardResultSet(owner, ownedRowsOf(route, tokens, edits, ownership,
          ownership.loadPlacements(), session.shardMap().version()), 0, -1, ownership.keyColumns().size());
      javax.sql.rowset.CachedRowSet rows = (javax.sql.rowset.CachedRowSet) ShardOutcome.inMemory(all);
      outcome.count(rows.size());
      outcome.keys(rows);
    } finally {
      runner.keys(asked);
    }
  }

  /** Why {@link #run} refuses to give the generated keys {@code keys} asks for, or null. */
  SQLException keysRefused(Plan.OwnedCount how, GeneratedKeysRequest keys) {
    if (!keys.wanted()) {
      return null;
    }
    org.collegedb.internal.schema.Dialect dialect = cluster.dialect();
    boolean plain = keys.names() == null && keys.indexes() == null;
    if (!how.callerRows() && (dialect == org.collegedb.internal.schema.Dialect.MYSQL
        || dialect == org.collegedb.internal.schema.Dialect.SQLITE && plain
        || dialect == org.collegedb.internal.schema.Dialect.POSTGRES && keys.indexes() == null)) {
      return null;
    }
    return new SQLException("the generated keys of an UPDATE/DELETE of several shards cannot be given while a "
        + "reshard moves rows (shard map version " + session.shardMap().version() + "): a shard may hold copies of "
        + "rows it does not own, which the statement changes too; run it without asking for generated keys (its "
        + "count is exact) or once the reshard is done", SqlStates.OBJECT_IN_USE);
  }
}
