package org.collegedb.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ConfigLoader;
import org.collegedb.internal.run.Cluster;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.StatementAnalyzer;

/**
 * The CollegeDB JDBC driver: {@code jdbc:collegedb:<location>}, where the location is a YAML or properties file or
 * {@code classpath:<name>}, or {@code jdbc:collegedb:} alone with every setting in the connection properties.
 */
public final class CollegeDriver implements Driver {
  public static final int MAJOR_VERSION = 0;
  public static final int MINOR_VERSION = 1;
  public static final String VERSION = MAJOR_VERSION + "." + MINOR_VERSION + ".0";

  static {
    try {
      DriverManager.registerDriver(new CollegeDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
    warmParser();
  }

  /** The first parse in a JVM loads about 900 classes; do that off the caller's thread. */
  private static void warmParser() {
    Thread t = new Thread(() -> {
      try {
        StatementAnalyzer.analyze(SqlLexer.lex("SELECT a, COUNT(*) FROM t WHERE id = ? GROUP BY a ORDER BY a "
            + "LIMIT 10"));
        StatementAnalyzer.analyze(SqlLexer.lex("INSERT INTO t (a, b) VALUES (1, 'x')"));
        StatementAnalyzer.analyze(SqlLexer.lex("UPDATE t SET a = 1 WHERE id IN (1, 2)"));
      } catch (RuntimeException ignored) {
        // warming is an optimisation only
      }
    }, "collegedb-parser-warmup");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null; // JDBC: another driver's URL
    }
    Map<String, String> settings = ConfigLoader.load(url, info);
    CollegeConfig config = CollegeConfig.of(settings);
    Cluster cluster = Cluster.of(config);
    ShardConnections shards = ShardConnections.open(config); // lazy: nothing connects yet
    try {
      cluster.initialize(shards);
      shards.releaseIdle(); // the first connection read the shard map from every shard: keep none of those
      cluster.checkTables(shards);
    } catch (SQLException | RuntimeException e) {
      shards.close();
      throw e;
    }
    return new CollegeConnection(cluster, shards, url);
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(ConfigLoader.PREFIX);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    DriverPropertyInfo shard = new DriverPropertyInfo("shards.<name>.url", null);
    shard.description = "JDBC URL of a shard; give one per shard, or name a configuration file in the URL";
    DriverPropertyInfo user = new DriverPropertyInfo("user", info == null ? null : info.getProperty("user"));
    user.description = "default user for shards that name none";
    DriverPropertyInfo password = new DriverPropertyInfo("password", null);
    password.description = "default password for shards that name none";
    return new DriverPropertyInfo[] {shard, user, password};
  }

  @Override
  public int getMajorVersion() {
    return MAJOR_VERSION;
  }

  @Override
  public int getMinorVersion() {
    return MINOR_VERSION;
  }

  @Override
  public boolean jdbcCompliant() {
    return false; // not every SQL statement can run across shards
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("CollegeDB logs through SLF4J");
  }
}
