package org.collegedb.internal.directory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.collegedb.SqlStates;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.internal.value.KeyHasher;
import org.collegedb.internal.schema.TableRule;

/**
 * The operations behind {@code org.collegedb.admin.CollegeAdmin}: where keys are, what a record's lookup keys are,
 * moving a key's rows, removing placements, and how rows are spread.
 */
public final class DirectoryMaintenance {
  private final ClusterView view;
  private final Directory directory;
  private final ShardConnections shards;

  public DirectoryMaintenance(ClusterView view) {
    this.view = view;
    this.directory = view.directory();
    this.shards = view.shards();
  }

  private TableRule sharded(String table) throws SQLException {
    TableRule rule = view.rule(table);
    if (!rule.sharded()) {
      throw new SQLException("table '" + table + "' is not sharded by a key", SqlStates.NOT_SUPPORTED);
    }
    return rule;
  }

  private static Object[] canonical(TableRule rule, Object[] key) throws SQLException {
    if (key.length != rule.keyColumns().size()) {
      throw new SQLException("table '" + rule.name() + "' has " + rule.keyColumns().size() + " key column(s) "
          + rule.keyColumns() + ", got " + key.length + " value(s)", SqlStates.INVALID_PARAMETER);
    }
    Object[] c = new Object[key.length];
    for (int i = 0; i < key.length; i++) {
      c[i] = KeyHasher.canonical(rule.keyTypes()[i], key[i]);
    }
    return c;
  }

  /** The shard a key is placed on in the directory, or null when it has no placement. */
  public String placedShard(String table, Object... key) throws SQLException {
    TableRule rule = sharded(table);
    if (!directory.spec().placesKeys()) {
      canonical(rule, key); // the key is still checked
      return null; // routing does not read placements: they do not decide where the key is
    }
    return directory.store().placement(Placer.group(rule), directory.keys().placement(Placer.group(rule),
        canonical(rule, key)));
  }

  /**
   * The shard holding a key's rows: its placement if it has one, else the owner by the shard map stored on the shards,
   * read again first (this instance may have been idle since another instance's reshard moved the key: the map it
   * keeps in memory would name the old owner).
   */
  public String shardOf(String table, Object... key) throws SQLException {
    TableRule rule = sharded(table);
    Object[] c = canonical(rule, key);
    String placed = !directory.spec().placesKeys() ? null // routing reads no placements: the hash decides
        : directory.store().placement(Placer.group(rule), directory.keys().placement(Placer.group(rule), c));
    return placed != null ? placed : view.checkedShardMap().owner(KeyHasher.hash(rule.keyTypes(), c));
  }

