package org.collegedb.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.collegedb.jdbc.CollegeDataSource;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Flyway migrate and Liquibase update through CollegeDB, with no configuration for their own tables. */
class MigrationsTest {

  static CollegeDataSource dataSource(TestShards shards, String... settings) {
    CollegeDataSource ds = new CollegeDataSource();
    ds.setProperties(shards.properties());
    for (int i = 0; i + 1 < settings.length; i += 2) {
      ds.setProperty(settings[i], settings[i + 1]);
    }
    return ds;
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void flywayMigrates(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "MigrationsTest_flyway", 3);
    CollegeDataSource ds = dataSource(shards, "tables.orders.key", "customer_id", "tables.countries.broadcast",
        "true");
    // No baseline: CollegeDB keeps its own tables out of the application's schema, which Flyway finds empty.
    Flyway flyway = Flyway.configure().dataSource(ds).locations("classpath:clients/flyway").load();
    MigrateResult result = flyway.migrate();
    assertThat(result.success).isTrue();
    assertThat(result.migrationsExecuted).isEqualTo(4);
    assertThat(flyway.migrate().migrationsExecuted).isZero(); // the history is read back
    flyway.validate();
    assertThat(flyway.info().applied()).hasSize(4);

    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i)) {
        assertThat(count(d, "flyway_schema_history WHERE version IN ('1', '2', '3', '4') AND success = "
            + (backend == Backend.SQLITE ? "1" : "TRUE"))).isEqualTo(4); // a broadcast table: whole on every shard
        assertThat(count(d, "countries")).isEqualTo(3);
        assertThat(columns(d, "customers")).contains("email");
        assertThat(count(d, "customers")).isZero();
      }
    }
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (int id = 1; id <= 30; id++) {
        s.executeUpdate("INSERT INTO customers (id, name, country, email) VALUES (" + id + ", 'c" + id + "', '"
            + (id % 2 == 0 ? "DE" : "JP") + "', 'c" + id + "@example.org')");
      }
      try (ResultSet rs = s.executeQuery("SELECT co.name, COUNT(*) FROM customers cu JOIN countries co "
          + "ON co.code = cu.country GROUP BY co.name ORDER BY co.name")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("Germany");
        assertThat(rs.getInt(2)).isEqualTo(15);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("Japan");
        assertThat(rs.getInt(2)).isEqualTo(15);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void liquibaseUpdates(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "MigrationsTest_liquibase", 3);
    CollegeDataSource ds = dataSource(shards, "tables.currencies.broadcast", "true");
    try (Connection c = ds.getConnection()) {
      Liquibase liquibase = new Liquibase("clients/liquibase/changelog.yaml", new ClassLoaderResourceAccessor(),
          new JdbcConnection(c));
      liquibase.update(new Contexts());
      assertThat(liquibase.listUnrunChangeSets(new Contexts(), null)).isEmpty();
      liquibase.update(new Contexts()); // nothing left to run: the change log is read back
    }
    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i)) {
        assertThat(count(d, "DATABASECHANGELOG")).isEqualTo(3);
        assertThat(count(d, "DATABASECHANGELOGLOCK WHERE LOCKED = " + (backend == Backend.SQLITE ? "0" : "FALSE")))
            .isEqualTo(1); // released
        assertThat(count(d, "currencies")).isEqualTo(2);
        assertThat(columns(d, "products")).contains("sku");
      }
    }
  }

  static long count(Connection c, String tableAndWhere) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + tableAndWhere)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static List<String> columns(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getColumns(null, null, table, "%")) {
      while (rs.next()) {
        out.add(rs.getString("COLUMN_NAME").toLowerCase());
      }
    }
    return out;
  }
}
