package org.collegedb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.collegedb.fixtures.Rows;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connecting reads the shard map from the first three shards only; every other shard is checked before its first
 * statement, with the guards connect applies: an empty database in the place of a shard is refused (now on first
 * use, with the same message), two shards' URLs swapped are caught by their identities.
 */
class LazyShardChecksTest {
  private static final int SHARDS = 6;

  /** Each connection its own cluster (a setting no other test uses), as a new process would see it. */
  private static int run;

  private static Connection connect(Properties p) throws SQLException {
    Properties q = new Properties();
    q.putAll(p);
    q.setProperty("planCacheSize", Integer.toString(1000 + ++run));
    return DriverManager.getConnection("jdbc:collegedb:", q);
  }

  private static boolean hasIdentity(TestShards shards, int shard) throws SQLException {
    try (Connection d = shards.direct(shard); Statement s = d.createStatement();
         java.sql.ResultSet rs = s.executeQuery("SELECT name FROM " + shards.internalTable("collegedb_shard_identity"))) {
      return rs.next();
    } catch (SQLException e) {
      return false; // no table
    }
  }

  private static void fill(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(20))");
      for (int id = 1; id <= 60; id++) {
        s.executeUpdate("INSERT INTO users (id, name) VALUES (" + id + ", 'n')");
      }
    }
  }

  private static long count(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "H2", "POSTGRES"})
  void shardsBeyondTheHoldersJoinOnFirstUse(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "lazy_join", SHARDS);
    try (Connection c = connect(shards.properties())) {
      for (int i = 0; i < SHARDS; i++) {
        assertThat(hasIdentity(shards, i)).as("s%d after connect", i + 1).isEqualTo(i < 3);
      }
      fill(c); // DDL runs on every shard: each is checked and joins
      for (int i = 0; i < SHARDS; i++) {
        assertThat(hasIdentity(shards, i)).as("s%d after use", i + 1).isTrue();
      }
      assertThat(count(c)).isEqualTo(60);
    }
    try (Connection c = connect(shards.properties())) { // an existing cluster, read again
      assertThat(count(c)).isEqualTo(60);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void anEmptyDatabaseInThePlaceOfAShardIsRefusedOnFirstUse(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "lazy_empty", SHARDS);
    TestShards empty = TestShards.create(backend, "lazy_empty_new", 1);
    try (Connection c = connect(shards.properties())) {
      fill(c);
    }
    Properties typo = shards.properties();
    typo.setProperty("shards.s5.url", empty.url(0));
    try (Connection c = connect(typo)) { // connect reads s1..s3 only: it opens
      SQLException e = catchThrowableOfType(SQLException.class, () -> count(c));
      assertThat((Throwable) e).isNotNull();
      assertThat(e.getSQLState()).isEqualTo("HY024");
      assertThat(e.getMessage()).contains("shard 's5'", "no CollegeDB data", "Check the URL");
      // Again on the next statement: a refused shard is not taken as checked.
      e = catchThrowableOfType(SQLException.class, () -> count(c));
      assertThat(e.getMessage()).contains("shard 's5'", "no CollegeDB data");
    }
    try (Connection d = empty.direct(0)) { // nothing recorded there: the right URL still works
      assertThat(Rows.count(d, "SELECT COUNT(*) FROM " + empty.internalTable("collegedb_shard_map"))).isZero();
    }
    assertThat(hasIdentity(empty, 0)).isFalse();
    try (Connection c = connect(shards.properties())) {
      assertThat(count(c)).isEqualTo(60);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE"})
  void aClusterWhoseFirstConnectWroteEveryShardRefusesAnEmptyShardToo(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "lazy_legacy", SHARDS);
    TestShards empty = TestShards.create(backend, "lazy_legacy_new", 1);
    try (Connection c = connect(shards.properties())) {
      fill(c);
    }
    for (int i = 0; i < 3; i++) { // as before lazy checks: no record of who joined, every shard joined at once
      try (Connection d = shards.direct(i); Statement s = d.createStatement()) {
        s.execute("DROP TABLE " + shards.internalTable("collegedb_shard_joined"));
      }
    }
    Properties typo = shards.properties();
    typo.setProperty("shards.s6.url", empty.url(0));
    try (Connection c = connect(typo)) {
      SQLException e = catchThrowableOfType(SQLException.class, () -> count(c));
      assertThat(e.getSQLState()).isEqualTo("HY024");
      assertThat(e.getMessage()).contains("shard 's6'", "no CollegeDB data", "Check the URL");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "H2"})
  void swappedUrlsBeyondTheHoldersAreCaughtOnFirstUse(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "lazy_swap", SHARDS);
    try (Connection c = connect(shards.properties())) {
      fill(c);
    }
    Properties swapped = shards.properties();
    swapped.setProperty("shards.s4.url", shards.url(4));
    swapped.setProperty("shards.s5.url", shards.url(3));
    try (Connection c = connect(swapped)) {
      SQLException e = catchThrowableOfType(SQLException.class, () -> count(c));
      assertThat(e.getSQLState()).isEqualTo("HY024");
      assertThat(e.getMessage()).contains("collegedb_shard_identity", "wrong databases");
    }
  }
}
