package org.collegedb.internal.run;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.collegedb.SqlStates;
import org.collegedb.internal.execute.MapVersionDeclaration;
import org.collegedb.internal.schema.Dialect;

/**
 * The fence's complement where its triggers are per row (SQLite, MariaDB, H2): a write that changed no row on a shard
 * fired no trigger there, so nothing told the session that the shard may have stopped owning the keys it aimed at (a
 * reshard moved them, the old copies were cleaned up, and the rows live on their new owner). After such a write,
 * this reads the shard's fence version ({@code collegedb_map_version}); when it is newer than the map the statement
 * was planned with, it fails the statement as a fence would have, and the runner learns the new map and runs the
 * statement again once (auto-commit) or fails the transaction with 40001. A write that changed rows costs nothing
 * more; one that changed none costs one primary-key read per empty shard. PostgreSQL needs no check: its fence is a
 * statement trigger, which fires whether or not a row matches. (H2's fence is a row trigger since it became part of
 * the one trigger that also captures changes, {@code capture.H2CaptureTrigger}.)
 *
 * <p>Why the answer is right. Versions only grow, and a reshard raises a source's version (waiting for writes in
 * flight) before it publishes the new map, and publishes before any instance writes with that map or the cleanup
 * deletes the old copies. So if the version read after the write is still the session's, no write planned with the
 * new map had happened when the write ran, and the old owner still held every row of its keys: zero was the true
 * count. If it is newer, the write is run again with the new map; running again is safe because the write changed
 * nothing (in auto-commit its empty local transaction has ended; across several shards, the failure rolls back the
 * statement's local transactions first). Inside a transaction the read must see the newest committed version:
 * MariaDB reads it {@code LOCK IN SHARE MODE} (a current read, not the transaction's snapshot, and the share lock then
 * holds off a raise until the transaction ends), H2 {@code FOR UPDATE} (H2 has no share lock; its fence trigger takes
 * the same lock); on SQLite the write itself took the database's write lock and only
 * succeeds on the newest snapshot, so no raise can commit in between.
 */
final class EmptyWriteCheck {
  private static final String TABLE = "collegedb_map_version";

  private EmptyWriteCheck() {
  }

  /** Whether the shards' fence is per row, so that an empty write needs the check. */
  static boolean needed(Dialect dialect) {
    return dialect == Dialect.SQLITE || dialect == Dialect.MYSQL || dialect == Dialect.H2;
  }

  /**
   * Checks each shard of {@code shards} whose write changed no row ({@code counts} in the same order; a negative count,
   * a write that returned rows, is not checked) against the map version the statement was planned with.
   */
  static void check(Session session, int[] shards, long[] counts, long plannedWith) throws SQLException {
    Dialect dialect = session.cluster().dialect();
    if (!needed(dialect)) {
      return;
    }
    for (int i = 0; i < shards.length; i++) {
      if (counts[i] != 0) {
        continue;
      }
      long fence = version(session.shards().use(shards[i]), dialect);
      if (fence > plannedWith) {
        throw new SQLException(MapVersionDeclaration.STALE_MARKER + ": shard '" + session.shards().name(shards[i])
            + "' writes under shard map version " + fence + ", and this write, planned with version " + plannedWith
            + ", changed no row there (a reshard moved the keys it aimed at)", SqlStates.SERIALIZATION_FAILURE);
      }
    }
  }

  /** The shard's fence version, or -1 when it has none (never resharded). */
  private static long version(Connection c, Dialect dialect) throws SQLException {
    String sql = "SELECT version FROM " + (dialect == Dialect.H2 ? "collegedb_internal." : "") + TABLE
        + " WHERE id = 1" + switch (dialect) {
          case MYSQL -> " LOCK IN SHARE MODE";
          case H2 -> " FOR UPDATE";
          default -> "";
        };
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (SQLException e) {
      if (org.collegedb.internal.execute.ShardConnections.connectionLost(e)) {
        throw e;
      }
      return -1; // no fence table: the shard was never resharded (a failed read leaves the transaction as it was)
    }
  }
}
