package org.collegedb.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Memory above the shards is bounded: with {@code crossShardMemoryMB=1}, a distributed query that fetches about
 * 3 MiB of rows moves its H2 scratch database to a temporary file (deleted when the result closes) and still answers
 * as one database does; SQLite's scratch is a file whose page cache the same setting bounds.
 */
class ScratchSpillTest {
  private static final int ROWS = 10_000;
  private static final String PAD = "x".repeat(120);
  private static final String QUERY = "SELECT COUNT(*), SUM(w.id), SUM(v.k), MAX(w.pad) FROM wide w JOIN wide v "
      + "ON w.k = v.id WHERE v.k < 5000";

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"H2", "SQLITE"})
  void spillsPastTheMemoryBoundAndAnswersAsOneDatabase(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "spill", 4);
    try (Connection c = shards.connect("crossShardMemoryMB", "1"); Connection ref = shards.reference()) {
      for (Connection db : List.of(c, ref)) {
        try (Statement s = db.createStatement()) {
          s.execute("CREATE TABLE wide (id INT PRIMARY KEY, k INT, pad VARCHAR(200))");
        }
        db.setAutoCommit(false);
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO wide VALUES (?, ?, ?)")) {
          for (int i = 1; i <= ROWS; i++) {
            ps.setInt(1, i);
            ps.setInt(2, (int) ((long) i * 7919 % ROWS) + 1);
            ps.setString(3, PAD + i);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        db.commit();
        db.setAutoCommit(true);
      }
      Set<Path> before = scratchDirectories();
      List<Object> expected;
      try (Statement s = ref.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
        expected = DistributedQueryTest.rows(rs).get(0);
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
        if (backend == Backend.H2) { // while the answer is open, its rows are in a file of the temp directory
          Set<Path> during = scratchDirectories();
          during.removeAll(before);
          assertThat(during).singleElement().satisfies(d -> {
            try (Stream<Path> files = Files.list(d)) {
              assertThat(files.map(f -> f.getFileName().toString())).contains("scratch.mv.db");
            }
          });
        }
        assertThat(DistributedQueryTest.rows(rs)).containsExactly(expected);
      }
      Set<Path> after = scratchDirectories();
      after.removeAll(before);
      assertThat(after).isEmpty(); // deleted with the result
      assertThat(c.unwrap(org.collegedb.jdbc.CollegeConnection.class).lastExecution().shards()).contains("scratch");
    }
  }

  private static Set<Path> scratchDirectories() throws SQLException {
    try (Stream<Path> all = Files.list(Paths.get(System.getProperty("java.io.tmpdir")))) {
      return all.filter(p -> p.getFileName().toString().startsWith("collegedb-scratch-") && Files.isDirectory(p))
          .collect(Collectors.toSet());
    } catch (java.io.IOException e) {
      throw new SQLException(e);
    }
  }
}
