package org.collegedb.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.jdbc.CollegeDataSource;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CollegeDataSource inside HikariCP: what a pool calls on its connections, and java.time values. */
class PooledDataSourceTest {

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void worksInHikari(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "PooledDataSourceTest_hikari", 3);
    try (HikariDataSource pool = Configs.pool(Configs.configFile(shards))) {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        assertThat(c.isValid(2)).isTrue();
        assertThat(c.isWrapperFor(CollegeConnection.class)).isTrue();
        CollegeConnection cc = c.unwrap(CollegeConnection.class);
        assertThat(cc.shardNames()).containsExactly("s1", "s2", "s3");
        s.execute("CREATE TABLE events (id INT PRIMARY KEY, day DATE, at TIMESTAMP, note VARCHAR(20))");
        int isolation = c.getTransactionIsolation();
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        c.setTransactionIsolation(isolation);
        c.setSchema(c.getSchema());
        c.setCatalog(c.getCatalog());
        c.setReadOnly(true);
        assertThat(c.isReadOnly()).isTrue();
        assertThatThrownBy(() -> s.executeUpdate("INSERT INTO events (id) VALUES (0)"))
            .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
          assertThat(rs.next()).isTrue();
        }
        c.setReadOnly(false);
        c.setNetworkTimeout(Executors.newSingleThreadExecutor(), 5_000);
        assertThat(c.getNetworkTimeout()).isEqualTo(5_000);
      }
      // a connection the pool hands out again, after the pool reset what the caller changed
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (id, day, at, note) VALUES (?, ?, ?, ?)")) {
          for (int id = 1; id <= 20; id++) {
            ps.setInt(1, id);
            ps.setObject(2, LocalDate.of(2024, 1, id));
            ps.setObject(3, LocalDateTime.of(2024, 1, id, 10, 30, 15));
            ps.setString(4, "n" + id);
            ps.addBatch();
          }
          assertThat(ps.executeBatch()).hasSize(20).containsOnly(1);
        }
        c.commit();
        c.setAutoCommit(true);
      }
      try (Connection c = pool.getConnection()) {
        try (PreparedStatement ps = c.prepareStatement("SELECT day, at FROM events WHERE id = ?")) {
          ps.setInt(1, 7);
          try (ResultSet rs = ps.executeQuery()) { // one shard's result set
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 7));
            assertThat(rs.getObject("day", LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 7));
            assertThat(rs.getObject(2, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 1, 7, 10, 30, 15));
            assertThat(rs.getObject(2, OffsetDateTime.class).toLocalDateTime())
                .isEqualTo(LocalDateTime.of(2024, 1, 7, 10, 30, 15));
          }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, day, at FROM events ORDER BY day DESC LIMIT 3")) { // merged
          List<LocalDate> days = new ArrayList<>();
          while (rs.next()) {
            days.add(rs.getObject("day", LocalDate.class));
            assertThat(rs.getObject(3, LocalDateTime.class).toLocalTime()).isEqualTo(LocalTime.of(10, 30, 15));
            assertThat(rs.getObject("at", OffsetDateTime.class).toLocalTime()).isEqualTo(LocalTime.of(10, 30, 15));
          }
          assertThat(days).containsExactly(LocalDate.of(2024, 1, 20), LocalDate.of(2024, 1, 19),
              LocalDate.of(2024, 1, 18));
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(day), MIN(at) FROM events")) { // merged aggregates
          assertThat(rs.next()).isTrue();
          assertThat(rs.getObject(1, LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 20));
          assertThat(rs.getObject(2, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 1, 1, 10, 30, 15));
        }
      }
      // abort: the pool evicts the connection and hands out a good one
      Connection c = pool.getConnection();
      CollegeConnection physical = c.unwrap(CollegeConnection.class);
      c.abort(Executors.newSingleThreadExecutor());
      assertThat(physical.isClosed()).isTrue();
      assertThat(physical.isValid(1)).isFalse();
      // HikariCP clears the warnings of a connection handed back; on an aborted one that fails as "closed",
      // which makes the pool evict it
      assertThatThrownBy(c::close).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
      try (Connection d = pool.getConnection(); Statement s = d.createStatement();
           ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(20);
      }
    }
  }

  @Test
  void configuredByUrlOrByProperties() throws Exception {
    TestShards shards = TestShards.create(Backend.SQLITE, "PooledDataSourceTest_config", 2);
    Path config = Configs.configFile(shards);
    CollegeDataSource byUrl = new CollegeDataSource("jdbc:collegedb:" + config);
    CollegeDataSource byProperties = new CollegeDataSource();
    byProperties.setProperties(shards.properties());
    CollegeDataSource byLocation = new CollegeDataSource();
    byLocation.setConfigLocation(config.toString());
    for (DataSource ds : List.of(byUrl, byProperties, byLocation)) {
      try (Connection c = ds.getConnection()) {
        assertThat(c.unwrap(CollegeConnection.class).shardNames()).containsExactly("s1", "s2");
      }
    }
    assertThat(byUrl.isWrapperFor(CollegeDataSource.class)).isTrue();
    assertThatThrownBy(() -> new CollegeDataSource("jdbc:sqlite:x.db")).isInstanceOf(SQLException.class)
        .hasMessageContaining("not a CollegeDB URL");
    // HikariCP with a jdbcUrl: the driver found by DriverManager
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl("jdbc:collegedb:" + config);
    hc.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(hc); Connection c = pool.getConnection()) {
      assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("SQLite");
    }
  }
}
