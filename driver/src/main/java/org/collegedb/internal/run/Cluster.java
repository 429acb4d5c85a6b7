package org.collegedb.internal.run;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.internal.execute.ShardExecutor;
import org.collegedb.parse.SqlLexer;
import org.collegedb.internal.route.ShardMap;
import org.collegedb.internal.route.ShardMapStore;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.SchemaCatalog;

/**
 * Everything the connections to one sharded database share: the configuration, the shard map, what is known of the
 * tables, the analysed statements and the threads that run fan-outs. One per configuration per JVM.
 */
public final class Cluster {
  private static final Map<Map<String, String>, Cluster> CLUSTERS = new ConcurrentHashMap<>();

  private final CollegeConfig config;
  private final SchemaCatalog catalog;
  private final PlanCache plans;
  private final ShardExecutor executor;
  private final boolean backslashEscapes;
  private volatile ShardMap shardMap;
  private volatile ShardChecks checks;
  private volatile Dialect dialect;
  private volatile String foreignCollation;
  private final org.collegedb.internal.directory.Directory directory;

  private Cluster(CollegeConfig config) {
    this.config = config;
    this.catalog = new SchemaCatalog(config);
    this.backslashEscapes = config.shards().stream().anyMatch(s -> isMySql(s.url()));
    this.plans = new PlanCache(Math.max(1, config.planCacheSize()),
        backslashEscapes ? SqlLexer.Options.MYSQL : SqlLexer.Options.STANDARD);
    this.executor = new ShardExecutor(config.fanoutThreads());
    this.directory = org.collegedb.internal.directory.Directory.of(config);
    this.directory.useShardMap(this::shardMap);
  }

  /** Whether routing asks the directory: keys placed by it, or tables with lookup keys. */
  public boolean directoryRoutes() {
    return config.directory().placesKeys()
        || config.tables().values().stream().anyMatch(t -> !t.lookup().isEmpty());
  }

  public static Cluster of(CollegeConfig config) {
    return CLUSTERS.computeIfAbsent(config.settings(), k -> new Cluster(config));
  }

  private static boolean isMySql(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    return u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:");
  }

