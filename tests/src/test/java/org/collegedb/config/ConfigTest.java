package org.collegedb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.collegedb.fixtures.AllBackends;
import org.collegedb.fixtures.Rows;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration: YAML and properties files by path and from the class path, connection properties over them, and
 * bad settings failing {@code DriverManager.getConnection} with an {@link SQLException} that names the setting or
 * shard.
 */
class ConfigTest {
  @TempDir
  Path dir;

  private static TestShards shards(Backend backend) throws Exception {
    TestShards shards = ShardSets.of(backend, ConfigTest.class);
    Schema.reset(shards);
    return shards;
  }

  private static Properties with(Properties base, String... settings) {
    Properties p = new Properties();
    p.putAll(base);
    for (int i = 0; i + 1 < settings.length; i += 2) {
      p.setProperty(settings[i], settings[i + 1]);
    }
    return p;
  }

  /** getConnection must fail with SQLState HY024 and a message holding every one of {@code names}. */
  private static SQLException refused(String url, Properties p, String... names) {
    SQLException e = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(url, p).close());
    assertThat((Throwable) e).as("getConnection(%s) must fail", url).isNotNull();
    assertThat(e.getMessage()).contains(names);
    return e;
  }

  /** The connection has the four shards and the table settings of the files: orders by user, countries whole. */
  private static void assertConfigured(Connection c, TestShards shards) throws SQLException {
    CollegeConnection college = c.unwrap(CollegeConnection.class);
    assertThat(college.shardNames()).containsExactly("s1", "s2", "s3", "s4");
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO users (id, name) VALUES (5, 'five')");
      s.executeUpdate("INSERT INTO orders (id, user_id) VALUES (1, 5), (2, 5)");
      s.executeUpdate("INSERT INTO countries (code, name) VALUES ('de', 'Germany')");
    }
    assertThat(college.shardOf("orders", 5)).isEqualTo(college.shardOf("users", 5));
    for (int i = 0; i < shards.count(); i++) {
      boolean owner = shards.names().get(i).equals(college.shardOf("users", 5));
      try (Connection d = shards.direct(i)) {
        assertThat(Rows.count(d, "SELECT COUNT(*) FROM orders")).isEqualTo(owner ? 2 : 0);
        assertThat(Rows.count(d, "SELECT COUNT(*) FROM countries")).isEqualTo(1);
      }
    }
  }

  /** The settings of {@code shards} and the tables as YAML, nested as the properties' dots say. */
  private static String yaml(TestShards shards) {
    Map<String, Map<String, String>> byShard = new TreeMap<>();
    shards.properties().forEach((k, v) -> {
      String[] parts = k.toString().split("\\.", 3);
      byShard.computeIfAbsent(parts[1], x -> new TreeMap<>()).put(parts[2], v.toString());
    });
    StringBuilder y = new StringBuilder("shards:\n");
    byShard.forEach((shard, fields) -> {
      y.append("  ").append(shard).append(":\n");
      fields.forEach((f, v) -> y.append("    ").append(f).append(": \"").append(v).append("\"\n"));
    });
    return y.append("tables:\n  orders:\n    key: user_id\n  countries:\n    broadcast: true\n").toString();
  }

  @AllBackends
  void aYamlFileGivenByPath(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    Path file = dir.resolve("collegedb.yaml");
    Files.writeString(file, yaml(shards));
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + file, new Properties())) {
      assertConfigured(c, shards);
    }
    if (backend == Backend.SQLITE) { // ${configDir}: shard files named relative to the configuration file
      Path shardDir = Path.of(shards.url(0).substring("jdbc:sqlite:".length())).getParent();
      Path relative = shardDir.resolve("relative.yaml");
      Files.writeString(relative, yaml(shards).replace(shardDir.toString(), "${configDir}"));
      assertThat(Files.readString(relative)).contains("${configDir}/s1.db");
      Schema.reset(shards);
      try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + relative, new Properties())) {
        assertConfigured(c, shards);
      }
    }
    if (backend == Backend.POSTGRES) { // a top-level user serves every shard that names none
      String global = yaml(shards).replaceAll("(?m)^    user: .*\n", "") + "user: postgres\n";
      assertThat(global).doesNotContain("    user:");
      Path file2 = dir.resolve("global-user.yaml");
      Files.writeString(file2, global);
      Schema.reset(shards);
      try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + file2, new Properties())) {
        assertConfigured(c, shards);
      }
    }
  }

  @AllBackends
  void aPropertiesFileGivenByPathWithConnectionPropertiesOverIt(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    Path file = dir.resolve("collegedb.properties");
    Properties p = with(shards.properties(), "tables.orders.key", "user_id", "tables.countries.broadcast", "true",
        "shards.s2.url", "jdbc:sqlite:/collegedb-missing-dir/s2.db");
    try (var out = Files.newBufferedWriter(file)) {
      p.store(out, "written by ConfigTest");
    }
    refused("jdbc:collegedb:" + file, new Properties(), "'s2'", "collegedb-missing-dir");
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:file:" + file,
        with(new Properties(), "shards.s2.url", shards.url(1)))) {
      assertConfigured(c, shards);
    }
  }

  @AllBackends
  void classPathFilesWithConnectionPropertiesOverThem(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    for (String name : List.of("classpath:it-collegedb.yaml", "classpath:it-collegedb.properties")) {
      refused("jdbc:collegedb:" + name, new Properties(), "'s1'", "collegedb-missing-dir");
      Schema.reset(shards);
      try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + name, shards.properties())) {
        assertConfigured(c, shards);
      }
    }
  }

  @Test
  void onlyConnectionProperties() throws Exception {
    TestShards shards = shards(Backend.H2);
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", with(shards.properties(),
        "tables.orders.key", "user_id", "tables.countries.broadcast", "yes"))) {
      assertConfigured(c, shards);
    }
  }

  @Test
  void unknownOrIncompleteSettingsAreNamed() throws Exception {
    Properties p = shards(Backend.H2).properties();
    for (String key : List.of("shards.s1.urll", "planCacheSiz", "tables.users.keys", "bogus")) {
      SQLException e = refused("jdbc:collegedb:", with(p, key, "x"), "'" + key + "'");
      assertThat(e.getSQLState()).isEqualTo("HY024");
    }
    refused("jdbc:collegedb:", with(p, "shards.s9.user", "sa"), "'s9'", "shards.s9.url");
    refused("jdbc:collegedb:", with(p, "tables.countries.broadcast", "maybe"), "tables.countries.broadcast",
        "maybe");
    refused("jdbc:collegedb:", with(p, "tables.orders.key", "user_id", "tables.orders.broadcast", "true"),
        "tables.orders.key", "tables.orders.broadcast");
    refused("jdbc:collegedb:", with(p, "planCacheSize", "lots"), "planCacheSize", "lots");
    refused("jdbc:collegedb:", new Properties(), "shards.<name>.url");
    refused("jdbc:collegedb:" + dir.resolve("missing.yaml"), new Properties(), "missing.yaml");
    refused("jdbc:collegedb:classpath:no-such-collegedb.yaml", new Properties(), "no-such-collegedb.yaml");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "shards: [unclosed\n");
    refused("jdbc:collegedb:" + broken, new Properties(), "broken.yaml", "YAML");
  }

  @AllBackends
  void aShardKeyNamingAMissingColumnIsNamed(Backend backend) throws Exception {
    TestShards shards = shards(backend);
    Properties p = with(shards.properties(), "tables.users.key", "nope");
    for (int attempt = 0; attempt < 2; attempt++) {
      SQLException e = refused("jdbc:collegedb:", p, "tables.users.key", "nope");
      assertThat(e.getSQLState()).isEqualTo("HY024");
    }
    // A key for a table that does not exist yet is checked when the table is used.
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", with(shards.properties(),
        "tables.later.key", "nope"));
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE later (id INT PRIMARY KEY)");
      SQLException e = catchThrowableOfType(SQLException.class,
          () -> s.executeUpdate("INSERT INTO later (id) VALUES (1)"));
      assertThat((Throwable) e).isNotNull();
      assertThat(e.getMessage()).contains("tables.later.key", "nope");
      s.execute("DROP TABLE later");
    }
  }

  @Test
  void unreachableShardsAreNamed() throws Exception {
    TestShards h2 = shards(Backend.H2);
    SQLException e = refused("jdbc:collegedb:", with(h2.properties(), "shards.s3.url",
        "jdbc:sqlite:/collegedb-missing-dir/s3.db"), "'s3'", "collegedb-missing-dir");
    assertThat(e.getSQLState()).startsWith("08");
    refused("jdbc:collegedb:", with(h2.properties(), "shards.s2.url", "jdbc:nosuchdb:x"), "'s2'", "jdbc:nosuchdb:x");
  }

  /**
   * A shard beyond the map's holders (the first three) is connected on first use: connect succeeds, and the first
   * statement that needs it fails naming the shard and its database.
   */
  @Test
  void aPostgresDatabaseThatDoesNotExistIsNamed() throws Exception {
    TestShards pg = shards(Backend.POSTGRES);
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", with(pg.properties(), "shards.s4.url",
        "jdbc:postgresql://127.0.0.1:5432/collegedb_no_such_database"));
         java.sql.Statement s = c.createStatement()) {
      SQLException e = catchThrowableOfType(SQLException.class,
          () -> s.execute("CREATE TABLE probe_missing (id INT PRIMARY KEY)"));
      assertThat((Throwable) e).isNotNull();
      assertThat(e.getMessage()).contains("'s4'", "collegedb_no_such_database");
      assertThat(e.getSQLState()).startsWith("08");
    }
  }
}
