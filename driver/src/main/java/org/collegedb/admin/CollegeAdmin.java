package org.collegedb.admin;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.collegedb.directory.ClusterView;
import org.collegedb.directory.DirectoryMaintenance;
import org.collegedb.schema.TableRule;

/**
 * Administration of a sharded database through one of its connections: {@code CollegeAdmin.of(connection)}.
 * Where a key lives, a record's lookup keys, moving a key to another shard, removing placements, and how rows are
 * spread. It uses the connection's shard connections directly (outside any transaction of the caller's).
 */
public final class CollegeAdmin {
  private final ClusterView view;
  private final DirectoryMaintenance maintenance;

  private CollegeAdmin(ClusterView view) {
    this.view = view;
    this.maintenance = new DirectoryMaintenance(view);
  }

  /** The admin API of a CollegeDB connection (or of a pool's connection that wraps one). */
  public static CollegeAdmin of(Connection connection) throws SQLException {
    return new CollegeAdmin(connection.unwrap(ClusterView.class));
  }

  /** The shard holding the rows of a key of {@code table}: its placement, else its hash owner. */
  public String shardOf(String table, Object... key) throws SQLException {
    return maintenance.shardOf(table, key);
  }

  /**
   * The record whose {@code column} (a lookup column, or the single key column) is {@code value}: its shard, key
   * and every lookup value, read from its row; empty when no row has it.
   */
  public Optional<LookupRecord> lookupKeys(String table, String column, Object value) throws SQLException {
    String[] shard = new String[1];
    Map<String, Object> row = maintenance.record(table, column, value, shard);
    if (row == null) {
      return Optional.empty();
    }
    TableRule rule = view.rule(table);
    Map<String, Object> key = new LinkedHashMap<>();
    Map<String, Object> lookups = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : row.entrySet()) {
      if (rule.keyColumns().contains(e.getKey().toLowerCase(Locale.ROOT))) {
        key.put(e.getKey(), e.getValue());
      }
      if (rule.lookup().contains(e.getKey().toLowerCase(Locale.ROOT))) {
        lookups.put(e.getKey(), e.getValue());
      }
    }
    return Optional.of(new LookupRecord(shard[0], key, lookups));
  }

  /**
   * Moves a key, with its rows of every table keyed by the same value and type, to {@code shard}: copy to the
   * target, re-point the directory, delete from the source. Each step is idempotent: after a crash, run it again.
   * Stop writes to the key while it moves. Needs placements in the directory ({@code directory.placements=on}, a
   * non-hash strategy or {@code maxShardSize}).
   *
   * @return the number of rows copied (0 when the key was on {@code shard} already)
   */
  public long movePlacement(String table, Object[] key, String shard) throws SQLException {
    return maintenance.move(table, key, shard);
  }

  /**
   * Deletes a key's placement. Its rows are then looked for on its hash owner: delete a placement only when the
   * key has no rows, or they are on that shard.
   */
  public boolean deletePlacement(String table, Object... key) throws SQLException {
    return maintenance.deletePlacement(table, key);
  }

  /** Deletes every placement (for tests and resets), returning how many there were. */
  public int clearPlacements() throws SQLException {
    return maintenance.clearPlacements();
  }

  /** How the rows of {@code table} are spread over the shards. */
  public Distribution distribution(String table) throws SQLException {
    return Distribution.of(maintenance.rowsPerShard(List.of(table)));
  }

  /** How the rows of every sharded table, together, are spread over the shards. */
  public Distribution distribution() throws SQLException {
    return Distribution.of(maintenance.rowsPerShard(List.of()));
  }

  /**
   * The change stream of the shards: install change capture on sharded tables and follow their committed changes,
   * shard by shard (see {@link org.collegedb.capture.ChangeStream}). Close it when done: it holds a connection to
   * each shard.
   */
  public org.collegedb.capture.ChangeStream changeStream() throws SQLException {
    return org.collegedb.capture.ChangeStream.over(view);
  }
}