  /**
   * The record that has {@code value} in {@code column} (a lookup column or the single key column): its shard, key
   * and lookup values as its shard holds them; null when there is no such row.
   */
  public Map<String, Object> record(String table, String column, Object value, String[] shardOut)
      throws SQLException {
    TableRule rule = sharded(table);
    String col = column.toLowerCase(Locale.ROOT);
    List<String> shardNames = new ArrayList<>();
    if (rule.lookup().contains(col)) {
      Object c = KeyHasher.canonical(rule.typeOf(col), value);
      String vkey = directory.keys().lookup(rule.name(), col, c);
      DirectoryStore.Entry e = directory.store().lookups(rule.name(), col, List.of(vkey)).get(vkey);
      if (e == null) {
        return null;
      }
      shardNames.add(e.shard());
    } else if (rule.keyColumns().size() == 1 && rule.keyColumns().get(0).equals(col)) {
      shardNames.add(shardOf(table, value));
    } else {
      throw new SQLException("'" + col + "' is neither a lookup column " + rule.lookup() + " nor the key of '" + table
          + "'", SqlStates.INVALID_PARAMETER);
    }
    List<String> columns = new ArrayList<>(rule.keyColumns());
    for (String l : rule.lookup()) {
      if (!columns.contains(l)) {
        columns.add(l);
      }
    }
    int index = directory.shardIndex(shardNames.get(0));
    if (index < 0) {
      return null;
    }
    try (PreparedStatement ps = shards.raw(index).prepareStatement("SELECT " + String.join(", ", columns)
        + " FROM " + rule.name() + " WHERE " + col + " = ?")) {
      ps.setObject(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          out.put(columns.get(i), rs.getObject(i + 1));
        }
        shardOut[0] = shardNames.get(0);
        return out;
      }
    }
  }

  /** The sharded tables whose key has the same types as {@code rule}'s: they place keys together. */
  private List<TableRule> group(TableRule rule) throws SQLException {
    List<TableRule> out = new ArrayList<>();
    for (String table : tables()) {
      TableRule r = view.rule(table);
      if (r.sharded() && Arrays.equals(r.keyTypes(), rule.keyTypes())) {
        out.add(r);
      }
    }
    return out;
  }

  /** The tables of the shards (the first shard's), without CollegeDB's own. */
  List<String> tables() throws SQLException {
    Connection c = shards.raw(0);
    DatabaseMetaData md = c.getMetaData();
    List<String> names = new ArrayList<>();
    String schema;
    try {
      schema = c.getSchema();
    } catch (SQLException | AbstractMethodError e) {
      schema = null;
    }
    try (ResultSet rs = md.getTables(c.getCatalog(), schema, "%", new String[] {"TABLE", "BASE TABLE"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
        if (!name.startsWith("collegedb_") && !names.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /**
   * Moves a key to {@code target}: copies its rows of every table keyed like {@code table} to the target
   * (replacing what a crashed earlier run left there), points its lookup entries and its placement at the target,
   * then deletes its rows from every other shard. Each step can be run again: a run after a crash resumes it.
   * Writes to the key must be stopped while it moves.
   *
   * @return the number of rows copied
   */
  public long move(String table, Object[] key, String target) throws SQLException {
    TableRule rule = sharded(table);
    if (!directory.spec().placesKeys()) {
      throw new SQLException("moving a key needs key routing to consult the directory: set "
          + "'directory.placements=on' (or a non-hash strategy, or maxShardSize) on every instance",
          SqlStates.NOT_SUPPORTED);
    }
    int to = directory.shardIndex(target);
    if (to < 0) {
      throw new SQLException("shard '" + target + "' is not configured", SqlStates.INVALID_PARAMETER);
    }
    Object[] c = canonical(rule, key);
    String group = Placer.group(rule);
    String vkey = directory.keys().placement(group, c);
    String current = shardOf(table, key);
    List<TableRule> tables = group(rule);
    long copied = 0;
    if (!current.equals(target)) {
      int from = directory.shardIndex(current);
      long token = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
      for (TableRule t : tables) {
        List<Object[]> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = shards.raw(from).prepareStatement("SELECT * FROM " + t.name() + where(t))) {
          bindKey(ps, key);
          try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              columns.add(md.getColumnName(i));
            }
            while (rs.next()) {
              Object[] r = new Object[columns.size()];
              for (int i = 0; i < r.length; i++) {
                r[i] = rs.getObject(i + 1);
              }
              rows.add(r);
            }
          }
        }
        if (rows.isEmpty()) {
          continue; // nothing to copy: leave the target's rows alone
        }
        replace(to, t, key, columns, rows);
        copied += rows.size();
        for (String l : t.lookup()) {
          int at = indexOfIgnoreCase(columns, l);
          for (Object[] r : rows) {
            if (at >= 0 && r[at] != null) {
              String lk = directory.keys().lookup(t.name(), l, KeyHasher.canonical(t.typeOf(l), r[at]));
              directory.store().pointLookup(t.name(), l, lk, target, token, System.currentTimeMillis());
              directory.forget(lk);
            }
          }
        }
      }
      directory.store().setPlacement(group, vkey, target, System.currentTimeMillis());
      directory.forget(vkey);
    }
    for (int s = 0; s < shards.size(); s++) {
      if (s == to) {
        continue;
      }
      for (TableRule t : tables) {
        try (PreparedStatement ps = shards.raw(s).prepareStatement("DELETE FROM " + t.name() + where(t))) {
          bindKey(ps, key);
          ps.executeUpdate();
        }
      }
    }
    return copied;
  }

  private static int indexOfIgnoreCase(List<String> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String where(TableRule t) {
    StringBuilder b = new StringBuilder(" WHERE ");
    for (int i = 0; i < t.keyColumns().size(); i++) {
      b.append(i > 0 ? " AND " : "").append(t.keyColumns().get(i)).append(" = ?");
    }
    return b.toString();
  }

  private static void bindKey(PreparedStatement ps, Object[] key) throws SQLException {
    for (int i = 0; i < key.length; i++) {
      ps.setObject(i + 1, key[i]);
    }
  }

  /**
   * In one transaction of the target: delete the key's rows of the table (left there by an interrupted earlier
   * run of this move: while the key is placed on the source, no write goes to the target), insert the copies.
   */
  private void replace(int shard, TableRule t, Object[] key, List<String> columns, List<Object[]> rows)
      throws SQLException {
    Connection c = shards.raw(shard);
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.name() + where(t))) {
        bindKey(ps, key);
        ps.executeUpdate();
      }
      if (!rows.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.name() + " (" + String.join(", ", columns)
            + ") VALUES (?" + ", ?".repeat(columns.size() - 1) + ")")) {
          for (Object[] r : rows) {
            for (int i = 0; i < r.length; i++) {
              ps.setObject(i + 1, r[i]);
            }
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** Removes a key's placement; returns whether it had one. */
  public boolean deletePlacement(String table, Object... key) throws SQLException {
    TableRule rule = sharded(table);
    String group = Placer.group(rule);
    String vkey = directory.keys().placement(group, canonical(rule, key));
    directory.forget(vkey);
    return directory.store().deletePlacements(group, vkey) > 0;
  }

  /** Removes every placement; returns how many there were. */
  public int clearPlacements() throws SQLException {
    int n = directory.store().deletePlacements(null, null);
    directory.forgetAll();
    return n;
  }

  /** Rows per shard of the given sharded tables (all sharded tables when none is given), by shard name. */
  public Map<String, Long> rowsPerShard(List<String> tables) throws SQLException {
    List<String> names = tables.isEmpty() ? tables() : tables;
    Map<String, Long> counts = new TreeMap<>();
    for (int s = 0; s < shards.size(); s++) {
      counts.put(shards.name(s), 0L);
    }
    for (String table : names) {
      TableRule rule = view.rule(table);
      if (!rule.sharded()) {
        if (!tables.isEmpty()) {
          throw new SQLException("table '" + table + "' is not sharded: " + (rule.broadcast()
              ? "a broadcast table has every row on every shard" : "it has no key"), SqlStates.NOT_SUPPORTED);
        }
        continue;
      }
      for (int s = 0; s < shards.size(); s++) {
        try (Statement st = shards.raw(s).createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + rule.name())) {
          rs.next();
          counts.merge(shards.name(s), rs.getLong(1), Long::sum);
        }
      }
    }
    return counts;
  }
}