  /** Reads (or creates) the shard map the first time a connection reaches the shards. */
  public void initialize(ShardConnections shards) throws SQLException {
    if (shardMap != null) {
      shards.checkOnOpen(checks);
      return;
    }
    synchronized (this) {
      if (shardMap == null) {
        // The map's holders (the first shards) are read now; every other shard is checked before its first
        // statement (ShardChecks), so that connecting costs the same with 4 shards or 1,000.
        List<String> names = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
          names.add(shards.name(i));
        }
        int read = Math.min(shards.size(), ShardMapStore.HOLDERS);
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < read; i++) {
          connections.add(shards.raw(i));
        }
        requireOneProduct(names.subList(0, read), connections);
        dialect = Dialect.detect(connections.get(0));
        foreignCollation = Dialect.unreproducibleCollation(dialect, connections.get(0));
        ShardMapStore.Loaded loaded = ShardMapStore.loadLazily(names, shards::raw,
            dialect == Dialect.POSTGRES || dialect == Dialect.H2);
        List<Connection> readNow = new ArrayList<>();
        for (int i = 0; i < loaded.checked(); i++) {
          readNow.add(shards.raw(i));
        }
        if (loaded.checked() > read) {
          requireOneProduct(names, readNow);
        }
        // no second directory for these shards (the others are checked on first use)
        directory.checkBinding(names.subList(0, loaded.checked()), readNow, directoryRoutes());
        checks = new ShardChecks(config.shards(), names, loaded,
            connections.get(0).getMetaData().getDatabaseProductName(), directory, () -> shardMap,
            this::reloadShardMap);
        nextMapCheck = CoarseClock.nanos() + mapCheckNanos; // just read
        shardMap = loaded.map();
      }
    }
    shards.checkOnOpen(checks);
  }

  /** How often statements look for a newer shard map on the shards (a reshard may have switched ranges). */
  public static final long MAP_CHECK_MILLIS = 1000;
  /**
   * This instance's interval between map checks: {@link #MAP_CHECK_MILLIS}, or, for tests that need an instance that
   * keeps an old map (a stale instance), the system property {@code collegedb.test.mapCheckMillis} as it was when the
   * cluster was made. Not a setting for applications.
   */
  private final long mapCheckNanos = Long.getLong("collegedb.test.mapCheckMillis", MAP_CHECK_MILLIS) * 1_000_000L;
  private volatile long nextMapCheck;
  private final Object mapCheckLock = new Object();
  private Connection mapWatch;

  /**
   * At most every {@link #MAP_CHECK_MILLIS}, on every instance, looks for another map on the first shard (on a
   * connection of the cluster's own): one query giving the newest version and how many ranges are in motion for it
   * ({@link ShardMapStore#changeCheckQuery}); the map is read again when either differs from the one known.
   * Instances that only read, or whose writes a row trigger cannot fence (an UPDATE that matches nothing on the old
   * owner), learn a reshard's ranges in motion and its new map within a second. When not due, this is three
   * volatile reads (the time from {@link CoarseClock}, not {@code System.nanoTime()}): no I/O. A failure to look is
   * ignored (the statement's own shards report theirs).
   */
  public void refreshShardMapIfDue() throws SQLException {
    long now = CoarseClock.nanos();
    if (now - nextMapCheck < 0 || shardMap == null) {
      return;
    }
    checkForNewerMap(now, false);
  }

  /**
   * The newest shard map, looked for now as the periodic check does (one query on the first shard, the map read again
   * only when it changed); where that query fails, the map is read from every shard. For admin answers about one key,
   * which must not use a map an idle instance has not checked yet.
   */
  public ShardMap checkedShardMap() throws SQLException {
    if (shardMap == null || !checkForNewerMap(CoarseClock.nanos(), true)) {
      return reloadShardMap();
    }
    return shardMap;
  }

  /** Looks for a newer map; false where the look failed (it is ignored: the statement's own shards report theirs). */
  private boolean checkForNewerMap(long now, boolean due) throws SQLException {
    synchronized (mapCheckLock) {
      if (!due && now - nextMapCheck < 0) {
        return true;
      }
      nextMapCheck = now + mapCheckNanos;
      try {
        if (mapWatch == null || mapWatch.isClosed()) {
          mapWatch = org.collegedb.internal.execute.BackendDrivers.connect(config.shards().get(0));
        }
        long stored;
        long moving;
        try (java.sql.Statement s = mapWatch.createStatement();
             java.sql.ResultSet rs = s.executeQuery(ShardMapStore.changeCheckQuery(
                 dialect == Dialect.POSTGRES || dialect == Dialect.H2))) {
          boolean row = rs.next();
          stored = row ? rs.getLong(1) : 0;
          moving = row ? rs.getLong(2) : 0;
        }
        ShardMap known = shardMap;
        if (stored > known.version() || stored == known.version() && moving != known.motion().size()) {
          reloadShardMap();
        }
        return true;
      } catch (SQLException e) {
        if (org.collegedb.SqlStates.BAD_CONFIG.equals(e.getSQLState())) {
          nextMapCheck = now; // say it again on the next statement
          throw e; // the new map names a shard this configuration lacks
        }
        try {
          if (mapWatch != null) {
            mapWatch.close();
          }
        } catch (SQLException ignored) {
          // closing a broken connection
        }
        mapWatch = null;
        return false;
      }
    }
  }

  /**
   * A shard map newer than {@code version}: reread from the shards until one is there (a reshard fences a range's
   * old owner first and publishes the new map once the range is caught up, within about a second), at most
   * {@code waitMillis}.
   */
  public ShardMap awaitShardMapAfter(long version, long waitMillis) throws SQLException {
    long deadline = System.nanoTime() + waitMillis * 1_000_000L;
    while (true) {
      ShardMap m = shardMap;
      if (m != null && m.version() > version) {
        return m;
      }
      m = reloadShardMap();
      if (m != null && m.version() > version) {
        return m;
      }
      if (System.nanoTime() > deadline) {
        throw new SQLException("a shard refused a write planned with shard map version " + version + " (a reshard is "
            + "switching ranges) and no newer map was published within " + waitMillis + " ms: retry",
            org.collegedb.SqlStates.SERIALIZATION_FAILURE);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for the new shard map", org.collegedb.SqlStates.GENERAL, e);
      }
    }
  }

  /**
   * Reads the shard map again from the shards, on connections of its own, after a shard refused a write planned with
   * an older map (a reshard switched ranges). A map that gives keys to a shard this configuration lacks fails with a
   * message naming it.
   */
  public ShardMap reloadShardMap() throws SQLException {
    synchronized (this) {
      List<String> names = new ArrayList<>();
      List<Connection> connections = new ArrayList<>();
      try {
        for (ShardSpec spec : config.shards()) {
          names.add(spec.name());
          connections.add(org.collegedb.internal.execute.BackendDrivers.connect(spec));
        }
        ShardMap newest = ShardMapStore.newest(names, connections,
            dialect == Dialect.POSTGRES || dialect == Dialect.H2);
        if (newest == null || (shardMap != null && (newest.version() < shardMap.version()
            || newest.version() == shardMap.version() && newest.motion().equals(shardMap.motion())))) {
          return shardMap;
        }
        List<String> missing = new ArrayList<>(newest.owners());
        missing.removeAll(names);
        if (!missing.isEmpty()) {
          throw new SQLException("the shard map changed (version " + newest.version() + ") and gives keys to shard(s) "
              + missing + ", which this configuration does not list: add "
              + missing.stream().map(n -> "'shards." + n + ".url'").reduce((a, b) -> a + ", " + b).orElse("")
              + " to the configuration and reconnect", org.collegedb.SqlStates.BAD_CONFIG);
        }
        shardMap = newest.withMembers(names);
        directory.forgetAll(); // a reshard re-points lookup entries with the rows it moves: cached answers may be old
        return shardMap;
      } finally {
        for (Connection c : connections) {
          try {
            c.close();
          } catch (SQLException e) {
            // closing a connection only read from
          }
        }
      }
    }
  }

  /**
   * Tools choose their SQL dialect from the one product name CollegeDB reports, and every statement runs unchanged on
   * every shard: shards of different products would each misread some of it.
   */
  private static void requireOneProduct(List<String> names, List<Connection> shards) throws SQLException {
    Map<String, List<String>> byProduct = new java.util.TreeMap<>();
    for (int i = 0; i < shards.size(); i++) {
      byProduct.computeIfAbsent(shards.get(i).getMetaData().getDatabaseProductName(), p -> new ArrayList<>())
          .add(names.get(i));
    }
    if (byProduct.size() > 1) {
      throw new SQLException("the shards are of different database products " + byProduct + ": every shard of a "
          + "CollegeDB database must be of one product, since statements run unchanged on each and tools choose "
          + "their dialect from one product name", org.collegedb.SqlStates.BAD_CONFIG);
    }
  }

  /**
   * Checks, on every connect, that the configured shard keys name columns of their tables, for the tables the shards
   * have: a misspelt key fails the connection rather than the first statement. Rules found valid stay cached.
   */
  public void checkTables(ShardConnections shards) throws SQLException {
    for (String table : config.tables().keySet()) {
      catalog.rule(table, shards.raw(0));
    }
  }

  public CollegeConfig config() {
    return config;
  }

  public List<ShardSpec> shards() {
    return config.shards();
  }

  public SchemaCatalog catalog() {
    return catalog;
  }

  public PlanCache plans() {
    return plans;
  }

  public ShardExecutor executor() {
    return executor;
  }

  public ShardMap shardMap() {
    return shardMap;
  }

  /** The shards' database product, as merging needs to know it. */
  public Dialect dialect() {
    return dialect;
  }

  /** The shards' text collation when CollegeDB cannot reproduce its order, else null. */
  public String foreignCollation() {
    return foreignCollation;
  }

  /** The directory (lookup table); it opens its database on first use. */
  public org.collegedb.internal.directory.Directory directory() {
    return directory;
  }

  public boolean backslashEscapes() {
    return backslashEscapes;
  }
}
