package org.collegedb.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sqlline.SqlLine;

/** SQLLine run non-interactively on a CollegeDB URL: metadata commands and statements. */
class SqlLineTest {

  /** Runs SQLLine with {@code script} on standard input; returns what it printed. */
  static String run(String url, String script) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    SqlLine.Status status;
    System.setProperty("sqlline.system.exit", "true"); // start() returns rather than exiting the JVM
    try {
      status = SqlLine.start(new String[] {"-u", url, "-n", "", "-p", "", "--maxWidth=200"},
          new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), false);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as(printed).isEqualTo(SqlLine.Status.OK);
    return printed;
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void metadataCommandsAndStatements(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "SqlLineTest", 3);
    Path config = Configs.configFile(shards);
    String printed = run("jdbc:collegedb:" + config, String.join("\n",
        "CREATE TABLE planets (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, moons INT);",
        "INSERT INTO planets VALUES (1, 'Mercury', 0), (2, 'Venus', 0), (3, 'Earth', 1), (4, 'Mars', 2);",
        "SELECT name, moons FROM planets WHERE id = 3;",
        "SELECT SUM(moons) AS all_moons, COUNT(*) AS planets FROM planets;",
        "!tables",
        "!columns planets",
        "!primarykeys planets",
        "!dbinfo",
        "!quit", ""));
    assertThat(printed).contains("4 rows affected");
    assertThat(printed).containsPattern("Earth\\s*\\|\\s*1");
    assertThat(printed).containsPattern("\\|\\s*3\\s*\\|\\s*4\\s*\\|"); // SUM(moons) and COUNT(*) over the shards
    assertThat(printed).containsPattern("(?i)planets\\s*\\|\\s*(TABLE|BASE TABLE)");
    assertThat(printed).containsPattern("(?i)\\|\\s*moons\\s*\\|");
    assertThat(printed).containsPattern("(?i)planets\\s*\\|\\s*id\\s*\\|\\s*1");
    assertThat(printed).contains("getDriverName").contains("CollegeDB");
    assertThat(printed).contains(backend == Backend.SQLITE ? "SQLite" : "PostgreSQL");
    assertThat(printed).doesNotContainIgnoringCase("collegedb_shard_map");
    assertThat(printed).doesNotContain("Exception").doesNotContain("Error:");
  }
}
