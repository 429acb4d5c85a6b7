package org.collegedb.internal.distributed;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.TableRule;

/**
 * What the distributed path needs from the rest of the driver: the tables' rules, a way to run a single-table
 * fragment through CollegeDB's own routing (so that key-narrowing, IN-list pruning and the directory apply), the
 * shards' product, and where to open a scratch database.
 */
public interface Environment {
  /** The rule of a table (sharded, broadcast, unkeyed; its columns; whether the shards have it). */
  TableRule rule(String table) throws SQLException;

  /**
   * Runs a single-table SELECT across the shards that can hold its rows, exactly as CollegeDB routes it.
   *
   * @param sql          the fragment's text
   * @param callerParams for each {@code ?} of {@code sql}, the index of the caller's parameter it stands for
   */
  Fragment run(String sql, int[] callerParams) throws SQLException;

  /** The rows a fragment returned and the shards (by name) it ran on. */
  record Fragment(ResultSet rows, List<String> shards) {
  }

  /** The shards' database product. */
  Dialect dialect();

  /**
   * The shard whose product (and, for PostgreSQL and MariaDB, whose server) the scratch database uses: a separate
   * physical connection is opened from this spec.
   */
  ShardSpec scratchShard();

  /** A connection to one shard, for reading table definitions (never written to). */
  Connection catalog() throws SQLException;

  /** At most this many rows fetched from the shards per query ({@code crossShardMaxRows}). */
  long maxRows();

  /**
   * Bytes of fetched rows (estimated from their values) the scratch database keeps in memory before it spills to a
   * temporary file ({@code crossShardMemoryMB}).
   */
  default long memoryBytes() {
    return 64L << 20;
  }

  /** The caller's statement's {@code setMaxRows} (0: no limit). */
  default int statementMaxRows() {
    return 0;
  }

  /** The caller's statement's {@code setQueryTimeout} in seconds (0: none), for the query on the scratch database. */
  default int queryTimeoutSeconds() {
    return 0;
  }
}
