package org.collegedb.ddl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.collegedb.fixtures.AllBackends;
import org.collegedb.fixtures.Rows;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/** Schema changes reach every shard; CollegeDB's own tables are hidden from the logical database's metadata. */
class DdlTest {

  private static TestShards shards(Backend backend) throws Exception {
    TestShards shards = ShardSets.of(backend, DdlTest.class);
    Schema.reset(shards);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS items");
    }
    return shards;
  }

  /** Table names (lower case) a metadata call lists. */
  private static Set<String> tables(DatabaseMetaData md, String pattern) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (ResultSet rs = md.getTables(null, null, pattern, new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  private static Set<String> indexes(DatabaseMetaData md, String table) throws SQLException {
    Set<String> names = new TreeSet<>();
    for (String t : List.of(table, table.toUpperCase(Locale.ROOT))) {
      try (ResultSet rs = md.getIndexInfo(null, null, t, false, false)) {
        while (rs.next()) {
          if (rs.getString("INDEX_NAME") != null) {
            names.add(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return names;
  }

  private static Set<String> columns(DatabaseMetaData md, String table) throws SQLException {
    Set<String> names = new TreeSet<>();
    for (String t : List.of(table, table.toUpperCase(Locale.ROOT))) {
      try (ResultSet rs = md.getColumns(null, null, t, null)) {
        while (rs.next()) {
          names.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  @AllBackends
  void ddlReachesEveryShard(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(40))");
      assertThat(college.lastExecution().shards()).containsExactlyElementsOf(shards.names());
      s.execute("CREATE INDEX items_by_name ON items (name)");
      s.executeUpdate("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')");
      s.execute("ALTER TABLE items ADD COLUMN price INT");
      for (int i = 0; i < shards.count(); i++) {
        try (Connection d = shards.direct(i)) {
          DatabaseMetaData md = d.getMetaData();
          assertThat(tables(md, "%")).as(shards.names().get(i)).contains("items");
          assertThat(indexes(md, "items")).as(shards.names().get(i)).contains("items_by_name");
          assertThat(columns(md, "items")).as(shards.names().get(i)).containsExactlyInAnyOrder("id", "name", "price");
        }
      }
      // CollegeDB sees the new column at once: an INSERT without a column list now takes three values.
      assertThat(s.executeUpdate("INSERT INTO items VALUES (10, 'x', 5), (11, 'y', 6), (12, 'z', 7)")).isEqualTo(3);
      for (long id : new long[] {10, 11, 12}) {
        try (Connection d = shards.direct(shards.names().indexOf(college.shardOf("items", id)))) {
          assertThat(Rows.count(d, "SELECT price FROM items WHERE id = " + id)).isEqualTo(id - 5);
        }
      }
      assertThat(Rows.count(c, "SELECT COUNT(*) FROM items WHERE id = 11")).isEqualTo(1);
      s.execute("DROP INDEX items_by_name");
      s.execute("DROP TABLE items");
      for (int i = 0; i < shards.count(); i++) {
        try (Connection d = shards.direct(i)) {
          assertThat(tables(d.getMetaData(), "%")).as(shards.names().get(i)).doesNotContain("items");
        }
      }
      SQLException e = catchThrowableOfType(SQLException.class,
          () -> s.executeUpdate("INSERT INTO items VALUES (1, 'a')"));
      assertThat((Throwable) e).isNotNull();
      assertThat(e.getSQLState()).isEqualTo("42P01");
      // IF [NOT] EXISTS forms pass through too.
      s.execute("CREATE TABLE IF NOT EXISTS items (id BIGINT PRIMARY KEY)");
      s.execute("CREATE TABLE IF NOT EXISTS items (id BIGINT PRIMARY KEY)");
      s.execute("DROP TABLE IF EXISTS items");
      s.execute("DROP TABLE IF EXISTS items");
      for (int i = 0; i < shards.count(); i++) {
        try (Connection d = shards.direct(i)) {
          assertThat(tables(d.getMetaData(), "%")).doesNotContain("items");
        }
      }
    }
  }

  @AllBackends
  void collegeDbTablesAreHiddenFromMetadata(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    try (Connection d = shards.direct(0)) {
      assertThat(tables(d.getMetaData(), "%")).contains("collegedb_shard_map");
    }
    try (Connection c = Schema.connect(shards)) {
      DatabaseMetaData md = c.getMetaData();
      assertThat(tables(md, "%")).contains("users", "orders", "countries")
          .noneMatch(t -> t.startsWith("collegedb_"));
      assertThat(tables(md, "collegedb%")).isEmpty();
      assertThat(tables(md, "COLLEGEDB%")).isEmpty();
      assertThat(columns(md, "collegedb_shard_map")).isEmpty();
      try (ResultSet rs = md.getColumns(null, null, "%", null)) {
        while (rs.next()) {
          assertThat(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT)).doesNotStartWith("collegedb_");
        }
      }
      try (Connection d = shards.direct(0)) {
        assertThat(md.getDatabaseProductName()).isEqualTo(d.getMetaData().getDatabaseProductName());
      }
    }
  }
}
