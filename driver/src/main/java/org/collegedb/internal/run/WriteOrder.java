package org.collegedb.internal.run;

import org.collegedb.internal.route.Route;
import org.collegedb.internal.schema.Dialect;

/**
 * Whether a statement of several shards runs its shards one after the other in ascending shard order rather than in
 * parallel: when two clients running it at once could otherwise each lock one shard and wait for the other's lock,
 * across databases, where no database detects the deadlock. Locking reads and writes to broadcast tables lock copies of
 * the same rows on every shard ({@link Route#ordered}); on H2 every write of a sharded table does: the reshard's fence
 * (the one trigger on every sharded table, {@code capture.H2CaptureTrigger}, created at the first reshard and never
 * dropped) reads the shard's version row {@code FOR UPDATE} for each written row (H2 has no share lock), so a write
 * holds that row, a lock on all of the shard's writes, until its local transactions commit after the last shard.
 * Three writers each updating rows of every shard in one statement, their shards in parallel, then waited for each
 * other until H2's lock timeout (2 s) and failed ({@code Timeout trying to lock table "COLLEGEDB_MAP_VERSION"}), and a
 * reshard raising a fence (or measuring the raise) behind them too ({@code ReshardH2MultiShardWritersTest}). In shard
 * order a write takes the version rows in one order, so it only ever waits for writes that hold no lower shard.
 */
final class WriteOrder {
  private WriteOrder() {
  }

  /** Whether {@code route} must run its shards in ascending shard order on {@code dialect}. */
  static boolean inShardOrder(Route route, Dialect dialect) {
    return route.ordered()
        || route.shards().length > 1 && route.kind() == Route.Kind.WRITE && writesLockShards(dialect);
  }

  /** Whether every write on {@code dialect} locks its whole shard until it commits (H2, as above). */
  static boolean writesLockShards(Dialect dialect) {
    return dialect == Dialect.H2;
  }
}
