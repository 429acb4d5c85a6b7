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
import org.collegedb.SqlStates;

/**
 * Keeps the {@link ShardMap} on the shards themselves, in the table {@value #TABLE} of every shard: every driver
 * instance that reaches the shards sees the same map, with no other database to configure. The highest version found
 * on any shard is the map; a shard without it gets a copy.
 */
public final class ShardMapStore {
  /**
   * The schema of CollegeDB's tables on databases that have schemas (PostgreSQL, H2), so that the application's own
   * schema looks empty to tools that check (Flyway refuses to migrate a non-empty schema without a baseline).
   */
  public static final String SCHEMA = "collegedb_internal";
  public static final String TABLE = "collegedb_shard_map";
  /**
   * The table in which every shard records its own name, so that a configuration pointing a name at another shard's
   * database is caught before it misroutes rows.
   */
  public static final String IDENTITY_TABLE = "collegedb_shard_identity";

  /**
   * The current map, created (version 1, from the configured names) when no shard has one.
   *
   * @param names       the configured shard names, sorted, matching {@code connections}
   * @param connections a connection to each shard, in auto-commit mode
   * @param ownSchema   whether to keep the tables in the schema {@value #SCHEMA} (databases with schemas)
   */
  public static ShardMap loadOrCreate(List<String> names, List<Connection> connections, boolean ownSchema)
      throws SQLException {
    String prefix = ownSchema ? SCHEMA + "." : "";
    if (ownSchema) {
      for (Connection c : connections) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        }
      }
    }
    return new ShardMapStore(prefix + TABLE, prefix + IDENTITY_TABLE).load(names, connections);
  }

  private final String table;
  private final String identityTable;

  private ShardMapStore(String table, String identityTable) {
    this.table = table;
    this.identityTable = identityTable;
  }

  private ShardMap load(List<String> names, List<Connection> connections) throws SQLException {
    // The maps are read before the identities: an instance creating a new cluster records every identity before it
    // writes the first map, so a shard seen without an identity after a map was seen elsewhere never had one.
    List<ShardMap> stored = new ArrayList<>();
    for (int i = 0; i < connections.size(); i++) {
      stored.add(read(names.get(i), connections.get(i)));
    }
    List<String> unidentified = new ArrayList<>();
    for (int i = 0; i < connections.size(); i++) {
      if (stored.get(i) == null && storedNameIfAny(connections.get(i)) == null) {
        unidentified.add(names.get(i));
      }
    }
    checkNoNewEmptyShard(names, stored, unidentified);
    for (int i = 0; i < connections.size(); i++) {
      checkIdentity(names.get(i), connections.get(i));
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
            + m.version() + " in table " + table + ": repair the table before connecting", SqlStates.BAD_CONFIG);
      }
    }
    if (current == null) {
      current = ShardMap.initial(names);
    }
    List<String> missing = new ArrayList<>(current.owners());
    missing.removeAll(names);
    if (!missing.isEmpty()) {
      throw new SQLException("the shard map stored on the shards (version " + current.version() + ", table " + table
          + ") gives keys to shard" + (missing.size() > 1 ? "s " : " ") + quoted(missing) + ", which the "
          + "configuration does not list (it lists " + names + "). Shard names are identities: renaming or removing "
          + "a shard that owns keys in the configuration alone would lose rows. Add "
          + missing.stream().map(n -> "'shards." + n + ".url'").reduce((a, b) -> a + ", " + b).orElse("")
          + " to the configuration (a shard leaves the cluster with 'shards.<name>.drain=true' and the reshard "
          + "command first)", SqlStates.BAD_CONFIG);
    }
    for (int i = 0; i < stored.size(); i++) {
      ShardMap m = stored.get(i);
      if (m == null || m.version() < current.version()) {
        write(connections.get(i), current);
      }
    }
    return current.withMembers(names); // configured shards that own no keys: joining, or drained
  }

  /** The newest map stored on any of {@code connections}, or null when none has one. */
  public static ShardMap newest(List<String> names, List<Connection> connections, boolean ownSchema)
      throws SQLException {
    String prefix = ownSchema ? SCHEMA + "." : "";
    ShardMapStore store = new ShardMapStore(prefix + TABLE, prefix + IDENTITY_TABLE);
    ShardMap current = null;
    for (int i = 0; i < connections.size(); i++) {
      ShardMap m = store.read(names.get(i), connections.get(i));
      if (m != null && (current == null || m.version() > current.version())) {
        current = m;
      }
    }
    return current;
  }

  /**
   * Refuses a configured shard whose database holds no trace of CollegeDB (no identity, no map) while the shard map
   * exists on other shards: it is a new, empty database (a typo in a URL, a relative path resolved from another
   * folder), and taking it as that shard would hide the shard's rows and split its keys over two databases.
   */
  private void checkNoNewEmptyShard(List<String> names, List<ShardMap> stored, List<String> unidentified)
      throws SQLException {
    if (unidentified.isEmpty() || unidentified.size() == names.size()) {
      return; // nothing anywhere: a new cluster
    }
    List<String> holders = new ArrayList<>();
    ShardMap map = null;
    for (int i = 0; i < names.size(); i++) {
      if (stored.get(i) != null) {
        holders.add(names.get(i));
        map = stored.get(i);
      }
    }
    if (map == null) {
      return; // no map yet (an interrupted first connect)
    }
    List<String> owners = map.owners();
    unidentified = new ArrayList<>(unidentified);
    unidentified.retainAll(owners); // a shard the map does not name is joining the cluster: it starts empty
    holders.retainAll(names);
    if (unidentified.isEmpty()) {
      return;
    }
    throw new SQLException("the database" + (unidentified.size() > 1 ? "s" : "") + " configured as shard"
        + (unidentified.size() > 1 ? "s " : " ") + quoted(unidentified) + " hold" + (unidentified.size() > 1 ? "" : "s")
        + " no CollegeDB data (no " + identityTable + ", no " + table + ") while the shard map (version "
        + map.version() + ") is on shard" + (holders.size() > 1 ? "s " : " ") + quoted(holders) + ": "
        + (unidentified.size() > 1 ? "they are new, empty databases" : "it is a new, empty database")
        + ", not the shard the map names. Check the URL of " + quoted(unidentified) + " (a typo, or a relative path "
        + "that resolves from another working directory; ${configDir} makes it relative to the configuration file)"
        + " and that its database still exists", SqlStates.BAD_CONFIG);
  }

  private static String quoted(List<String> names) {
    StringBuilder b = new StringBuilder();
    for (String n : names) {
      b.append(b.length() > 0 ? ", " : "").append('\'').append(n).append('\'');
    }
    return b.toString();
  }

  /** The name a shard recorded for itself, or null when it has none (or not even the table). */
  private String storedNameIfAny(Connection c) throws SQLException {
    try {
      return storedName(c);
    } catch (SQLException e) {
      if (!c.isValid(5)) {
        throw e;
      }
      return null; // no such table
    }
  }

  private void createTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (version BIGINT NOT NULL, range_start BIGINT NOT NULL, "
          + "shard VARCHAR(255) NOT NULL, PRIMARY KEY (version, range_start))");
    }
  }



  private void checkIdentity(String name, Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + identityTable + " (name VARCHAR(255) NOT NULL PRIMARY KEY)");
    }
    String stored = storedName(c);
    if (stored == null) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + identityTable + " (name) VALUES (?)")) {
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
          + "in its table " + identityTable + "): the configuration points shard names at the wrong databases, "
          + "which would send rows to the wrong shards. Restore each shard's URL", SqlStates.BAD_CONFIG);
    }
  }

  private String storedName(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM " + identityTable)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private ShardMap read(String name, Connection c) throws SQLException {
    createTable(c);
    Map<Long, String> ranges = new TreeMap<>();
    long version = -1;
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT version, range_start, shard FROM " + table
             + " WHERE version = (SELECT MAX(version) FROM " + table + ")")) {
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
      throw new SQLException("shard '" + name + "' holds a broken shard map in " + table + ": " + e.getMessage(),
          SqlStates.BAD_CONFIG, e);
    }
  }

  /** Writes {@code map} to one shard; a concurrent writer of the same version is fine. */
  public void write(Connection c, ShardMap map) throws SQLException {
    createTable(c);
    boolean auto = c.getAutoCommit();
    if (!auto) {
      insert(c, map); // in the caller's transaction
      return;
    }
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
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

  private void insert(Connection c, ShardMap map) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " (version, range_start, shard) VALUES (?, ?, ?)")) {
      for (Map.Entry<Long, String> e : map.ranges().entrySet()) {
        ps.setLong(1, map.version());
        ps.setLong(2, e.getKey());
        ps.setString(3, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The store of a shard's database: its tables in {@value #SCHEMA} when {@code ownSchema}. */
  public static ShardMapStore of(boolean ownSchema) {
    String prefix = ownSchema ? SCHEMA + "." : "";
    return new ShardMapStore(prefix + TABLE, prefix + IDENTITY_TABLE);
  }

  /** Records {@code name} as the identity of a shard's database (a shard joining the cluster), if it has none. */
  public void identify(Connection c, String name) throws SQLException {
    checkIdentity(name, c);
  }

  /** The newest map on one shard, or null. */
  public ShardMap readNewest(String name, Connection c) throws SQLException {
    return read(name, c);
  }

  /** Deletes map versions above {@code version} from one shard (an aborted change that had written one). */
  public void deleteAbove(Connection c, long version) throws SQLException {
    createTable(c);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE version > ?")) {
      ps.setLong(1, version);
      ps.executeUpdate();
    }
  }

  private boolean hasVersion(Connection c, long version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE version = ?")) {
      ps.setLong(1, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    }
  }
}
