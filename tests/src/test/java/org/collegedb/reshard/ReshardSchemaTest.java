package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.fixtures.Indexes;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A shard joining by reshard gets the tables' secondary indexes and column defaults; read on it directly. */
class ReshardSchemaTest {
  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aJoiningShardGetsTheIndexesAndDefaults(Backend backend) throws Exception {
    ReshardFixture f = new ReshardFixture(backend, "reshard_schema", 3);
    try (Connection two = ReshardFixture.connect(f.config(ReshardFixture.names(1, 2)))) {
      String amount = backend == Backend.SQLITE ? "INTEGER" : "BIGINT";
      ReshardFixture.exec(two,
          "CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(50) DEFAULT 'anon', "
              + "email VARCHAR(60), score INTEGER DEFAULT 7)",
          "CREATE INDEX users_name ON users (name)",
          "CREATE UNIQUE INDEX users_email ON users (email)",
          "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL, amount " + amount
              + " DEFAULT 0)",
          "CREATE INDEX orders_user ON orders (user_id)",
          "CREATE TABLE countries (code VARCHAR(2) NOT NULL PRIMARY KEY, name VARCHAR(50))");
      for (int id = 1; id <= 40; id++) {
        ReshardFixture.exec(two, "INSERT INTO users (id, email) VALUES (" + id + ", 'u" + id + "@example.org')",
            "INSERT INTO orders (id, user_id) VALUES (" + id * 10 + ", " + id + ")");
      }
    }
    try (Connection three = ReshardFixture.connect(f.config(ReshardFixture.names(1, 3)))) {
      Reshard.Result r = CollegeAdmin.of(three).reshard(Reshard.Options.defaults().graceMillis(0), null);
      assertThat(r.state()).isEqualTo("done");
      assertThat(r.text()).doesNotContain("warning");
      ReshardFixture.assertVerified(three);
    }
    try (Connection d = f.shards.direct(2)) {
      if (backend == Backend.SQLITE) { // the fence's function, as another tool would register it (README)
        org.sqlite.Function.create(d, "collegedb_map_version", new org.sqlite.Function() {
          @Override
          protected void xFunc() throws SQLException {
            result();
          }
        });
      }
      assertThat(Indexes.of(d, "users")).containsEntry("users_name", false).containsEntry("users_email", true);
      assertThat(Indexes.of(d, "orders")).containsEntry("orders_user", false);
      try (Statement s = d.createStatement()) {
        s.execute("INSERT INTO users (id, email) VALUES (9001, 'x@example.org')");
        try (ResultSet rs = s.executeQuery("SELECT name, score FROM users WHERE id = 9001")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("anon");
          assertThat(rs.getInt(2)).isEqualTo(7);
        }
        assertThatThrownBy(() -> s.execute("INSERT INTO users (id, email) VALUES (9002, 'x@example.org')"))
            .isInstanceOf(SQLException.class);
        s.execute("INSERT INTO orders (id, user_id) VALUES (90010, 9001)");
        try (ResultSet rs = s.executeQuery("SELECT amount FROM orders WHERE id = 90010")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isZero();
        }
      }
    }
  }
}
