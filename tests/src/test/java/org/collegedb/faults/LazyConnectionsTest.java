package org.collegedb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.testing.CountingDriver;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.api.Test;

/**
 * Shard connections open when a statement needs them, and are capped per shard. Physical connections are counted at
 * the JDBC driver ({@link CountingDriver}), not through CollegeDB's own report.
 */
class LazyConnectionsTest {

  private static int connects(TestShards shards) {
    int n = 0;
    for (int i = 0; i < shards.count(); i++) {
      n += CountingDriver.connectsTo(shards.url(i));
    }
    return n;
  }

  @Test
  void aThousandShardsOpenOnlyTheShardsAStatementNeeds() throws Exception {
    TestShards shards = TestShards.create(TestShards.Backend.H2, "LazyThousand", 1000).counting();
    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i); Statement s = d.createStatement()) {
        s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(20))");
      }
    }
    try (Connection first = shards.connect("tables.users.key", "id")) {
      // the first connection of a configuration reads the shard map from every shard (once per JVM)
      first.createStatement().executeUpdate("INSERT INTO users VALUES (42, 'ada')");
    }
    // Once the map check is due, a statement opens the cluster's own connection to the first shard (kept for the
    // checks that follow, at most once a second): opened here, before the counting starts.
    Thread.sleep(org.collegedb.internal.run.Cluster.MAP_CHECK_MILLIS + 100);
    try (Connection warm = shards.connect("tables.users.key", "id");
         Statement s = warm.createStatement()) {
      s.executeQuery("SELECT name FROM users WHERE id = 42").close();
    }
    int baselineOpen = CountingDriver.openConnections();
    int before = connects(shards);
    List<Connection> pool = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pool.add(shards.connect("tables.users.key", "id"));
    }
    assertThat(connects(shards) - before).as("physical connections opened by 50 logical connects").isZero();
    try (Statement s = pool.get(0).createStatement(); ResultSet rs = s.executeQuery(
        "SELECT name FROM users WHERE id = 42")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ada");
    }
    assertThat(connects(shards) - before).as("a point read opens the key's shard only").isEqualTo(1);
    assertThat(CountingDriver.openConnections() - baselineOpen).isEqualTo(1);
    for (Connection c : pool) {
      assertThat(c.isValid(1)).isTrue();
      c.setReadOnly(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      c.close();
    }
    assertThat(connects(shards) - before).as("isValid and settings open nothing").isEqualTo(1);
    assertThat(CountingDriver.openConnections()).as("closing releases every physical connection")
        .isEqualTo(baselineOpen);
  }

  @Test
  void settingsMadeBeforeAShardConnectsApplyWhenItDoes() throws Exception {
    TestShards shards = TestShards.create(TestShards.Backend.H2, "LazySettings", 2);
    for (int i = 0; i < 2; i++) {
      try (Connection d = shards.direct(i); Statement s = d.createStatement()) {
        s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)");
        s.execute("CREATE SCHEMA other");
        s.execute("CREATE TABLE other.t (id BIGINT PRIMARY KEY)");
        s.execute("INSERT INTO other.t VALUES (" + (i + 100) + ")");
      }
    }
    try (Connection c = shards.connect()) {
      c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      c.setSchema("OTHER");
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the schema set before connecting applied on both shards").isEqualTo(2);
      }
      assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
    }
  }

  @Test
  void theCapOnAShardMakesTheNextConnectionWaitThenFailNamingTheShard() throws Exception {
    TestShards shards = TestShards.create(TestShards.Backend.H2, "LazyCap", 2);
    for (int i = 0; i < 2; i++) {
      try (Connection d = shards.direct(i); Statement s = d.createStatement()) {
        s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)");
      }
    }
    String[] settings = {"maxConnectionsPerShard", "1", "connectionWaitTimeout", "300"};
    try (Connection a = shards.connect(settings); Connection b = shards.connect(settings)) {
      a.setAutoCommit(false);
      a.createStatement().executeQuery("SELECT COUNT(*) FROM t").close(); // a holds both shards now
      assertThatThrownBy(() -> b.createStatement().executeQuery("SELECT COUNT(*) FROM t"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("shard 's")
          .hasMessageContaining("maxConnections")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53300"));
      a.close(); // gives its two connections back
      try (ResultSet rs = b.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }

  @Test
  void aBadCapIsRefusedAtConnect() throws Exception {
    TestShards shards = TestShards.create(TestShards.Backend.H2, "LazyBadCap", 2);
    assertThatThrownBy(() -> shards.connect("shards.s1.maxConnections", "-1"))
        .isInstanceOf(SQLException.class).hasMessageContaining("shards.s1.maxConnections")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("HY024"));
    assertThatThrownBy(() -> shards.connect("transactions", "sometimes"))
        .isInstanceOf(SQLException.class).hasMessageContaining("transactions")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("HY024"));
  }
}
