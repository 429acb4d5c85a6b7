package org.collegedb.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The tables tools create for themselves are broadcast tables without configuration, with exact counts and locks. */
class ToolTablesTest {

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void toolTablesAreBroadcastWithExactCounts(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "ToolTablesTest_counts", 3);
    try (Connection a = shards.connect(); Connection b = shards.connect();
         Statement s = a.createStatement(); Statement t = b.createStatement()) {
      s.execute("CREATE TABLE DATABASECHANGELOGLOCK (ID INT NOT NULL, LOCKED BOOLEAN NOT NULL, "
          + "LOCKGRANTED TIMESTAMP, LOCKEDBY VARCHAR(255), CONSTRAINT PK_DBCLL PRIMARY KEY (ID))");
      assertThat(s.executeUpdate("INSERT INTO DATABASECHANGELOGLOCK (ID, LOCKED) VALUES (1, FALSE)")).isEqualTo(1);
      // Liquibase's lock: exactly one of two clients gets 1
      String lock = "UPDATE DATABASECHANGELOGLOCK SET LOCKED = TRUE, LOCKEDBY = 'x' WHERE ID = 1 AND LOCKED = FALSE";
      assertThat(s.executeUpdate(lock)).isEqualTo(1);
      assertThat(t.executeUpdate(lock)).isEqualTo(0);
      assertThat(a.unwrap(CollegeConnection.class).lastExecution().shards()).containsExactly("s1", "s2", "s3");
      assertThat(s.executeUpdate("UPDATE DATABASECHANGELOGLOCK SET LOCKED = FALSE WHERE ID = 1")).isEqualTo(1);
      s.execute("CREATE TABLE customer_SEQ (next_val BIGINT)"); // Hibernate's sequence table where there are none
      assertThat(s.executeUpdate("INSERT INTO customer_SEQ VALUES (1)")).isEqualTo(1);
      assertThat(s.executeUpdate("UPDATE customer_SEQ SET next_val = 51 WHERE next_val = 1")).isEqualTo(1);
      for (int i = 0; i < shards.count(); i++) {
        try (Connection d = shards.direct(i); Statement ds = d.createStatement();
             ResultSet rs = ds.executeQuery("SELECT next_val FROM customer_SEQ")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(51);
        }
      }
    }
  }

  @Test
  void configurationOverridesTheDefault() throws Exception {
    TestShards shards = TestShards.create(Backend.SQLITE, "ToolTablesTest_override", 2);
    try (Connection c = shards.connect("tables.flyway_schema_history.key", "installed_rank");
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50))");
      for (int i = 1; i <= 20; i++) {
        s.executeUpdate("INSERT INTO flyway_schema_history VALUES (" + i + ", '" + i + "')");
      }
      int onFirst;
      try (Connection d = shards.direct(0); Statement ds = d.createStatement();
           ResultSet rs = ds.executeQuery("SELECT COUNT(*) FROM flyway_schema_history")) {
        rs.next();
        onFirst = rs.getInt(1);
      }
      assertThat(onFirst).isBetween(1, 19); // spread by key, not copied
    }
  }

  /** A lock on a broadcast table is one lock: it is taken on every shard, in shard order. */
  @Test
  void selectForUpdateOfABroadcastTableLocksEveryShard() throws Exception {
    TestShards shards = TestShards.create(Backend.POSTGRES, "ToolTablesTest_lock", 3);
    try (Connection a = shards.connect(); Connection b = shards.connect(); Statement s = a.createStatement()) {
      s.execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50))");
      s.executeUpdate("INSERT INTO flyway_schema_history VALUES (1, '1')");
      a.setAutoCommit(false);
      try (ResultSet rs = s.executeQuery("SELECT * FROM flyway_schema_history FOR UPDATE")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.next()).isFalse(); // the rows of one shard
      }
      assertThat(a.unwrap(CollegeConnection.class).lastExecution().shards()).containsExactly("s1", "s2", "s3");
      for (int i = 0; i < shards.count(); i++) { // every shard's copy is locked
        try (Connection d = shards.direct(i); Statement ds = d.createStatement()) {
          assertThatThrownBy(() -> ds.executeQuery("SELECT * FROM flyway_schema_history FOR UPDATE NOWAIT"))
              .isInstanceOf(SQLException.class).hasMessageContaining("lock");
        }
      }
      b.setAutoCommit(false);
      CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
        try (Statement t = b.createStatement();
             ResultSet rs = t.executeQuery("SELECT * FROM flyway_schema_history FOR UPDATE")) {
          rs.next();
          return rs.getInt(1);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      assertThatThrownBy(() -> other.get(700, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      a.commit();
      assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      b.commit();
    }
  }
}
