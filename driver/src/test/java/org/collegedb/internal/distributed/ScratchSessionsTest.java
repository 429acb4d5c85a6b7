package org.collegedb.internal.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scratch sessions on PostgreSQL and MariaDB are reset and kept for the next query across shards
 * ({@link ScratchSessions}): the next query gets the same server session, with none of the last one's temporary
 * tables, settings or variables; a session the server ended is replaced; at most {@link ScratchSessions#MAX_IDLE}
 * are kept; unused ones are closed.
 */
class ScratchSessionsTest {
  enum Server { POSTGRES, MARIADB }

  private static final List<Connection> HELD = new ArrayList<>();

  @BeforeEach
  void nothingKept() throws Exception {
    ScratchSessions.closeAll();
  }

  @AfterAll
  static void close() throws Exception {
    ScratchSessions.closeAll();
    for (Connection c : HELD) {
      c.close();
    }
  }

  /** An environment whose scratch database is a session on the test server. */
  private static Environment environment(Server server) throws SQLException {
    Connection c = server == Server.POSTGRES ? TestDatabases.postgresSchema("scratch_sessions_" + System.nanoTime())
        : TestDatabases.mariadb("scratch_sessions_" + System.nanoTime());
    HELD.add(c);
    String url = c.getMetaData().getURL();
    ShardSpec spec = new ShardSpec("s1", url, server == Server.POSTGRES ? "postgres" : "root", "", new Properties(),
        null, 0);
    Dialect dialect = server == Server.POSTGRES ? Dialect.POSTGRES : Dialect.MYSQL;
    return new Environment() {
      @Override
      public TableRule rule(String table) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Fragment run(String sql, int[] callerParams) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Dialect dialect() {
        return dialect;
      }

      @Override
      public ShardSpec scratchShard() {
        return spec;
      }

      @Override
      public Connection catalog() {
        return c;
      }

      @Override
      public long maxRows() {
        return 1000;
      }
    };
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String sessionId(Server server, Connection c) throws SQLException {
    return one(c, server == Server.POSTGRES ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()");
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void theNextQueryGetsTheSameSessionAsANewOne(Server server) throws Exception {
    Environment env = environment(server);
    String first;
    try (Scratch scratch = Scratch.open(env); Statement s = scratch.connection.createStatement()) {
      first = sessionId(server, scratch.connection);
      s.execute("CREATE TEMPORARY TABLE cdb_partial (x INT)");
      s.execute("INSERT INTO cdb_partial VALUES (1)");
      s.execute(server == Server.POSTGRES ? "SET work_mem = '7MB'" : "SET @cdb_left = 5");
      scratch.commit();
    }
    assertThat(ScratchSessions.kept()).isEqualTo(1);
    try (Scratch scratch = Scratch.open(env); Statement s = scratch.connection.createStatement()) {
      assertThat(sessionId(server, scratch.connection)).isEqualTo(first); // no new session was opened
      assertThat(ScratchSessions.kept()).isZero();
      // none of the last query's state: its temporary table can be created again, settings and variables are reset
      s.execute("CREATE TEMPORARY TABLE cdb_partial (y VARCHAR(5))");
      if (server == Server.POSTGRES) {
        assertThat(one(scratch.connection, "SHOW work_mem")).isNotEqualTo("7MB");
      } else {
        assertThat(one(scratch.connection, "SELECT @cdb_left")).isNull();
      }
      assertThat(scratch.connection.getAutoCommit()).isFalse(); // loads in a transaction, as a new one does
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void aSessionTheServerEndedIsReplaced(Server server) throws Exception {
    Environment env = environment(server);
    String first;
    try (Scratch scratch = Scratch.open(env)) {
      first = sessionId(server, scratch.connection);
    }
    assertThat(ScratchSessions.kept()).isEqualTo(1);
    try (Statement s = env.catalog().createStatement()) {
      s.execute(server == Server.POSTGRES ? "SELECT pg_terminate_backend(" + first + ")" : "KILL " + first);
    }
    try (Scratch scratch = Scratch.open(env)) {
      assertThat(sessionId(server, scratch.connection)).isNotEqualTo(first);
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void keepsAtMostMaxIdleAndClosesTheUnused(Server server) throws Exception {
    Environment env = environment(server);
    List<Scratch> open = new ArrayList<>();
    for (int i = 0; i < ScratchSessions.MAX_IDLE + 2; i++) {
      open.add(Scratch.open(env));
    }
    List<Connection> connections = new ArrayList<>();
    for (Scratch scratch : open) {
      connections.add(scratch.connection);
      scratch.close();
    }
    assertThat(ScratchSessions.kept()).isEqualTo(ScratchSessions.MAX_IDLE); // (waits for the resets)
    assertThat(connections.stream().filter(c -> closed(c)).count()).isEqualTo(2);
    ScratchSessions.closeUnused(60_000); // none unused that long
    assertThat(ScratchSessions.kept()).isEqualTo(ScratchSessions.MAX_IDLE);
    ScratchSessions.closeUnused(0);
    assertThat(ScratchSessions.kept()).isZero();
    assertThat(connections).allMatch(ScratchSessionsTest::closed);
  }

  private static boolean closed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
