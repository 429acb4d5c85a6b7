package org.collegedb.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LookupKeysTest {
  static final String USERS = "CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100), "
      + "username VARCHAR(100), name VARCHAR(100))";

  private TestShards shards;
  private String directory;

  private Connection open(String... extra) throws Exception {
    List<String> settings = new ArrayList<>(List.of("directory.url", directory, "tables.users.lookup",
        "email,username"));
    settings.addAll(List.of(extra));
    return shards.connect(settings.toArray(String[]::new));
  }

  private void setUp(TestShards.Backend backend) throws Exception {
    shards = TestShards.create(backend, "LookupKeysTest", 3);
    directory = "jdbc:sqlite:" + Files.createTempDirectory("cdb-lk").resolve("dir.db");
  }

  private long entries() throws SQLException {
    try (Connection d = DriverManager.getConnection(directory); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM collegedb_dir_lookup")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void insert(Connection c, long id, String email, String username) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, email, username, name) VALUES (?, ?, ?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, email);
      ps.setString(3, username);
      ps.setString(4, "n" + id);
      ps.executeUpdate();
    }
  }

  private static List<Long> idsWhere(Connection c, String where, Object... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE " + where + " ORDER BY id")) {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }

  private static List<String> lastShards(Connection c) throws SQLException {
    return c.unwrap(CollegeConnection.class).lastExecution().shards();
  }

  private String physicalShard(long id) throws SQLException {
    for (int s = 0; s < shards.count(); s++) {
      try (Connection d = shards.direct(s); Statement st = d.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM users WHERE id = " + id)) {
        rs.next();
        if (rs.getInt(1) > 0) {
          return shards.names().get(s);
        }
      }
    }
    return null;
  }

  @ParameterizedTest
  @EnumSource(value = TestShards.Backend.class, names = {"SQLITE", "H2", "POSTGRES"})
  void lookupKeysRouteToTheOwningShardAndStayUnique(TestShards.Backend backend) throws Exception {
    setUp(backend);
    try (Connection c = open()) {
      c.createStatement().execute(USERS);
      for (long id = 1; id <= 30; id++) {
        insert(c, id, "u" + id + "@example.com", "user" + id);
      }
      insert(c, 31, null, "nomail"); // NULL has no entry
      assertThat(entries()).isEqualTo(61);
      // WHERE email = ? goes to the one shard holding the row.
      for (long id = 1; id <= 30; id += 7) {
        assertThat(idsWhere(c, "email = ?", "u" + id + "@example.com")).containsExactly(id);
        assertThat(lastShards(c)).containsExactly(physicalShard(id));
        assertThat(idsWhere(c, "username = ?", "user" + id)).containsExactly(id);
        assertThat(lastShards(c)).containsExactly(physicalShard(id));
      }
      assertThat(idsWhere(c, "email IN (?, ?, ?)", "u2@example.com", "u9@example.com", "nobody@example.com"))
          .containsExactly(2L, 9L);
      assertThat(lastShards(c)).containsExactlyInAnyOrderElementsOf(
          new java.util.TreeSet<>(List.of(physicalShard(2), physicalShard(9))));
      // A value nobody has: one shard answers (empty), nothing is created.
      assertThat(idsWhere(c, "email = ?", "nobody@example.com")).isEmpty();
      assertThat(lastShards(c)).hasSize(1);
      assertThat(entries()).isEqualTo(61);

      // A duplicate email on a row that would live on another shard: 23505, nothing written.
      long other = 100;
      while (c.unwrap(CollegeConnection.class).shardOf("users", other).equals(physicalShard(5))) {
        other++;
      }
      long id = other;
      assertThatThrownBy(() -> insert(c, id, "u5@example.com", "fresh"))
          .isInstanceOf(SQLIntegrityConstraintViolationException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23505");
      assertThat(physicalShard(id)).isNull();
      assertThat(entries()).isEqualTo(61);
      assertThat(idsWhere(c, "username = ?", "fresh")).isEmpty();
      // Two rows of one statement with one email.
      assertThatThrownBy(() -> c.createStatement().executeUpdate("INSERT INTO users (id, email, username) VALUES "
          + "(200, 'twice@example.com', 'a200'), (201, 'twice@example.com', 'a201')"))
          .isInstanceOf(SQLIntegrityConstraintViolationException.class);
      assertThat(entries()).isEqualTo(61);

      // UPDATE of a lookup column: new value routes, old one is gone, duplicates refused.
      try (PreparedStatement ps = c.prepareStatement("UPDATE users SET email = ? WHERE id = ?")) {
        ps.setString(1, "changed@example.com");
        ps.setLong(2, 3);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      assertThat(idsWhere(c, "email = ?", "changed@example.com")).containsExactly(3L);
      assertThat(idsWhere(c, "email = ?", "u3@example.com")).isEmpty();
      assertThat(entries()).isEqualTo(61);
      assertThatThrownBy(() -> c.createStatement().executeUpdate(
          "UPDATE users SET email = 'u4@example.com' WHERE id = 6"))
          .isInstanceOf(SQLIntegrityConstraintViolationException.class);
      assertThat(idsWhere(c, "email = ?", "u6@example.com")).containsExactly(6L);
      // UPDATE through a lookup key, and of a non-lookup column: no entry changes.
      assertThat(c.createStatement().executeUpdate("UPDATE users SET name = 'x' WHERE email = 'u7@example.com'"))
          .isEqualTo(1);
      assertThat(lastShards(c)).containsExactly(physicalShard(7));
      assertThat(entries()).isEqualTo(61);

      // DELETE: entries go after the row; the value can be used again.
      assertThat(c.createStatement().executeUpdate("DELETE FROM users WHERE email = 'u8@example.com'")).isEqualTo(1);
      assertThat(entries()).isEqualTo(59);
      insert(c, other, "u8@example.com", "user8b");
      assertThat(idsWhere(c, "email = ?", "u8@example.com")).containsExactly(other);
      assertThat(entries()).isEqualTo(61);
    }
  }

  @org.junit.jupiter.api.Test
  void aLookupColumnTheTableDoesNotHaveIsAConfigurationError() throws Exception {
    setUp(TestShards.Backend.H2);
    try (Connection c = open()) {
      c.createStatement().execute("CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100))");
      assertThatThrownBy(() -> insert(c, 1, "a@x", "a")).isInstanceOf(SQLException.class)
          .hasMessageContaining("'tables.users.lookup' names column 'username'")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("HY024");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestShards.Backend.class, names = {"SQLITE", "H2", "POSTGRES"})
  void transactionsKeepEveryRowsEntryAndRollBackTheirOwn(TestShards.Backend backend) throws Exception {
    setUp(backend);
    try (Connection c = open()) {
      c.createStatement().execute(USERS);
      insert(c, 1, "a@example.com", "a");
      c.setAutoCommit(false);
      insert(c, 2, "b@example.com", "b");
      c.rollback();
      assertThat(entries()).isEqualTo(2);
      insert(c, 3, "b@example.com", "b"); // a retry after a rollback is not blocked
      c.commit();
      // Delete and insert the same value in one transaction; stale entries go at commit.
      c.createStatement().executeUpdate("DELETE FROM users WHERE id = 1");
      assertThat(entries()).isEqualTo(4); // not yet: the delete is not committed
      insert(c, 4, "a@example.com", "a");
      c.commit();
      assertThat(entries()).isEqualTo(4);
      assertThat(idsWhere(c, "email = ?", "a@example.com")).containsExactly(4L);
      c.createStatement().executeUpdate("DELETE FROM users WHERE id = 4");
      c.rollback(); // the row is back: its entries must be too
      assertThat(idsWhere(c, "email = ?", "a@example.com")).containsExactly(4L);
      assertThat(idsWhere(c, "username = ?", "a")).containsExactly(4L);
      c.setAutoCommit(true);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestShards.Backend.class, names = {"SQLITE", "H2"})
  void aStaleCacheEntryCostsARetryNotAWrongAnswer(TestShards.Backend backend) throws Exception {
    setUp(backend);
    try (Connection a = open(); Connection b = open("fanoutThreads", "1")) { // two runtimes, one directory
      a.createStatement().execute(USERS);
      insert(a, 1, "moving@example.com", "m");
      assertThat(idsWhere(a, "email = ?", "moving@example.com")).containsExactly(1L); // cached in a
      long id = 2;
      while (b.unwrap(CollegeConnection.class).shardOf("users", id).equals(physicalShard(1))) {
        id++;
      }
      b.createStatement().executeUpdate("DELETE FROM users WHERE id = 1");
      insert(b, id, "moving@example.com", "m2");
      assertThat(idsWhere(a, "email = ?", "moving@example.com")).containsExactly(id);
      assertThat(lastShards(a)).containsExactly(physicalShard(id));
    }
  }

  @ParameterizedTest
  @EnumSource(value = DirectoryUrls.Kind.class, names = {"SQLITE", "H2"})
  void withHashingOnTheDirectorysFilesHoldNoLookupValue(DirectoryUrls.Kind kind) throws Exception {
    for (boolean hash : new boolean[] {true, false}) {
      // shards of their own for each directory: a second directory for the same shards is refused
      shards = TestShards.create(TestShards.Backend.H2, "LookupKeysTest", 2);
      java.util.Properties p = shards.properties();
      p.putAll(DirectoryUrls.fresh(kind, "LookupKeysTest"));
      p.setProperty("tables.users.lookup", "email,username");
      p.setProperty("directory.hashKeys", Boolean.toString(hash));
      if (hash) {
        p.setProperty("directory.secret", "scan-secret");
      }
      String url = p.getProperty("directory.url");
      try (Connection c = DriverManager.getConnection("jdbc:collegedb:", p)) {
        c.createStatement().execute(USERS);
        for (int i = 0; i < 20; i++) {
          insert(c, i, "clear.text." + i + "@example.org", "visible_user_" + i);
        }
        if (kind == DirectoryUrls.Kind.H2) {
          try (Connection d = DriverManager.getConnection(url); Statement st = d.createStatement()) {
            st.execute("CHECKPOINT SYNC"); // write everything to the file now
          }
        }
      }
      java.nio.file.Path folder = java.nio.file.Path.of(url.replaceFirst("^jdbc:(sqlite|h2:file):", "")).getParent();
      StringBuilder bytes = new StringBuilder();
      try (var files = Files.list(folder)) {
        for (java.nio.file.Path f : files.toList()) {
          bytes.append(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
      }
      for (int i = 0; i < 20; i++) {
        assertThat(bytes.indexOf("clear.text." + i + "@example.org") >= 0).as("email %s in clear, hashing %s", i, hash)
            .isEqualTo(!hash);
        assertThat(bytes.indexOf("visible_user_" + i) >= 0).isEqualTo(!hash);
      }
    }
  }
}
