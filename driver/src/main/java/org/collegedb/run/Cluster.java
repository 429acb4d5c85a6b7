package org.collegedb.run;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.collegedb.config.CollegeConfig;
import org.collegedb.config.ShardSpec;
import org.collegedb.execute.ShardConnections;
import org.collegedb.execute.ShardExecutor;
import org.collegedb.parse.SqlLexer;
import org.collegedb.route.ShardMap;
import org.collegedb.route.ShardMapStore;
import org.collegedb.schema.Dialect;
import org.collegedb.schema.SchemaCatalog;

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
  private final org.collegedb.directory.Directory directory;

  private Cluster(CollegeConfig config) {
    this.config = config;
    this.catalog = new SchemaCatalog(config);
    this.backslashEscapes = config.shards().stream().anyMatch(s -> isMySql(s.url()));
    this.plans = new PlanCache(Math.max(1, config.planCacheSize()),
        backslashEscapes ? SqlLexer.Options.MYSQL : SqlLexer.Options.STANDARD);
    this.executor = new ShardExecutor(config.fanoutThreads());
    this.directory = org.collegedb.directory.Directory.of(config);
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
            connections.get(0).getMetaData().getDatabaseProductName(), directory);
        shardMap = loaded.map();
      }
    }
    shards.checkOnOpen(checks);
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
  public org.collegedb.directory.Directory directory() {
    return directory;
  }

  public boolean backslashEscapes() {
    return backslashEscapes;
  }
}
