package org.collegedb.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Driver instances sharing one directory insert at once: no generated key twice, no lookup value twice, and every
 * row reachable by its key and by each lookup key. Two runtimes in one JVM, and two JVMs.
 */
class ConcurrencyTest {
  private static final int THREADS = 2;
  private static final int ROWS = 12;
  private static final int SHARED = 4;
  private static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

  static Stream<Arguments> inOneJvm() {
    return Stream.of(
        Arguments.of(TestShards.Backend.SQLITE, DirectoryUrls.Kind.SQLITE),
        Arguments.of(TestShards.Backend.H2, DirectoryUrls.Kind.H2),
        Arguments.of(TestShards.Backend.POSTGRES, DirectoryUrls.Kind.SQLITE),
        Arguments.of(TestShards.Backend.SQLITE, DirectoryUrls.Kind.POSTGRES),
        Arguments.of(TestShards.Backend.H2, DirectoryUrls.Kind.POSTGRES),
        Arguments.of(TestShards.Backend.POSTGRES, DirectoryUrls.Kind.POSTGRES));
  }

  static Stream<Arguments> inTwoJvms() {
    return Stream.of(
        Arguments.of(TestShards.Backend.SQLITE, DirectoryUrls.Kind.SQLITE),
        Arguments.of(TestShards.Backend.POSTGRES, DirectoryUrls.Kind.POSTGRES));
  }

  private static Properties settings(TestShards shards, DirectoryUrls.Kind directory) throws Exception {
    Properties p = shards.properties();
    p.putAll(DirectoryUrls.fresh(directory, "ConcurrencyTest"));
    p.setProperty("tables.users.lookup", "email,username");
    p.setProperty("directory.blockSize", "5");
    // Databases of the same names were dropped and made again: a runtime of an earlier case must not be reused.
    p.setProperty("directory.cacheSize", Integer.toString(10_000 + RUNS.incrementAndGet()));
    if (shards.backend() == TestShards.Backend.SQLITE) {
      for (String name : shards.names()) {
        p.setProperty("shards." + name + ".properties.busy_timeout", "60000");
      }
    }
    return p;
  }

  private static void createUsers(Properties settings, TestShards.Backend backend) throws Exception {
    String id = switch (backend) {
      case SQLITE -> "id INTEGER PRIMARY KEY";
      case POSTGRES -> "id BIGSERIAL PRIMARY KEY";
      default -> "id BIGINT AUTO_INCREMENT PRIMARY KEY";
    };
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", settings); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (" + id + ", email VARCHAR(100), username VARCHAR(100), name VARCHAR(20))");
    }
  }

  @ParameterizedTest
  @MethodSource("inOneJvm")
  void twoInstancesInsertAtOnce(TestShards.Backend backend, DirectoryUrls.Kind directory) throws Exception {
    TestShards shards = TestShards.create(backend, "ConcurrencyTest", 3);
    Properties a = settings(shards, directory);
    Properties b = new Properties();
    b.putAll(a);
    b.setProperty("fanoutThreads", "2"); // a harmless difference: a second runtime, its own cache and blocks
    createUsers(a, backend);
    CompletableFuture<InsertWorker.Result> first = CompletableFuture.supplyAsync(() -> call(a, "a"));
    CompletableFuture<InsertWorker.Result> second = CompletableFuture.supplyAsync(() -> call(b, "b"));
    verify(shards, a, List.of(first.get(5, TimeUnit.MINUTES), second.get(5, TimeUnit.MINUTES)));
  }

  @ParameterizedTest
  @MethodSource("inTwoJvms")
  void twoJvmsInsertAtOnce(TestShards.Backend backend, DirectoryUrls.Kind directory) throws Exception {
    TestShards shards = TestShards.create(backend, "ConcurrencyTest", 3);
    Properties settings = settings(shards, directory);
    createUsers(settings, backend);
    Path file = Files.createTempFile("cdb-settings", ".properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      settings.store(out, "ConcurrencyTest");
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path output = Files.createTempFile("cdb-worker", ".out");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        InsertWorker.class.getName(), file.toString(), "jvm2", Integer.toString(THREADS), Integer.toString(ROWS),
        Integer.toString(SHARED)).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    InsertWorker.Result here = InsertWorker.run(settings, "jvm1", THREADS, ROWS, SHARED);
    assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("the second JVM finished").isTrue();
    List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as("second JVM output: %s", lines).isZero();
    List<Long> ids = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("id ")) {
        ids.add(Long.parseLong(line.substring(3).trim()));
      } else if (line.startsWith("dup ")) {
        duplicates.add(line.substring(4).trim());
      }
    }
    assertThat(ids.size() + duplicates.size()).as("second JVM output: %s", lines)
        .isEqualTo(THREADS * (ROWS + SHARED));
    verify(shards, settings, List.of(here, new InsertWorker.Result(ids, duplicates)));
  }

  private static InsertWorker.Result call(Properties settings, String prefix) {
    try {
      return InsertWorker.run(settings, prefix, THREADS, ROWS, SHARED);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void verify(TestShards shards, Properties settings, List<InsertWorker.Result> results)
      throws Exception {
    List<Long> ids = new ArrayList<>();
    int duplicates = 0;
    for (InsertWorker.Result r : results) {
      ids.addAll(r.ids());
      duplicates += r.duplicates().size();
    }
    int workers = results.size();
    assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id > 0);
    assertThat(ids).hasSize(workers * THREADS * ROWS + SHARED);
    assertThat(duplicates).isEqualTo(workers * THREADS * SHARED - SHARED);
    // What the shards hold, read directly.
    Map<Long, String> emailById = new HashMap<>();
    Map<Long, String> usernameById = new HashMap<>();
    for (int s = 0; s < shards.count(); s++) {
      try (Connection d = shards.direct(s); Statement st = d.createStatement();
           ResultSet rs = st.executeQuery("SELECT id, email, username FROM users")) {
        while (rs.next()) {
          assertThat(emailById.put(rs.getLong(1), rs.getString(2))).as("id %s on one shard", rs.getLong(1))
              .isNull();
          usernameById.put(rs.getLong(1), rs.getString(3));
        }
      }
    }
    assertThat(emailById.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    Set<String> emails = new HashSet<>(emailById.values());
    assertThat(emails).hasSize(emailById.size());
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", settings);
         PreparedStatement byId = c.prepareStatement("SELECT email FROM users WHERE id = ?");
         PreparedStatement byEmail = c.prepareStatement("SELECT id FROM users WHERE email = ?");
         PreparedStatement byName = c.prepareStatement("SELECT id FROM users WHERE username = ?")) {
      for (Map.Entry<Long, String> row : emailById.entrySet()) {
        byId.setLong(1, row.getKey());
        assertThat(single(byId)).isEqualTo(row.getValue());
        byEmail.setString(1, row.getValue());
        assertThat(((Number) single(byEmail)).longValue()).isEqualTo(row.getKey());
        byName.setString(1, usernameById.get(row.getKey()));
        assertThat(((Number) single(byName)).longValue()).isEqualTo(row.getKey());
      }
    }
  }

  private static Object single(PreparedStatement ps) throws Exception {
    try (ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).isTrue();
      Object v = rs.getObject(1);
      assertThat(rs.next()).isFalse();
      return v;
    }
  }
}
