package org.collegedb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.collegedb.testing.FaultProxy;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy itself, in front of the local PostgreSQL server. */
class FaultProxyTest {
  private static final String DB = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private FaultProxy proxy;

  @BeforeEach
  void start() throws Exception {
    TestShards.requireServer("PostgreSQL", FaultProxyTest::reachable);
    proxy = new FaultProxy("127.0.0.1", 5432);
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private static boolean reachable() {
    try (Connection c = DriverManager.getConnection(DB, "postgres", "")) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("connectTimeout", "2");
    return DriverManager.getConnection(proxy.jdbcUrl(DB), p);
  }

  private static int one(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void listensOnLoopbackAndForwards() throws Exception {
    assertThat(proxy.jdbcUrl(DB)).isEqualTo("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres");
    try (Connection c = connect()) {
      assertThat(one(c)).isEqualTo(1);
      assertThat(proxy.open()).isEqualTo(1);
    }
  }

  @Test
  void cutAllBreaksCurrentConnectionsAndNewOnesWork() throws Exception {
    try (Connection c = connect()) {
      assertThat(one(c)).isEqualTo(1);
      proxy.cutAll();
      assertThatThrownBy(() -> one(c)).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
      assertThat(c.isValid(1)).isFalse();
    }
    try (Connection again = connect()) {
      assertThat(one(again)).isEqualTo(1);
    }
  }

  @Test
  void refuseFailsNewConnectionsOnly() throws Exception {
    try (Connection c = connect()) {
      proxy.refuse();
      assertThatThrownBy(this::connect).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
      assertThat(one(c)).isEqualTo(1);
      proxy.forward();
      try (Connection again = connect()) {
        assertThat(one(again)).isEqualTo(1);
      }
    }
  }

  @Test
  void blackHoleLeavesTheClientWaitingUntilItsOwnTimeout() throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("socketTimeout", "1"); // a query timeout cannot help: its cancel request is swallowed too
    try (Connection c = DriverManager.getConnection(proxy.jdbcUrl(DB), p); Statement s = c.createStatement()) {
      assertThat(one(c)).isEqualTo(1);
      proxy.blackHole();
      long start = System.nanoTime();
      assertThatThrownBy(() -> s.executeQuery("SELECT 1")).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
      assertThat(System.nanoTime() - start).as("waited for the socket timeout").isGreaterThanOrEqualTo(900_000_000L);
    }
  }

  @Test
  void cutsBeforeTheServerSeesTheMatchingStatement() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE t (x int)");
      proxy.cutWhenClientSends("INSERT INTO t", FaultProxy.Cut.BEFORE_SERVER, true);
      assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (1)")).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
      assertThat(proxy.triggered()).isEqualTo(1);
    }
  }

  @Test
  void cutsAfterTheServerActedOnTheMatchingStatement() throws Exception {
    String table = TestShards.DB_PREFIX + "_proxy_after";
    try (Connection direct = DriverManager.getConnection(DB, "postgres", "");
         Statement d = direct.createStatement()) {
      d.execute("DROP TABLE IF EXISTS " + table);
      d.execute("CREATE TABLE " + table + " (x int)");
      try (Connection c = connect(); Statement s = c.createStatement()) {
        proxy.cutWhenClientSends("INSERT INTO " + table, FaultProxy.Cut.BEFORE_ANSWER, true);
        assertThatThrownBy(() -> s.execute("INSERT INTO " + table + " VALUES (7)"))
            .isInstanceOf(SQLException.class);
      }
      try (ResultSet rs = d.executeQuery("SELECT count(*) FROM " + table + " WHERE x = 7")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the server ran the insert; only its answer was lost").isEqualTo(1);
      }
      d.execute("DROP TABLE " + table);
    }
  }
}
