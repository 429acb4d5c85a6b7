package org.collegedb.ddl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.collegedb.fixtures.EveryBackend;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * A schema change that fails on one shard leaves every shard's schema as it was: all-or-nothing where the product has
 * transactional DDL (PostgreSQL, SQLite), undone on the shards that changed where it does not (MariaDB, H2), the error
 * naming the failing shard and every shard that changed. A DROP cannot be undone: the error names the shards it left
 * changed, and the failure is recorded on one of them. Each shard's schema is read directly afterwards.
 */
class DdlAcrossShardsTest {

  private static boolean immediate(Backend b) {
    return b == Backend.MARIADB || b == Backend.H2;
  }

  @EveryBackend
  void aSchemaChangeThatFailsOnOneShardChangesNoShard(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "it_DdlAcross", 3);
    try (Connection c = shards.connect(); Statement s = c.createStatement()) {
      // CREATE TABLE: the table exists already on s2 only (with another column)
      direct(shards, 1, "CREATE TABLE dup (other INT)");
      SQLException e = catchThrowableOfType(SQLException.class,
          () -> s.execute("CREATE TABLE dup (id BIGINT PRIMARY KEY, name VARCHAR(20))"));
      assertThat((Throwable) e).isNotNull();
      assertThat(e.getMessage()).contains("shard 's2'");
      if (immediate(backend)) {
        assertThat(e.getMessage()).contains("undone on [s1] with 'DROP TABLE dup'").doesNotContain("NOT undone");
      }
      assertThat(hasTable(shards, 0, "dup")).isFalse();
      assertThat(hasColumn(shards, 1, "dup", "other")).as("s2's own table is left alone").isTrue();
      assertThat(hasTable(shards, 2, "dup")).isFalse();

      // ALTER TABLE ... ADD COLUMN: the column exists already on s3 only
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(20))");
      direct(shards, 2, "ALTER TABLE items ADD COLUMN price INT");
      e = catchThrowableOfType(SQLException.class, () -> s.execute("ALTER TABLE items ADD COLUMN price INT"));
      assertThat((Throwable) e).isNotNull();
      assertThat(e.getMessage()).contains("shard 's3'");
      if (immediate(backend)) {
        assertThat(e.getMessage()).contains("undone on [s1, s2]");
      }
      assertThat(hasColumn(shards, 0, "items", "price")).isFalse();
      assertThat(hasColumn(shards, 1, "items", "price")).isFalse();
      assertThat(hasColumn(shards, 2, "items", "price")).isTrue();
      direct(shards, 2, "ALTER TABLE items DROP COLUMN price");

      // CREATE INDEX: the name is taken on s2 only
      direct(shards, 1, "CREATE INDEX by_name ON items (name)");
      e = catchThrowableOfType(SQLException.class, () -> s.execute("CREATE INDEX by_name ON items (name)"));
      assertThat((Throwable) e).isNotNull();
      assertThat(e.getMessage()).contains("shard 's2'");
      if (immediate(backend)) {
        assertThat(e.getMessage()).contains("undone on [s1]");
      }
      assertThat(indexes(shards, 0, "items")).doesNotContain("by_name");
      assertThat(indexes(shards, 1, "items")).contains("by_name");
      assertThat(indexes(shards, 2, "items")).doesNotContain("by_name");

      // a change that works is made on every shard
      s.execute("ALTER TABLE items ADD COLUMN price INT");
      for (int i = 0; i < 3; i++) {
        assertThat(hasColumn(shards, i, "items", "price")).isTrue();
      }

      // DROP TABLE: gone from s2 already. Transactional DDL keeps it everywhere; elsewhere s1 is dropped for good
      direct(shards, 1, "DROP TABLE items");
      e = catchThrowableOfType(SQLException.class, () -> s.execute("DROP TABLE items"));
      assertThat((Throwable) e).isNotNull();
      assertThat(e.getMessage()).contains("shard 's2'");
      if (immediate(backend)) {
        assertThat(e.getMessage()).contains("NOT undone on [s1] (it cannot be undone)")
            .contains("recorded in collegedb_ddl_incomplete on shard 's1'");
        assertThat(hasTable(shards, 0, "items")).isFalse();
        try (Connection d = shards.direct(0); Statement ds = d.createStatement();
             ResultSet rs = ds.executeQuery("SELECT statement_text, failed_shard, changed_shards "
                 + "FROM collegedb_ddl_incomplete")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("DROP TABLE items");
          assertThat(rs.getString(2)).isEqualTo("s2");
          assertThat(rs.getString(3)).isEqualTo("[s1]");
        }
      } else {
        assertThat(hasTable(shards, 0, "items")).isTrue();
      }
      assertThat(hasTable(shards, 2, "items")).as("s3 is never reached or is rolled back").isTrue();
    }
  }

  private static void direct(TestShards shards, int shard, String sql) throws SQLException {
    try (Connection d = shards.direct(shard); Statement s = d.createStatement()) {
      s.execute(sql);
    }
  }

  private static boolean hasTable(TestShards shards, int shard, String table) throws SQLException {
    return works(shards, shard, "SELECT COUNT(*) FROM " + table);
  }

  private static boolean hasColumn(TestShards shards, int shard, String table, String column) throws SQLException {
    return works(shards, shard, "SELECT " + column + " FROM " + table + " WHERE 1 = 0");
  }

  private static boolean works(TestShards shards, int shard, String sql) throws SQLException {
    try (Connection d = shards.direct(shard); Statement s = d.createStatement()) {
      try (ResultSet rs = s.executeQuery(sql)) {
        return true;
      } catch (SQLException e) {
        return false;
      }
    }
  }

  private static Set<String> indexes(TestShards shards, int shard, String table) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (Connection d = shards.direct(shard)) {
      for (String t : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
        try (ResultSet rs = d.getMetaData().getIndexInfo(d.getCatalog(), null, t, false, false)) {
          while (rs.next()) {
            if (rs.getString("INDEX_NAME") != null) {
              names.add(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
            }
          }
        }
      }
    }
    return names;
  }
}
