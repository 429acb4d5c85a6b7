package org.collegedb.internal.route;

import org.collegedb.internal.schema.CreateIfMissing;
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
   * The table of the ranges a reshard is moving ({@link ShardMap.Motion}), per map version: written by the reshard
   * tool before it copies, kept through the switch, deleted after its cleanup.
   */
  public static final String MOTION_TABLE = "collegedb_shard_motion";

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
        CreateIfMissing.run(c, "CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
      }
    }
    return new ShardMapStore(prefix + TABLE, prefix + IDENTITY_TABLE).load(names, connections);
  }

  /**
   * The shards read at connect, at most: the first three in name order (the map's holders). The others are checked
   * on their first use ({@link #checkOnFirstUse}), so that connecting to a cluster of 1,000 shards reads three.
   */
  public static final int HOLDERS = 3;
  /**
   * The table, on the holders of a cluster created with lazy checks, listing the shards that have joined it (got
   * their identity and map); a holder with a map but without this table belongs to a cluster whose first connect
   * wrote every shard, so every configured shard has joined.
   */
  public static final String JOINED_TABLE = "collegedb_shard_joined";

  /** A connection to a shard, opened on request. */
  @FunctionalInterface
  public interface ShardConnection {
    Connection get(int shard) throws SQLException;
  }

  /** Reads the shard map again from the shards, when a shard holds a newer one than the caller knows. */
  @FunctionalInterface
  public interface NewerMap {
    ShardMap reload() throws SQLException;
  }

  /** What connect found: the map, and whether shards from {@code checked} on still need their first-use check. */
  public record Loaded(ShardMap map, ShardMapStore store, int checked) {
  }

  /**
   * The current map, read from the holders only (the first {@value #HOLDERS} shards), or from every shard when there
   * are no more than that, when the holders disagree with the configuration (so that the error names what is
   * wrong) or when they hold identities but no map (an interrupted first connect). The holders are checked as
   * {@link #loadOrCreate} checks every shard; the others are checked by {@link #checkOnFirstUse}.
   *
   * @param names     the configured shard names, sorted
   * @param shards    each shard's connection, in auto-commit mode (only those asked for are opened)
   * @param ownSchema whether to keep the tables in the schema {@value #SCHEMA}
   */
  public static Loaded loadLazily(List<String> names, ShardConnection shards, boolean ownSchema) throws SQLException {
    String prefix = ownSchema ? SCHEMA + "." : "";
    ShardMapStore store = new ShardMapStore(prefix + TABLE, prefix + IDENTITY_TABLE);
    store.joinedTable = prefix + JOINED_TABLE;
    if (names.size() <= HOLDERS) {
      return new Loaded(loadOrCreate(names, all(names, shards), ownSchema), store, names.size());
    }
    List<String> holderNames = names.subList(0, HOLDERS);
    List<Connection> holders = new ArrayList<>();
    for (int i = 0; i < HOLDERS; i++) {
      Connection c = shards.get(i);
      if (ownSchema) {
        CreateIfMissing.run(c, "CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
      }
      holders.add(c);
    }
    List<ShardMap> stored = new ArrayList<>();
    for (int i = 0; i < HOLDERS; i++) {
      stored.add(store.read(names.get(i), holders.get(i)));
    }
    List<String> unidentified = new ArrayList<>();
    for (int i = 0; i < HOLDERS; i++) {
      if (stored.get(i) == null && store.storedNameIfAny(holders.get(i)) == null) {
        unidentified.add(names.get(i));
      }
    }
    if (unidentified.size() == HOLDERS) { // a new cluster: the holders join now, the others on first use
      // Identities first, then the record of who joined, then the map: an instance that sees the map sees both.
      ShardMap initial = ShardMap.initial(names);
      for (int i = 0; i < HOLDERS; i++) {
        store.checkIdentity(names.get(i), holders.get(i));
      }
      for (int i = 0; i < HOLDERS; i++) {
        store.createJoined(holders.get(i));
        store.join(holders.get(i), holderNames);
      }
      for (int i = 0; i < HOLDERS; i++) {
        store.write(holders.get(i), initial);
      }
      return new Loaded(initial, store, HOLDERS);
    }
    ShardMap current = null;
    for (ShardMap m : stored) {
      if (m != null && (current == null || m.version() > current.version())) {
        current = m;
      }
    }
    if (current == null || !current.shards().equals(names)) {
      return new Loaded(loadOrCreate(names, all(names, shards), ownSchema), store, names.size());
    }
    store.checkNoNewEmptyShard(holderNames, stored, unidentified, names);
    for (int i = 0; i < HOLDERS; i++) {
      store.checkIdentity(names.get(i), holders.get(i));
      ShardMap m = stored.get(i);
      if (m != null && m.version() == current.version() && !m.equals(current)) {
        throw new SQLException("shards '" + names.get(i) + "' and others hold different shard maps of version "
            + m.version() + " in table " + store.table + ": repair the table before connecting", SqlStates.BAD_CONFIG);
      }
      if (m == null || m.version() < current.version()) {
        store.write(holders.get(i), current);
      }
    }
    return new Loaded(current, store, HOLDERS);
  }

  private static List<Connection> all(List<String> names, ShardConnection shards) throws SQLException {
    List<Connection> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      out.add(shards.get(i));
    }
    return out;
  }

  /**
   * Checks a shard that connect did not read, before its first statement: that it is the shard its name says (its
   * identity), that it holds the current map (written when it holds none or an older one; a newer one fails), and,
   * when it holds no CollegeDB data at all, that it has not joined the cluster before (else it is a new, empty
   * database in the place of the shard: refused with the message connect gives). A shard of a new cluster joins here.
   *
   * @param c       the shard's connection, in auto-commit mode
   * @param holder  opens a connection of its own to a holder (the caller closes it)
   * @param names   the configured shard names, sorted
   */
  public void checkOnFirstUse(String name, Connection c, ShardMap current, List<String> names,
      ShardConnection holder, NewerMap newer) throws SQLException {
    if (table.contains(".")) {
      CreateIfMissing.run(c, "CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
    }
    ShardMap m = read(name, c);
    if (m == null && storedNameIfAny(c) == null) {
      List<String> holderNames = names.subList(0, Math.min(HOLDERS, names.size()));
      try (Connection h = holder.get(0)) {
        if (joined(h, name)) {
          List<ShardMap> stored = new ArrayList<>();
          List<String> both = new ArrayList<>(holderNames);
          for (int i = 0; i < holderNames.size(); i++) {
            stored.add(current);
          }
          both.add(name);
          stored.add(null);
          checkNoNewEmptyShard(both, stored, List.of(name), names);
        }
        checkIdentity(name, c);
        write(c, current);
        join(h, List.of(name));
      }
      return;
    }
    checkIdentity(name, c);
    if (m != null && m.version() > current.version() && newer != null) {
      current = newer.reload(); // a reshard published a newer map since connect: take it from the shards
    }
    if (m != null && m.version() > current.version()) {
      throw new SQLException("shard '" + name + "' holds shard map version " + m.version() + " (table " + table
          + "), newer than version " + current.version() + " read from shards " + quoted(names.subList(0,
          Math.min(HOLDERS, names.size()))) + " at connect: the map changed while this driver ran; connect again "
          + "in a new process", SqlStates.BAD_CONFIG);
    }
    if (m != null && m.version() == current.version() && !m.equals(current)) {
      throw new SQLException("shards '" + name + "' and others hold different shard maps of version " + m.version()
          + " in table " + table + ": repair the table before connecting", SqlStates.BAD_CONFIG);
    }
    if (m == null || m.version() < current.version()) {
      write(c, current);
    }
  }

  private void createJoined(Connection c) throws SQLException {
    CreateIfMissing.run(c, "CREATE TABLE IF NOT EXISTS " + joinedTable + " (name VARCHAR(255) NOT NULL PRIMARY KEY)");
  }


  /** Records on a holder that the shards have joined (a concurrent record of the same name is fine). */
  private void join(Connection holder, List<String> shards) throws SQLException {
    if (!hasTable(holder, joinedTable)) {
      return; // every shard joined at the cluster's first connect
    }
    for (String name : shards) {
      try (PreparedStatement ps = holder.prepareStatement("INSERT INTO " + joinedTable + " (name) VALUES (?)")) {
        ps.setString(1, name);
        ps.executeUpdate();
      } catch (SQLException e) {
        if (!joined(holder, name)) {
          throw e;
        }
      }
    }
  }

  /** Whether the shard joined the cluster: recorded on the holder, or the holder predates lazy checks. */
  private boolean joined(Connection holder, String name) throws SQLException {
    if (!hasTable(holder, joinedTable)) {
      return true;
    }
    try (PreparedStatement ps = holder.prepareStatement("SELECT COUNT(*) FROM " + joinedTable + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    }
  }

  private static boolean hasTable(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      return true;
    } catch (SQLException e) {
      if (!c.isValid(5)) {
        throw e;
      }
      if (!c.getAutoCommit()) {
        c.rollback(); // PostgreSQL: the failed statement aborted the transaction
      }
      return false;
    }
  }

  private final String table;
  private final String identityTable;
  private String joinedTable;

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
    checkNoNewEmptyShard(names, stored, unidentified, names);
  }

  /** {@code names}: the shards read, {@code configured}: every configured shard. */
  private void checkNoNewEmptyShard(List<String> names, List<ShardMap> stored, List<String> unidentified,
      List<String> configured) throws SQLException {
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
    holders.retainAll(configured);
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
    CreateIfMissing.run(c, "CREATE TABLE IF NOT EXISTS " + table + " (version BIGINT NOT NULL, range_start BIGINT NOT "
        + "NULL, shard VARCHAR(255) NOT NULL, PRIMARY KEY (version, range_start))");
    CreateIfMissing.run(c, "CREATE TABLE IF NOT EXISTS " + motionTable() + " (version BIGINT NOT NULL, "
        + "range_start BIGINT NOT NULL, range_end BIGINT NOT NULL, from_shard VARCHAR(255) NOT NULL, "
        + "to_shard VARCHAR(255) NOT NULL, "
        + "phase VARCHAR(16) NOT NULL, PRIMARY KEY (version, range_start))");
  }

  private String motionTable() {
    return table.substring(0, table.length() - TABLE.length()) + MOTION_TABLE;
  }

  /** The ranges in motion stored for map {@code version} on one shard, in start order. */
  private List<ShardMap.Motion> readMotion(Connection c, long version) throws SQLException {
    List<ShardMap.Motion> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT range_start, range_end, from_shard, to_shard, phase FROM "
        + motionTable() + " WHERE version = ? ORDER BY range_start")) {
      ps.setLong(1, version);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new ShardMap.Motion(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
              rs.getString(5)));
        }
      }
    }
    return out;
  }

  /**
   * Records on one shard the ranges in motion for map {@code version} (replacing what was recorded for it), in a
   * transaction of its own.
   */
  public void writeMotion(Connection c, long version, List<ShardMap.Motion> motion) throws SQLException {
    createTable(c);
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement del = c.prepareStatement("DELETE FROM " + motionTable() + " WHERE version = ?");
         PreparedStatement ins = c.prepareStatement("INSERT INTO " + motionTable()
             + " (version, range_start, range_end, from_shard, to_shard, phase) VALUES (?, ?, ?, ?, ?, ?)")) {
      del.setLong(1, version);
      del.executeUpdate();
      for (ShardMap.Motion m : motion) {
        ins.setLong(1, version);
        ins.setLong(2, m.start());
        ins.setLong(3, m.end());
        ins.setString(4, m.from());
        ins.setString(5, m.to());
        ins.setString(6, m.phase());
        ins.addBatch();
      }
      if (!motion.isEmpty()) {
        ins.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** Deletes every range in motion recorded on one shard (the reshard's cleanup is done, or it was aborted). */
  public void clearMotion(Connection c) throws SQLException {
    createTable(c);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM " + motionTable());
    }
  }

  /**
   * The query that tells whether a shard holds a map other than the one an instance knows: the newest version, and
   * how many ranges are in motion for it (one row, two columns).
   */
  public static String changeCheckQuery(boolean ownSchema) {
    String prefix = ownSchema ? SCHEMA + "." : "";
    return "SELECT MAX(m.version), (SELECT COUNT(*) FROM " + prefix + MOTION_TABLE + " x WHERE x.version = "
        + "(SELECT MAX(version) FROM " + prefix + TABLE + ")) FROM " + prefix + TABLE + " m";
  }



  private void checkIdentity(String name, Connection c) throws SQLException {
    CreateIfMissing.run(c, "CREATE TABLE IF NOT EXISTS " + identityTable + " (name VARCHAR(255) NOT NULL PRIMARY KEY)");
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
      return ShardMap.of(version, ranges).withMotion(readMotion(c, version));
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
