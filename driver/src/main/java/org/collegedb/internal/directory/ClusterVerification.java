package org.collegedb.internal.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.internal.schema.TableRule;

/**
 * Checks, row by row, that the shards hold what the shard map and the directory say: every row of a sharded table
 * on the shard that owns its key (its placement in the directory, else the owner of its hash), so that no key has
 * rows on two shards; every
 * broadcast table with the same number of rows on every shard; every lookup entry present and naming the row's shard;
 * no placement naming a shard that owns no part of the shard map (one drained, or joining). Reads only.
 */
public final class ClusterVerification {
  /** What a check found: rows read and the differences, each naming its table, key and shard. */
  public record Report(long rows, List<String> problems) {
  }

  private static final int MAX_PROBLEMS = 1000;

  private final ClusterView view;
  private final ShardConnections shards;
  private final DirectoryMaintenance maintenance;

  public ClusterVerification(ClusterView view) {
    this.view = view;
    this.shards = view.shards();
    this.maintenance = new DirectoryMaintenance(view);
  }

  /**
   * The shard a key belongs on: its placement when the directory places keys, else the owner of its hash in
   * {@code map}.
   */
  private String owner(TableRule rule, Object[] key, org.collegedb.internal.route.ShardMap map) throws SQLException {
    Directory directory = view.directory();
    if (directory.spec().placesKeys()) {
      return maintenance.shardOf(rule.name(), key);
    }
    Object[] canonical = new Object[key.length];
    for (int i = 0; i < key.length; i++) {
      canonical[i] = org.collegedb.internal.value.KeyHasher.canonical(rule.keyTypes()[i], key[i]);
    }
    return map.owner(org.collegedb.internal.value.KeyHasher.hash(rule.keyTypes(), canonical));
  }

  public Report verify() throws SQLException {
    try {
      return check();
    } catch (IllegalStateException e) {
      throw LookupBackfill.cause(e);
    }
  }

  private Report check() throws SQLException {
    long rows = 0;
    List<String> problems = new ArrayList<>();
    // The stored map, not the one this instance last read: an instance idle since a reshard (or one that has not
    // looked for a newer map within the check interval) would judge rows by ranges that moved. A stored map giving
    // keys to a shard this configuration lacks fails here (HY024, naming it) rather than reporting its rows missing.
    org.collegedb.internal.route.ShardMap map = view.reloadShardMap();
    java.util.Set<String> owners = new java.util.HashSet<>(map.owners());
    for (String table : maintenance.tables()) {
      TableRule rule = view.rule(table);
      if (rule.broadcast()) {
        List<Long> counts = new ArrayList<>();
        for (int s = 0; s < shards.size(); s++) {
          if (!owners.contains(shards.name(s))) {
            continue; // a shard joining the cluster, or drained: statements do not read it
          }
          try (Statement st = shards.raw(s).createStatement();
               ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + rule.name())) {
            rs.next();
            counts.add(rs.getLong(1));
          }
        }
        if (counts.stream().distinct().count() > 1) {
          problems.add(rule.name() + ": a broadcast table with different rows per shard " + counts);
        }
        continue;
      }
      if (!rule.sharded()) {
        continue;
      }
      for (int s = 0; s < shards.size(); s++) {
        String shard = shards.name(s);
        if (!owners.contains(shard) && !hasTable(shards.raw(s), rule.name())) {
          continue; // a joining shard that has not received the table yet
        }
        for (List<Object[]> batch : new LookupBackfill.KeyScan(shards.raw(s), rule, List.of(), null)) {
          for (Object[] key : batch) {
            rows++;
            if (java.util.Arrays.asList(key).contains(null)) {
              continue; // a NULL key lives at its fixed position; not a key the map places
            }
            String owner = owner(rule, key, map);
            String id = rule.name() + " " + java.util.Arrays.toString(key);
            if (!owner.equals(shard) && problems.size() < MAX_PROBLEMS) {
              problems.add(id + " is on " + shard + ", but its key belongs on " + owner);
            }
          }
        }
      }
      for (String column : rule.lookup()) {
        LookupBackfill.Check check = new LookupBackfill(view).verify(rule.name(), column);
        for (String p : check.problems()) {
          if (problems.size() < MAX_PROBLEMS) {
            problems.add(p);
          }
        }
      }
    }
    if (view.directory().spec().placesKeys()) {
      for (java.util.Map.Entry<String, Long> e : view.directory().store().placementsPerShard().entrySet()) {
        if (!owners.contains(e.getKey())) {
          problems.add(e.getValue() + " placement(s) name shard '" + e.getKey() + "', which owns no part of the shard "
              + "map (drained, joining or unknown): keys placed there are read from it");
        }
      }
    }
    return new Report(rows, problems);
  }

  private static boolean hasTable(java.sql.Connection c, String table) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0")) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }
}
