package org.collegedb.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Metrics in a Micrometer registry, counted against statements whose shards are known: a fan-out over 4 shards
 * counts one statement on each, a point read one on its shard, an error on one shard one error for that shard.
 * Shard names are this test's own, so other runtimes in the JVM do not add to them.
 */
class MetricsTest {
  private static Properties settings(TestShards shards, String prefix) {
    Properties p = new Properties();
    for (int i = 0; i < shards.count(); i++) {
      String name = prefix + (i + 1);
      p.setProperty("shards." + name + ".url", shards.url(i));
      if (shards.backend() == Backend.POSTGRES) {
        p.setProperty("shards." + name + ".user", "postgres");
      }
    }
    p.setProperty("tables.users.lookup", "email");
    return p;
  }

  private static Map<String, Long> statements(SimpleMeterRegistry registry, List<String> names) {
    Map<String, Long> out = new HashMap<>();
    for (String n : names) {
      Timer t = registry.find("collegedb.shard.statements").tag("shard", n).timer();
      out.put(n, t == null ? 0 : t.count());
    }
    return out;
  }

  private static Map<String, Long> errors(SimpleMeterRegistry registry, List<String> names) {
    Map<String, Long> out = new HashMap<>();
    for (String n : names) {
      Counter c = registry.find("collegedb.shard.errors").tag("shard", n).counter();
      out.put(n, c == null ? 0 : (long) c.count());
    }
    return out;
  }

  private static Map<String, Long> delta(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> d = new HashMap<>();
    after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
    return d;
  }

