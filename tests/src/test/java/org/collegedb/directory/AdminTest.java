package org.collegedb.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.admin.Distribution;
import org.collegedb.admin.LookupRecord;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AdminTest {
  private TestShards shards;

  private Connection open(String directory, String... extra) throws Exception {
    List<String> s = new ArrayList<>(List.of("directory.url", directory, "tables.users.lookup", "email",
        "tables.orders.key", "user_id"));
    s.addAll(List.of(extra));
    return shards.connect(s.toArray(String[]::new));
  }

  private long rowsOn(int shard, String table, String column, long key) throws SQLException {
    try (Connection d = shards.direct(shard); Statement st = d.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = " + key)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String physical(long id) throws SQLException {
    for (int s = 0; s < shards.count(); s++) {
      if (rowsOn(s, "users", "id", id) > 0) {
        return shards.names().get(s);
      }
    }
    return null;
  }

  private static String email(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT email FROM users WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestShards.Backend.class, names = {"SQLITE", "POSTGRES"})
  void locatesMovesAndCountsKeys(TestShards.Backend backend) throws Exception {
    shards = TestShards.create(backend, "AdminTest", 3);
    String directory = "jdbc:sqlite:" + Files.createTempDirectory("cdb-admin").resolve("dir.db");
    try (Connection c = open(directory, "directory.placements", "on")) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100), name VARCHAR(50))");
        s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT, item VARCHAR(50))");
        for (int id = 1; id <= 12; id++) {
          s.executeUpdate("INSERT INTO users (id, email, name) VALUES (" + id + ", 'u" + id + "@x.org', 'n')");
          s.executeUpdate("INSERT INTO orders (id, user_id, item) VALUES (" + (100 + id) + ", " + id + ", 'a'), ("
              + (200 + id) + ", " + id + ", 'b')");
        }
      }
      CollegeAdmin admin = CollegeAdmin.of(c);
      for (long id = 1; id <= 12; id++) {
        assertThat(admin.shardOf("users", id)).isEqualTo(physical(id));
        assertThat(admin.shardOf("orders", id)).isEqualTo(physical(id));
      }
      // A record from any one of its keys.
      LookupRecord byEmail = admin.lookupKeys("users", "email", "u7@x.org").orElseThrow();
      assertThat(byEmail.shard()).isEqualTo(physical(7));
      assertThat(byEmail.key().values()).singleElement().satisfies(v -> assertThat(((Number) v).longValue())
          .isEqualTo(7));
      assertThat(byEmail.lookups().values()).containsExactly("u7@x.org");
      assertThat(admin.lookupKeys("users", "id", 7).orElseThrow().lookups().values()).containsExactly("u7@x.org");
      assertThat(admin.lookupKeys("users", "email", "none@x.org")).isEmpty();

      // Move key 5 with its users and orders rows.
      String source = physical(5);
      String target = shards.names().stream().filter(n -> !n.equals(source)).findFirst().orElseThrow();
      int from = shards.names().indexOf(source);
      int to = shards.names().indexOf(target);
      assertThat(email(c, 5)).isEqualTo("u5@x.org"); // cached on the source
      assertThat(admin.movePlacement("users", new Object[] {5L}, target)).isEqualTo(3);
      assertThat(rowsOn(from, "users", "id", 5) + rowsOn(from, "orders", "user_id", 5)).isZero();
      assertThat(rowsOn(to, "users", "id", 5)).isEqualTo(1);
      assertThat(rowsOn(to, "orders", "user_id", 5)).isEqualTo(2);
      assertThat(admin.shardOf("orders", 5)).isEqualTo(target);
      assertThat(email(c, 5)).isEqualTo("u5@x.org");
      assertThat(c.unwrap(CollegeConnection.class).lastExecution().shards()).containsExactly(target);
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE email = ?")) {
        ps.setString(1, "u5@x.org");
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
        }
      }
      assertThat(c.unwrap(CollegeConnection.class).lastExecution().shards()).containsExactly(target);
      try (Connection other = open(directory, "directory.placements", "on", "fanoutThreads", "1")) {
        assertThat(email(other, 5)).isEqualTo("u5@x.org"); // another instance follows the placement
      }
      // Resuming after a crash between re-pointing and deleting: leftovers on the source go, nothing doubles.
      try (Connection d = shards.direct(from); Statement st = d.createStatement()) {
        st.executeUpdate("INSERT INTO users (id, email, name) VALUES (5, 'u5@x.org', 'n')");
        st.executeUpdate("INSERT INTO orders (id, user_id, item) VALUES (105, 5, 'a')");
      }
      assertThat(admin.movePlacement("users", new Object[] {5L}, target)).isZero();
      assertThat(rowsOn(from, "users", "id", 5) + rowsOn(from, "orders", "user_id", 5)).isZero();
      assertThat(rowsOn(to, "orders", "user_id", 5)).isEqualTo(2);

      Distribution users = admin.distribution("users");
      assertThat(users.total()).isEqualTo(12);
      long[] counts = new long[3];
      for (int s = 0; s < 3; s++) {
        try (Connection d = shards.direct(s); Statement st = d.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM users")) {
          rs.next();
          counts[s] = rs.getLong(1);
        }
        assertThat(users.rows()).containsEntry(shards.names().get(s), counts[s]);
      }
      long min = Math.min(counts[0], Math.min(counts[1], counts[2]));
      long max = Math.max(counts[0], Math.max(counts[1], counts[2]));
      assertThat(users.min()).isEqualTo(min);
      assertThat(users.max()).isEqualTo(max);
      assertThat(users.mean()).isEqualTo(4.0);
      double var = ((counts[0] - 4.0) * (counts[0] - 4.0) + (counts[1] - 4.0) * (counts[1] - 4.0)
          + (counts[2] - 4.0) * (counts[2] - 4.0)) / 3;
      assertThat(users.stddev()).isCloseTo(Math.sqrt(var), within(1e-9));
      assertThat(users.skew()).isEqualTo(min == 0 ? Double.POSITIVE_INFINITY : (double) max / min);
      assertThat(admin.distribution().total()).isEqualTo(36); // users and orders, each row once

      // Placements can be deleted and cleared: the key is then looked for on its hash owner.
      String hashOwner;
      try (Connection plain = open(directory, "fanoutThreads", "3")) { // no placements: the hash owner
        hashOwner = plain.unwrap(CollegeConnection.class).shardOf("users", 5);
      }
      assertThat(c.unwrap(CollegeConnection.class).shardOf("users", 5)).isEqualTo(target);
      assertThat(admin.deletePlacement("users", 5L)).isTrue();
      assertThat(admin.deletePlacement("users", 5L)).isFalse();
      assertThat(admin.shardOf("users", 5)).isEqualTo(hashOwner);
      if (!hashOwner.equals(target)) {
        assertThat(email(c, 5)).isNull(); // the rows are not where the key is looked for any more
      }
      // Placing it again where its rows are: nothing to copy from the hash owner, the rows stay.
      assertThat(admin.movePlacement("users", new Object[] {5L}, target)).isZero();
      assertThat(email(c, 5)).isEqualTo("u5@x.org");
      assertThat(rowsOn(to, "orders", "user_id", 5)).isEqualTo(2);
      assertThat(admin.clearPlacements()).isEqualTo(1);
      Map<String, Long> none = admin.distribution("orders").rows();
      assertThat(none.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(24);
    }
    try (Connection c = open(directory, "fanoutThreads", "2")) { // hash, no placements: moving is refused
      assertThatThrownBy(() -> CollegeAdmin.of(c).movePlacement("users", new Object[] {1L}, "s1"))
          .isInstanceOf(SQLException.class).hasMessageContaining("directory.placements=on");
    }
  }
}
