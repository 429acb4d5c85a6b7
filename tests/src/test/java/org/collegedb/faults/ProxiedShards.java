package org.collegedb.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ConfigLoader;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.FaultProxy;
import org.collegedb.testing.TestShards;

/** Server shards, each behind its own {@link FaultProxy}; CollegeDB connects through the proxies. */
final class ProxiedShards implements AutoCloseable {
  final TestShards shards;
  final List<FaultProxy> proxies = new ArrayList<>();
  private final Properties properties;

  ProxiedShards(TestShards.Backend backend, String name, int count, String... settings) throws Exception {
    shards = TestShards.create(backend, name, count, false); // no reference database: nothing compares with one
    int port = backend == TestShards.Backend.POSTGRES ? 5432 : 3306;
    properties = shards.properties();
    for (int i = 0; i < count; i++) {
      FaultProxy p = new FaultProxy("127.0.0.1", port);
      proxies.add(p);
      String key = "shards.s" + (i + 1);
      properties.setProperty(key + ".url", p.jdbcUrl(shards.url(i)));
      if (backend == TestShards.Backend.POSTGRES) {
        properties.setProperty(key + ".properties.connectTimeout", "3");
        // a black-holed shard never answers the driver's cancel request: wait 2 s for it, not PgJDBC's 10
        properties.setProperty(key + ".properties.cancelSignalTimeout", "2");
      } else {
        properties.setProperty(key + ".properties.connectTimeout", "3000");
      }
    }
    for (int i = 0; i + 1 < settings.length; i += 2) {
      properties.setProperty(settings[i], settings[i + 1]);
    }
  }

  FaultProxy proxy(int shard) {
    return proxies.get(shard);
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:collegedb:", properties);
  }

  /** A connection with extra settings, e.g. {@code "partialResults", "true"}. */
  Connection connect(String... settings) throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    for (int i = 0; i + 1 < settings.length; i += 2) {
      p.setProperty(settings[i], settings[i + 1]);
    }
    return DriverManager.getConnection("jdbc:collegedb:", p);
  }

  CollegeConfig config() throws SQLException {
    Map<String, String> settings = ConfigLoader.load("jdbc:collegedb:", properties);
    return CollegeConfig.of(settings);
  }

  /** Keys of {@code table} that live on shard {@code shard} (0-based), {@code n} of them from {@code from} up. */
  static List<Long> keysOn(Connection c, String table, int shard, int n, long from) throws SQLException {
    CollegeConnection cc = c.unwrap(CollegeConnection.class);
    String name = "s" + (shard + 1);
    List<Long> keys = new ArrayList<>();
    for (long k = from; keys.size() < n; k++) {
      if (cc.shardOf(table, k).equals(name)) {
        keys.add(k);
      }
    }
    return keys;
  }

  /** A number read directly from shard {@code shard}, bypassing CollegeDB and the proxy. */
  long directLong(int shard, String sql) throws SQLException {
    try (Connection d = shards.direct(shard); Statement s = d.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** CollegeDB's transaction branches of this configuration still prepared for shard {@code shard}, read directly. */
  long prepared(int shard) throws SQLException {
    if (shards.backend() == TestShards.Backend.POSTGRES) {
      return directLong(shard, "SELECT COUNT(*) FROM pg_prepared_xacts WHERE database = current_database() "
          + "AND gid LIKE 'collegedb:%:s" + (shard + 1) + "'");
    }
    // MariaDB lists XA transactions server-wide: count those of this configuration (its coordinator's token)
    String token = String.format("%08x", properties.getProperty("shards.s1.url").hashCode());
    long n = 0;
    try (Connection d = shards.direct(shard); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("XA RECOVER")) {
      while (rs.next()) {
        String data = rs.getString("data");
        int gtrid = rs.getInt("gtrid_length");
        if (data.startsWith("collegedb:") && data.substring(0, gtrid).contains(":" + token + ":")
            && data.substring(gtrid).equals("s" + (shard + 1))) {
          n++;
        }
      }
    }
    return n;
  }

  /** Every proxy forwards again and drops its triggers. */
  void heal() {
    for (FaultProxy p : proxies) {
      p.clearTrigger();
      p.forward();
    }
  }

  @Override
  public void close() {
    for (FaultProxy p : proxies) {
      p.close();
    }
  }
}
