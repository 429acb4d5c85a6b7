package org.collegedb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.collegedb.fixtures.Rows;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guards at connect against configurations that would make two copies of a key or hide rows: a shard named twice in
 * YAML, a second directory for the same shards, and a configured shard that points at a new, empty database.
 */
class IntegrityGuardsTest {
  @TempDir
  Path dir;

  private static String yaml(TestShards shards, String extra) {
    StringBuilder b = new StringBuilder();
    if (shards.backend() == Backend.POSTGRES) {
      b.append("user: postgres\n");
    }
    b.append("shards:\n");
    for (int i = 0; i < shards.count(); i++) {
      b.append("  s").append(i + 1).append(":\n    url: ").append(shards.url(i)).append('\n');
    }
    return b.append(extra).toString();
  }

  private static Path write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private static SQLException connectFails(String url) {
    SQLException e = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(url).close());
    assertThat((Throwable) e).as("connecting to %s", url).isNotNull();
    return e;
  }

  @Test
  void aShardNamedTwiceInYamlIsAnError() throws Exception {
    TestShards shards = TestShards.create(Backend.SQLITE, "guards_twice", 2);
    Path config = write(dir.resolve("twice.yaml"), "shards:\n  s1:\n    url: " + shards.url(0) + "\n  s2:\n    url: "
        + shards.url(1) + "\n  s1:\n    url: " + dir.resolve("elsewhere.db") + "\n");
    SQLException e = connectFails("jdbc:collegedb:" + config);
    assertThat(e.getSQLState()).isEqualTo("HY024");
    assertThat(e.getMessage()).contains("twice", "s1", "line 6");
    assertThat(dir.resolve("elsewhere.db")).doesNotExist();

    Path mixed = write(dir.resolve("mixed.yaml"), "shards.s1.url: " + dir.resolve("elsewhere.db") + "\nshards:\n"
        + "  s1:\n    url: " + shards.url(0) + "\n  s2:\n    url: " + shards.url(1) + "\n");
    e = connectFails("jdbc:collegedb:" + mixed);
    assertThat(e.getSQLState()).isEqualTo("HY024");
    assertThat(e.getMessage()).contains("'shards.s1.url' twice");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void aSecondDirectoryForTheSameShardsFailsAtConnect(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "guards_directory", 3);
    String settings = "tables:\n  users:\n    lookup: email\n";
    Path first = write(dir.resolve("a/app.yaml"), yaml(shards, settings));
    Path copy = write(dir.resolve("b/app.yaml"), yaml(shards, settings)); // the same file in another folder
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + first); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100))");
      s.executeUpdate("INSERT INTO users (id, email) VALUES (1, 'ann@example.org')");
    }
    SQLException e = connectFails("jdbc:collegedb:" + copy);
    assertThat(e.getSQLState()).isEqualTo("HY024");
    assertThat(e.getMessage()).contains("directory.url", "s1", dir.resolve("a/app.directory.db").toString(),
        dir.resolve("b/app.directory.db").toString());
    // Nothing was written through the second directory: the value stays unique, found through the first.
    Path fixed = write(dir.resolve("b/fixed.yaml"), yaml(shards, settings + "directory:\n  url: jdbc:sqlite:"
        + dir.resolve("a/app.directory.db") + "\n"));
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + fixed);
         PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, email) VALUES (?, ?)")) {
      ps.setLong(1, 2);
      ps.setString(2, "ann@example.org");
      SQLException duplicate = catchThrowableOfType(SQLException.class, ps::executeUpdate);
      assertThat(duplicate.getSQLState()).isEqualTo("23505");
    }
  }

  @Test
  void aSecondDirectoryIsCaughtAlsoWhenOnlyGeneratedKeysUseIt() throws Exception {
    TestShards shards = TestShards.create(Backend.SQLITE, "guards_keys", 2);
    Path first = write(dir.resolve("a/app.yaml"), yaml(shards, ""));
    Path copy = write(dir.resolve("b/app.yaml"), yaml(shards, ""));
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + copy); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)"); // hash placement: no directory yet
    }
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + first); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO items (name) VALUES ('x')"); // the key comes from a/app.directory.db
    }
    // The runtime of b/app.yaml in this JVM checks when it first needs its directory, before using it ...
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + copy); Statement s = c.createStatement()) {
      SQLException e = catchThrowableOfType(SQLException.class,
          () -> s.executeUpdate("INSERT INTO items (name) VALUES ('y')"));
      assertThat(e.getMessage()).contains("directory.url", dir.resolve("a/app.directory.db").toString());
    }
    // ... and a new runtime (another JVM, other settings) at connect.
    java.util.Properties other = new java.util.Properties();
    other.setProperty("planCacheSize", "99");
    SQLException e = catchThrowableOfType(SQLException.class,
        () -> DriverManager.getConnection("jdbc:collegedb:" + copy, other).close());
    assertThat(e.getSQLState()).isEqualTo("HY024");
    assertThat(e.getMessage()).contains("directory.url", dir.resolve("a/app.directory.db").toString());
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + first)) {
      assertThat(Rows.count(c, "SELECT COUNT(*) FROM items")).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void aShardPointingAtANewEmptyDatabaseIsRefused(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "guards_empty", 3);
    TestShards empty = TestShards.create(backend, "guards_empty_new", 1);
    Path config = write(dir.resolve("app.yaml"), yaml(shards, ""));
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + config); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(20))");
      for (int id = 1; id <= 30; id++) {
        s.executeUpdate("INSERT INTO users (id, name) VALUES (" + id + ", 'n')");
      }
    }
    Path typo = write(dir.resolve("typo.yaml"), yaml(shards, "").replace(shards.url(1), empty.url(0)));
    SQLException e = connectFails("jdbc:collegedb:" + typo);
    assertThat(e.getSQLState()).isEqualTo("HY024");
    assertThat(e.getMessage()).contains("shard 's2'", "no CollegeDB data", "Check the URL");
    try (Connection c = empty.direct(0)) { // nothing recorded there: the right URL still works
      assertThat(Rows.count(c, "SELECT COUNT(*) FROM " + empty.internalTable("collegedb_shard_map"))).isZero();
    }
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + config); Statement s = c.createStatement()) {
      assertThat(Rows.count(c, "SELECT COUNT(*) FROM users")).isEqualTo(30);
    }
  }
}
