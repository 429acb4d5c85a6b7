package org.collegedb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar as a GUI tool loads it: in a class loader of its own, with nothing else (SQLite shards) or with the
 * shards' driver beside it (H2), the driver found by ServiceLoader and connected to with {@code Driver.connect}; and as
 * {@code java -jar ... shell}.
 */
class ShadedJarIT {
  static Path jar() {
    Path jar = Path.of(System.getProperty("collegedb.jar"));
    assertThat(jar).exists();
    return jar;
  }

  /** Connects through the CollegeDB driver found in {@code loader}, as DBeaver does, and runs a workload. */
  static void workload(ClassLoader loader, Properties shards) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Driver driver = null;
      for (Driver d : ServiceLoader.load(Driver.class, loader)) {
        if (d.getClass().getName().equals("org.collegedb.jdbc.CollegeDriver")) {
          driver = d;
        }
      }
      assertThat(driver).as("CollegeDriver registered in META-INF/services/java.sql.Driver").isNotNull();
      assertThat(driver.getClass().getClassLoader()).isSameAs(loader);
      assertThat(driver.acceptsURL("jdbc:collegedb:collegedb.yaml")).isTrue();
      Properties p = new Properties();
      p.putAll(shards);
      p.setProperty("tables.orders.key", "customer_id");
      p.setProperty("tables.countries.broadcast", "true");
      try (Connection c = driver.connect("jdbc:collegedb:", p); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40), country VARCHAR(2))");
        s.execute("CREATE TABLE orders (id INT, customer_id INT, total INT, PRIMARY KEY (customer_id, id))");
        s.execute("CREATE TABLE countries (code VARCHAR(2) PRIMARY KEY, name VARCHAR(40))");
        s.execute("CREATE INDEX customers_name ON customers (name)");
        assertThat(s.executeUpdate("INSERT INTO countries VALUES ('DE', 'Germany'), ('JP', 'Japan')")).isEqualTo(2);
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
          rows.append(i > 1 ? ", " : "").append("(").append(i).append(", 'c").append(i).append("', '")
              .append(i % 2 == 0 ? "DE" : "JP").append("')");
        }
        assertThat(s.executeUpdate("INSERT INTO customers VALUES " + rows)).isEqualTo(40);
        for (int i = 1; i <= 40; i++) {
          s.executeUpdate("INSERT INTO orders VALUES (1, " + i + ", " + i * 10 + "), (2, " + i + ", 5)");
        }
        try (ResultSet rs = s.executeQuery("SELECT co.name, COUNT(*), SUM(o.total) FROM customers cu "
            + "JOIN orders o ON o.customer_id = cu.id JOIN countries co ON co.code = cu.country "
            + "GROUP BY co.name HAVING COUNT(*) > 1 ORDER BY co.name")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("Germany");
          assertThat(rs.getLong(2)).isEqualTo(40);
          assertThat(rs.getLong(3)).isEqualTo(4200 + 100);
          assertThat(rs.next()).isTrue();
          assertThat(rs.next()).isFalse();
        }
        try (ResultSet rs = s.executeQuery("SELECT id, name FROM customers WHERE id IN (3, 17, 29) "
            + "ORDER BY name DESC LIMIT 2 OFFSET 1")) {
          List<Integer> ids = new ArrayList<>();
          while (rs.next()) {
            ids.add(rs.getInt(1));
          }
          assertThat(ids).containsExactly(29, 17); // c3 > c29 > c17
        }
        try (ResultSet rs = s.executeQuery("SELECT AVG(total), COUNT(DISTINCT customer_id) FROM orders")) {
          rs.next();
          assertThat(rs.getDouble(1)).isEqualTo((8200 + 200) / 80.0);
          assertThat(rs.getLong(2)).isEqualTo(40);
        }
        assertThat(s.executeUpdate("UPDATE orders SET total = 0 WHERE customer_id = 7")).isEqualTo(2);
        assertThat(s.executeUpdate("DELETE FROM customers WHERE name LIKE 'c1%'")).isEqualTo(11);
        // a join off the shard key takes the distributed path: a scratch database of the shards' product, whose
        // driver the jar finds in its own class loader
        try (ResultSet rs = s.executeQuery(
            "SELECT COUNT(*) FROM customers a JOIN customers b ON a.country = b.country")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(15 * 15 + 14 * 14); // DE: 20 - 5 deleted, JP: 20 - 6 deleted
        }
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
          while (rs.next()) {
            tables.add(rs.getString("TABLE_NAME").toLowerCase());
          }
        }
        assertThat(tables).contains("customers", "orders", "countries").noneMatch(t -> t.contains("collegedb"));
        assertThat(c.getMetaData().getDriverName()).isEqualTo("CollegeDB");
      }
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  static Properties shardsIn(Path dir, String urlPrefix, String suffix, int count) {
    Properties p = new Properties();
    for (int i = 1; i <= count; i++) {
      p.setProperty("shards.s" + i + ".url", urlPrefix + dir.resolve("s" + i) + suffix);
    }
    return p;
  }

  @Test
  void loadsAloneWithSqliteShards() throws Exception {
    Path dir = Files.createTempDirectory("cdb-shaded");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar().toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      workload(loader, shardsIn(dir, "jdbc:sqlite:", ".db", 3));
      // the dependencies that could clash are relocated
      assertThatThrownBy(() -> loader.loadClass("com.google.common.collect.ImmutableList"))
          .isInstanceOf(ClassNotFoundException.class);
      assertThatThrownBy(() -> loader.loadClass("org.apache.calcite.sql.SqlNode"))
          .isInstanceOf(ClassNotFoundException.class);
      assertThat(loader.loadClass("org.collegedb.shaded.com.google.common.collect.ImmutableList")).isNotNull();
      assertThat(loader.loadClass("org.sqlite.JDBC")).isNotNull(); // SQLite keeps its package and native libraries
    }
  }

  @Test
  void loadsBesideTheShardsDriver() throws Exception {
    Path dir = Files.createTempDirectory("cdb-shaded-h2");
    URL h2 = org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar().toUri().toURL(), h2},
        ClassLoader.getPlatformClassLoader())) {
      workload(loader, shardsIn(dir, "jdbc:h2:file:", ";MODE=Regular", 2));
    }
  }

  @Test
  void theJarHoldsWhatItShould() throws Exception {
    try (JarFile jar = new JarFile(jar().toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(CollegeCli.class.getName());
      String drivers = new String(jar.getInputStream(jar.getEntry("META-INF/services/java.sql.Driver"))
          .readAllBytes(), StandardCharsets.UTF_8);
      assertThat(drivers).contains("org.collegedb.jdbc.CollegeDriver", "org.sqlite.JDBC");
      assertThat(jar.stream().map(e -> e.getName()))
          .anyMatch(n -> n.startsWith("org/sqlite/native/Linux/x86_64/"))
          .noneMatch(n -> n.startsWith("org/locationtech/") || n.startsWith("org/codehaus/janino/")
              || n.startsWith("org/apache/hc/") || n.startsWith("com/google/protobuf/")
              || n.startsWith("io/micrometer/")); // optional: the application brings it when it wants metrics
    }
  }

  @Test
  void shellRunsAScriptFromTheJar() throws Exception {
    Path dir = Files.createTempDirectory("cdb-shell");
    Path config = dir.resolve("collegedb.yaml");
    Files.writeString(config, "shards:\n  a: {url: \"jdbc:sqlite:${configDir}/a.db\"}\n"
        + "  b: {url: \"jdbc:sqlite:${configDir}/b.db\"}\n");
    Path script = dir.resolve("script.sql");
    Files.writeString(script, String.join("\n",
        "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(100));",
        "INSERT INTO notes VALUES (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four');",
        "SELECT COUNT(*) AS notes FROM notes;",
        "!tables",
        "!dbinfo", ""));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-jar", jar().toString(), "shell", "jdbc:collegedb:" + config,
        "--run", script.toString()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("4 rows affected").containsPattern("\\|\\s*4\\s*\\|").contains("notes")
        .contains("CollegeDB").doesNotContain("collegedb_shard_map");
    Process help = new ProcessBuilder(java.toString(), "-jar", jar().toString(), "--help").redirectErrorStream(true)
        .start();
    assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("shell");
  }

  @Test
  void adminCommandsRunFromTheJar() throws Exception {
    Path dir = Files.createTempDirectory("cdb-admin");
    Path config = dir.resolve("app.yaml");
    Files.writeString(config, "shards:\n  a: {url: \"jdbc:sqlite:${configDir}/a.db\"}\n"
        + "  b: {url: \"jdbc:sqlite:${configDir}/b.db\"}\n");
    Path script = dir.resolve("load.sql");
    Files.writeString(script, "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(100));\n"
        + "INSERT INTO notes VALUES (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four');\n");
    assertThat(runJar("shell", "jdbc:collegedb:" + config, "--run", script.toString()).exitValue).isZero();
    Result status = runJar("status", config.toString());
    assertThat(status.exitValue).as(status.out).isZero();
    assertThat(status.out).contains("shard map version 1, 2 shards").containsPattern("total +4");
    Result health = runJar("health", config.toString());
    assertThat(health.exitValue).as(health.out).isZero();
    assertThat(health.out).contains("2 shards: 2 healthy, 0 unhealthy");
    Result shardOf = runJar("shard-of", config.toString(), "notes", "3");
    assertThat(shardOf.exitValue).as(shardOf.out).isZero();
    assertThat(shardOf.out).containsPattern("notes \\(3\\) -> [ab] \\(owner of its hash\\)");
    Result missing = runJar("status", dir.resolve("missing.yaml").toString());
    assertThat(missing.exitValue).isEqualTo(1);
    assertThat(missing.out).contains("collegedb status: ", "does not exist");
  }

  private record Result(int exitValue, String out) {
  }

  private static Result runJar(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar().toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
