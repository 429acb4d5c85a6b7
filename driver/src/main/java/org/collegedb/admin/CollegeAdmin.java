package org.collegedb.admin;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Properties;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ConfigLoader;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.directory.ClusterView;
import org.collegedb.internal.directory.ShardSizes;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.internal.value.KeyHasher;
import org.collegedb.internal.value.KeyType;
import org.collegedb.internal.route.ShardMap;
import org.collegedb.internal.directory.DirectoryMaintenance;
import org.collegedb.internal.schema.TableRule;

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

  /**
   * The shard holding the rows of a key of {@code table}: its placement, else its hash owner by the shard map stored
   * on the shards, read again first (this instance may not have looked since another instance's reshard).
   */
  public String shardOf(String table, Object... key) throws SQLException {
    return maintenance.shardOf(table, key);
  }

  /**
   * The record whose {@code column} (a lookup column, or the single key column) is {@code value}: its shard, key
   * and every lookup value, read from its row; empty when no row has it. A key column's value is found on its owner
   * by the stored shard map, read again first (as {@link #shardOf}).
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

  /** Whether a key of {@code table} has a placement in the directory (else it lives on its hash owner). */
  public boolean isPlaced(String table, Object... key) throws SQLException {
    return maintenance.placedShard(table, key) != null;
  }

  /**
   * The shard map stored on the shards (read again: this instance may not have looked since a reshard), each shard's
   * hash ranges, rows (of every sharded table) and size, and the directory. A stored map that gives keys to a shard
   * this configuration lacks fails with HY024 naming it.
   */
  public ClusterStatus status() throws SQLException {
    ShardMap map = view.reloadShardMap();
    Distribution rows = distribution();
    List<ClusterStatus.Shard> shards = new ArrayList<>();
    List<Map.Entry<Long, String>> ranges = new ArrayList<>(map.ranges().entrySet());
    Map<String, Double> shares = map.shares();
    ShardConnections connections = view.shards();
    for (int s = 0; s < connections.size(); s++) {
      String name = connections.name(s);
      List<Map.Entry<Long, Long>> owned = new ArrayList<>();
      for (int i = 0; i < ranges.size(); i++) {
        if (ranges.get(i).getValue().equals(name)) {
          long end = i + 1 < ranges.size() ? ranges.get(i + 1).getKey() - 1 : Long.MAX_VALUE;
          owned.add(Map.entry(ranges.get(i).getKey(), end));
        }
      }
      Long bytes;
      try {
        bytes = ShardSizes.bytes(connections.spec(s).url(), connections.raw(s));
      } catch (java.io.IOException e) {
        bytes = null;
      }
      shards.add(new ClusterStatus.Shard(name, owned, shares.getOrDefault(name, 0.0),
          rows.rows().getOrDefault(name, 0L), bytes));
    }
    return new ClusterStatus(map.version(), shards, rows, view.directory().spec().url(),
        view.directory().servedShards());
  }

  /**
   * The long operations (split, unshard, reshard) recorded in the directory's {@code collegedb_operations}, newest
   * first, with their state, step and progress; read only.
   */
  public List<org.collegedb.migrate.Operation> operations() throws SQLException {
    return org.collegedb.migrate.OperationStore.list(view.directory().spec());
  }

  /**
   * The health of every shard of this connection's configuration, each checked on a connection of its own within
   * 10 seconds: reachable, round-trip time, size, the shard map version it holds. A shard that is down is reported
   * (its error names it), never thrown.
   */
  public List<ShardHealth> health() {
    List<ShardSpec> specs = new ArrayList<>();
    for (int s = 0; s < view.shards().size(); s++) {
      specs.add(view.shards().spec(s));
    }
    return HealthCheck.check(specs, HEALTH_TIMEOUT_MILLIS);
  }

  /**
   * The health of every shard a configuration names, without a CollegeDB connection (which needs every shard): for
   * when a shard may be down.
   *
   * @param url        {@code jdbc:collegedb:<configuration>}
   * @param properties connection properties laid over the configuration; may be null
   */
  public static List<ShardHealth> health(String url, Properties properties) throws SQLException {
    CollegeConfig config = CollegeConfig.of(ConfigLoader.load(url, properties));
    return HealthCheck.check(config.shards(), HEALTH_TIMEOUT_MILLIS);
  }

  private static final long HEALTH_TIMEOUT_MILLIS = 10_000;

  /**
   * A key given as text (on a command line) as the values of {@code table}'s key columns' types, so that it binds on
   * every backend: integers as {@code Long}, decimals as numbers, text as text.
   */
  public Object[] keyFromText(String table, String... text) throws SQLException {
    TableRule rule = view.rule(table);
    if (!rule.sharded()) {
      throw new SQLException("table '" + table + "' is not sharded by a key" + (rule.exists() ? ""
          : ": the shards have no such table"), SqlStates.NOT_SUPPORTED);
    }
    if (text.length != rule.keyColumns().size()) {
      throw new SQLException("table '" + table + "' has " + rule.keyColumns().size() + " key column(s) "
          + rule.keyColumns() + ", got " + text.length + " value(s)", SqlStates.INVALID_PARAMETER);
    }
    Object[] key = new Object[text.length];
    for (int i = 0; i < text.length; i++) {
      key[i] = fromText(rule.keyTypes()[i], text[i]);
    }
    return key;
  }

  /** A value of {@code table.column} given as text, typed as {@link #keyFromText} types key values. */
  public Object valueFromText(String table, String column, String text) throws SQLException {
    return fromText(view.rule(table).typeOf(column), text);
  }

  private static Object fromText(KeyType type, String text) throws SQLException {
    return switch (type) {
      case INTEGER, DECIMAL -> KeyHasher.canonical(type, text);
      default -> text;
    };
  }

  /**
   * Builds the lookup entries of {@code table.column} for rows written before the column was declared a lookup key
   * (online; run again after an interruption: it writes only what is still missing). {@code progress} is told the
   * rows read so far.
   */
  public org.collegedb.internal.directory.LookupBackfill.Result backfillLookup(String table, String column,
      java.util.function.LongConsumer progress) throws SQLException {
    return new org.collegedb.internal.directory.LookupBackfill(view).backfill(table, column, progress);
  }

  /** Checks the lookup entries of {@code table.column} against the rows on the shards; writes nothing. */
  public org.collegedb.internal.directory.LookupBackfill.Check verifyLookup(String table, String column) throws SQLException {
    return new org.collegedb.internal.directory.LookupBackfill(view).verify(table, column);
  }

  /**
   * Checks row by row that the shards hold what the shard map and the directory say (every row on the shard its key
   * belongs on; broadcast tables alike on every shard; every lookup entry present and right). Reads only. It judges
   * by the map stored on the shards, read again first (not the one this instance last read); a stored map that gives
   * keys to a shard this configuration lacks fails with HY024 naming it.
   */
  public org.collegedb.internal.directory.ClusterVerification.Report verify() throws SQLException {
    return new org.collegedb.internal.directory.ClusterVerification(view).verify();
  }

  /**
   * Makes the stored shard map match this connection's configuration, online: joining shards take their share,
   * drained shards hand theirs over, {@code --rebalance} evens out. Resumes an interrupted reshard; see
   * {@link org.collegedb.internal.reshard.Reshard}.
   */
  public org.collegedb.internal.reshard.Reshard.Result reshard(org.collegedb.internal.reshard.Reshard.Options options,
      org.collegedb.internal.reshard.Reshard.Progress progress) throws SQLException {
    return new org.collegedb.internal.reshard.Reshard(view).run(options, progress);
  }
}
