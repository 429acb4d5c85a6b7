package org.collegedb.route;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.collegedb.SqlStates;

/**
 * Keeps the {@link ShardMap} on the shards themselves, in the table {@value #TABLE} of every shard: every driver
 * instance that reaches the shards sees the same map, with no other database to configure. The highest version found
 * on any shard is the map; a shard without it gets a copy.
 */
public final class ShardMapStore {
  public static final String TABLE = "collegedb_shard_map";

  private ShardMapStore() {
  }

  /**
   * The current map, created (version 1, from the configured names) when no shard has one.
   *
   * @param names       the configured shard names, sorted, matching {@code connections}
   * @param connections a connection to each shard, in auto-commit mode
   */
  public static ShardMap loadOrCreate(List<String> names, List<Connection> connections) throws SQLException {
    for (int i = 0; i < connections.size(); i++) {
      checkIdentity(names.get(i), connections.get(i));
    }
    List<ShardMap> stored = new ArrayList<>();
    for (int i = 0; i < connections.size(); i++) {
      stored.add(read(names.get(i), connections.get(i)));
    }
    ShardMap current = null;
    for (ShardMap m : stored) {
      if (m != null && (current == null || m.version() > current.version())) {
        current = m;
      }
    }
    for (int i = 0; i < stored.size(); i++) {
      ShardMap m = stored.get(i);
      if (m != null && current != null && m.version() == current.version() && !m.equals(current)) {
        throw new SQLException("shards '" + names.get(i) + "' and others hold different shard maps of version "
            + m.version() + " in table " + TABLE + ": repair the table before connecting", SqlStates.BAD_CONFIG);
      }
    }
    if (current == null) {
      current = ShardMap.initial(names);
    }
    if (!current.shards().equals(new ArrayList<>(new TreeSet<>(names)))) {
      throw new SQLException("the shard map stored on the shards (version " + current.version() + ", table " + TABLE
          + ") lists shards " + current.shards() + " but the configuration lists " + names + ". Shard names are "
          + "identities: renaming, adding or removing a shard in the configuration alone would lose rows. Restore "
          + "the configured names", SqlStates.BAD_CONFIG);
    }
    for (int i = 0; i < stored.size(); i++) {
      ShardMap m = stored.get(i);
      if (m == null || m.version() < current.version()) {
        write(connections.get(i), current);
      }
    }
    return current;
  }

  private static void createTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (version BIGINT NOT NULL, range_start BIGINT NOT NULL, "
          + "shard VARCHAR(255) NOT NULL, PRIMARY KEY (version, range_start))");
    }
  }

  /** The table in which every shard records its own name, so that a configuration pointing a name at another
   * shard's database is caught before it misroutes rows. */
  public static final String IDENTITY_TABLE = "collegedb_shard_identity";

  private static void checkIdentity(String name, Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + IDENTITY_TABLE + " (name VARCHAR(255) NOT NULL PRIMARY KEY)");
    }
    String stored = storedName(c);
    if (stored == null) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + IDENTITY_TABLE + " (name) VALUES (?)")) {
        ps.setString(1, name);
        ps.executeUpdate();
        return;
      } catch (SQLException raced) {
        stored = storedName(c); // another instance recorded it first: check what it wrote
        if (stored == null) {
          throw raced;
        }
      }
    }
    if (!stored.equals(name)) {
      throw new SQLException("the database configured as shard '" + name + "' is shard '" + stored + "' (it says so "
          + "in its table " + IDENTITY_TABLE + "): the configuration points shard names at the wrong databases, "
          + "which would send rows to the wrong shards. Restore each shard's URL", SqlStates.BAD_CONFIG);
    }
  }

  private static String storedName(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM " + IDENTITY_TABLE)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static ShardMap read(String name, Connection c) throws SQLException {
    createTable(c);
    Map<Long, String> ranges = new TreeMap<>();
    long version = -1;
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT version, range_start, shard FROM " + TABLE
             + " WHERE version = (SELECT MAX(version) FROM " + TABLE + ")")) {
      while (rs.next()) {
        version = rs.getLong(1);
        ranges.put(rs.getLong(2), rs.getString(3));
      }
    }
    if (ranges.isEmpty()) {
      return null;
    }
    try {
      return ShardMap.of(version, ranges);
    } catch (IllegalArgumentException e) {
      throw new SQLException("shard '" + name + "' holds a broken shard map in " + TABLE + ": " + e.getMessage(),
          SqlStates.BAD_CONFIG, e);
    }
  }

  /** Writes {@code map} to one shard; a concurrent writer of the same version is fine. */
  public static void write(Connection c, ShardMap map) throws SQLException {
    createTable(c);
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
        + " (version, range_start, shard) VALUES (?, ?, ?)")) {
      for (Map.Entry<Long, String> e : map.ranges().entrySet()) {
        ps.setLong(1, map.version());
        ps.setLong(2, e.getKey());
        ps.setString(3, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      // Another instance wrote the same version first: it is the same deterministic map.
      if (!hasVersion(c, map.version())) {
        throw e;
      }
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static boolean hasVersion(Connection c, long version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + TABLE + " WHERE version = ?")) {
      ps.setLong(1, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    }
  }
}