  private static double cacheGets(SimpleMeterRegistry registry, String cache, String result) {
    FunctionCounter c = registry.find("collegedb.cache.gets").tags("cache", cache, "result", result)
        .functionCounter();
    return c == null ? 0 : c.count();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void perShardCountsErrorsFanOutCachesAndConnections(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "metrics_counts", 4);
    String prefix = backend == Backend.SQLITE ? "mlite" : "mpg";
    List<String> names = List.of(prefix + "1", prefix + "2", prefix + "3", prefix + "4");
    Properties p = settings(shards, prefix);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (CollegeMetrics bound = CollegeMetrics.bind(registry);
         Connection c = DriverManager.getConnection("jdbc:collegedb:", p)) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100), name VARCHAR(20))");
        for (int id = 1; id <= 40; id++) {
          s.executeUpdate("INSERT INTO users (id, email, name) VALUES (" + id + ", 'u" + id + "@x.org', 'n')");
        }
      }
      // A SELECT that cannot run shard by shard is counted as a statement of the distributed path.
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users a JOIN users b ON a.email = b.email")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(40);
      }
      assertThat(registry.get("collegedb.statements").tag("kind", "cross_shard").counter().count()).isEqualTo(1);
      // Fan-out of 4: one statement on each shard, a fan-out width of 4, one read.
      Map<String, Long> before = statements(registry, names);
      double reads = registry.find("collegedb.statements").tag("kind", "read").counter() == null ? 0
          : registry.find("collegedb.statements").tag("kind", "read").counter().count();
      long widths = registry.get("collegedb.fanout.width").summary().count();
      double widthTotal = registry.get("collegedb.fanout.width").summary().totalAmount();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(40);
      }
      assertThat(delta(statements(registry, names), before)).containsOnlyKeys(names).allSatisfy((k, v) ->
          assertThat(v).as(k).isEqualTo(1));
      assertThat(registry.get("collegedb.statements").tag("kind", "read").counter().count()).isEqualTo(reads + 1);
      assertThat(registry.get("collegedb.fanout.width").summary().count()).isEqualTo(widths + 1);
      assertThat(registry.get("collegedb.fanout.width").summary().totalAmount()).isEqualTo(widthTotal + 4);

      // A point read: one statement, on the key's shard only.
      String owner = c.unwrap(CollegeConnection.class).shardOf("users", 7L);
      before = statements(registry, names);
      try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
        for (int i = 0; i < 3; i++) {
          ps.setLong(1, 7);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
          }
        }
      }
      Map<String, Long> point = delta(statements(registry, names), before);
      for (String n : names) {
        assertThat(point.get(n)).as(n).isEqualTo(n.equals(owner) ? 3L : 0L);
      }
      assertThat(registry.get("collegedb.shard.statements").tag("shard", owner).timer()
          .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();

      // An error on one shard is that shard's error.
      String broken = names.get(2);
      try (Connection direct = shards.direct(2); Statement s = direct.createStatement()) {
        s.execute("CREATE TABLE extra (id BIGINT PRIMARY KEY)");
      }
      try (Statement s = c.createStatement()) {
        for (int i = 0; i < shards.count(); i++) {
          if (i != 2) {
            try (Connection direct = shards.direct(i); Statement d = direct.createStatement()) {
              d.execute("CREATE TABLE extra (id BIGINT PRIMARY KEY)");
            }
          }
        }
        try (Connection direct = shards.direct(2); Statement d = direct.createStatement()) {
          d.execute("DROP TABLE extra");
        }
        Map<String, Long> errorsBefore = errors(registry, names);
        SQLException e = catchThrowableOfType(SQLException.class, () -> s.executeQuery("SELECT id FROM extra"));
        assertThat(e.getMessage()).contains("shard '" + broken + "'");
        assertThat(delta(errors(registry, names), errorsBefore)).containsOnlyKeys(names).allSatisfy((k, v) ->
            assertThat(v).as(k).isEqualTo(k.equals(broken) ? 1 : 0));
      }

      // The plan cache: the same shape again is a hit. The directory cache: a second read of one email is a hit.
      double planHits = cacheGets(registry, "plan", "hit");
      double dirHits = cacheGets(registry, "directory", "hit");
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE email = ?")) {
        for (int i = 0; i < 2; i++) {
          ps.setString(1, "u9@x.org");
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(9);
          }
        }
      }
      try (Statement s = c.createStatement()) { // one shape, two literals: analysed once
        s.executeQuery("SELECT id FROM users WHERE email = 'u8@x.org'").close();
        s.executeQuery("SELECT id FROM users WHERE email = 'u7@x.org'").close();
      }
      assertThat(cacheGets(registry, "plan", "hit")).isGreaterThan(planHits);
      assertThat(cacheGets(registry, "directory", "hit")).isGreaterThan(dirHits);
      assertThat(registry.get("collegedb.cache.hit.ratio").tag("cache", "plan").gauge().value()).isBetween(0.0, 1.0);

      // Connections: a logical connection opens a shard's physical connection when a statement first needs it.
      Gauge open = registry.get("collegedb.shard.connections").tag("shard", names.get(0)).gauge();
      double now = open.value();
      List<Connection> more = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        more.add(DriverManager.getConnection("jdbc:collegedb:", p));
      }
      assertThat(open.value()).as("connected lazily: nothing open yet").isEqualTo(now);
      for (Connection m : more) {
        try (Statement s = m.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
          rs.next(); // every shard, the first among them
        }
      }
      assertThat(open.value()).isEqualTo(now + 2);
      for (Connection m : more) {
        m.close();
      }
      assertThat(open.value()).isEqualTo(now);
    }
    // Unbound: nothing more is counted.
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", p); Statement s = c.createStatement()) {
      Map<String, Long> before = statements(registry, names);
      s.executeQuery("SELECT COUNT(*) FROM users").close();
      assertThat(statements(registry, names)).isEqualTo(before);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE"})
  void theSameMetersReachJmxThroughMicrometersJmxRegistry(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "metrics_jmx", 2);
    Properties p = settings(shards, "jmx");
    JmxMeterRegistry jmx = new JmxMeterRegistry(JmxConfig.DEFAULT, io.micrometer.core.instrument.Clock.SYSTEM);
    try (CollegeMetrics bound = CollegeMetrics.bind(jmx);
         Connection c = DriverManager.getConnection("jdbc:collegedb:", p); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100), name VARCHAR(20))");
      s.executeQuery("SELECT COUNT(*) FROM users").close();
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      List<String> found = new ArrayList<>();
      for (ObjectName n : server.queryNames(new ObjectName("metrics:name=collegedbShardStatements.shard.jmx1,*"),
          null)) {
        found.add(n.toString());
        assertThat(((Number) server.getAttribute(n, "Count")).longValue()).isGreaterThanOrEqualTo(2);
      }
      assertThat(found).isNotEmpty();
    } finally {
      jmx.close();
    }
  }
}
