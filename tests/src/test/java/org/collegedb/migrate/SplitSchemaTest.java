package org.collegedb.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.fixtures.Indexes;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * split copies a table's secondary indexes (unique and not, composite) and its column defaults to every shard; a
 * default it cannot translate safely is named in a warning line. Each shard's metadata read directly.
 */
class SplitSchemaTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void indexesAndDefaultsReachEveryShard(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "split_schema", 3);
    String user = MigrationFixture.user(backend);
    String sourceUrl;
    try (Connection c = shards.reference()) {
      sourceUrl = c.getMetaData().getURL();
    }
    Database source = new Database("source", sourceUrl, user, user == null ? null : "");
    Properties config = new Properties();
    config.putAll(shards.properties());
    config.setProperty("directory.url", "jdbc:sqlite:" + dir.resolve("directory.db"));
    config.setProperty("tables.orders.key", "user_id");
    String timestamp = "TIMESTAMP";
    try (Connection c = shards.reference(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(60) NOT NULL, "
          + "name VARCHAR(40) DEFAULT 'anon', score INTEGER DEFAULT 7, ratio DECIMAL(6, 2) DEFAULT 1.5, "
          + "active BOOLEAN DEFAULT TRUE, created " + timestamp + " DEFAULT CURRENT_TIMESTAMP, "
          + "joined DATE DEFAULT CURRENT_DATE)");
      s.execute("CREATE INDEX users_name ON users (name)");
      s.execute("CREATE UNIQUE INDEX users_email ON users (email)");
      s.execute("CREATE INDEX users_score_name ON users (score, name)");
      s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, status VARCHAR(10) "
          + "DEFAULT 'new')");
      s.execute("CREATE INDEX orders_user ON orders (user_id)");
      s.execute("INSERT INTO users (id, email) VALUES (1, 'one@example.org')");
      s.execute("INSERT INTO orders (id, user_id) VALUES (10, 1)");
    }

    MigrationReport r = Split.run(source, "jdbc:collegedb:", config, MigrationOptions.defaults());
    assertThat(r.problems()).isEmpty();
    assertThat(r.state()).isEqualTo("ready");
    assertThat(String.join("\n", r.lines())).contains("warning: table users, column joined: default")
        .doesNotContain("column name:").doesNotContain("column created:").doesNotContain("column active:");

    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i)) {
        Map<String, Boolean> users = Indexes.of(d, "users");
        assertThat(users).as("indexes of users on s%d", i + 1)
            .containsEntry("users_name", false).containsEntry("users_email", true)
            .containsEntry("users_score_name", false);
        assertThat(Indexes.of(d, "orders")).as("indexes of orders on s%d", i + 1).containsEntry("orders_user", false);
        try (Statement s = d.createStatement()) {
          long id = 1000 + i;
          // an INSERT that omits the defaulted columns, on the shard itself
          s.execute("INSERT INTO users (id, email) VALUES (" + id + ", 'd" + i + "@example.org')");
          try (ResultSet rs = s.executeQuery("SELECT name, score, ratio, active, created FROM users WHERE id = "
              + id)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("name default on s%d", i + 1).isEqualTo("anon");
            assertThat(rs.getInt(2)).isEqualTo(7);
            assertThat(rs.getBigDecimal(3).doubleValue()).isEqualTo(1.5);
            assertThat(rs.getBoolean(4)).isTrue();
            assertThat(rs.getObject(5)).as("created default on s%d", i + 1).isNotNull();
          }
          // the unique index holds on the shard
          String again = "INSERT INTO users (id, email) VALUES (" + (id + 100) + ", 'd" + i + "@example.org')";
          assertThatThrownBy(() -> s.execute(again)).isInstanceOf(SQLException.class);
          s.execute("DELETE FROM users WHERE id = " + id);
        }
      }
    }
    assertThat(Split.run(source, "jdbc:collegedb:", config, MigrationOptions.defaults().finish(true)).problems())
        .isEmpty();
    // through CollegeDB, after the switch: the default of a routed INSERT
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:collegedb:", config);
         Statement s = c.createStatement()) {
      s.execute("INSERT INTO orders (id, user_id) VALUES (20, 2)");
      String shard = CollegeAdmin.of(c).shardOf("orders", 2L);
      try (Connection d = shards.direct(shards.names().indexOf(shard)); Statement ds = d.createStatement();
           ResultSet rs = ds.executeQuery("SELECT status FROM orders WHERE id = 20")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("new");
      }
    }
  }
}
