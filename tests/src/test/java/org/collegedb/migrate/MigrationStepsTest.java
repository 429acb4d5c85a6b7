package org.collegedb.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.capture.ChangeCapture;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Crash and resume, abort, dry run, validation, and a split across products (SQLite source, H2 shards). */
class MigrationStepsTest {
  @TempDir
  Path dir;

  /** Thrown by the test hook: the operation stops there, as if killed. */
  static final class Crash extends RuntimeException {
    Crash(String step) {
      super("crashed at " + step);
    }
  }

  static MigrationOptions crashAt(String step, int nth) {
    int[] seen = {0};
    return MigrationOptions.defaults().batchSize(40).hook(s -> {
      if (s.equals(step) && ++seen[0] == nth) {
        throw new Crash(s);
      }
    });
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void killedAtAnyStepItResumesAndCompletes(Backend backend) throws Exception {
    MigrationFixture f = new MigrationFixture(backend, "split_crash", 3, dir);
    f.createSource(60);
    List<String> crashes = new ArrayList<>();
    for (String[] at : new String[][] {{"create", "1"}, {"copy:orders", "2"}, {"copy:users", "1"},
        {"catch-up", "1"}, {"verify", "1"}}) {
      try {
        Split.run(f.source, "jdbc:collegedb:", f.config, crashAt(at[0], Integer.parseInt(at[1])));
      } catch (Crash e) {
        crashes.add(e.getMessage());
      }
      try (Connection src = f.source(); Statement s = src.createStatement()) {
        s.executeUpdate("UPDATE users SET name = 'during " + at[0] + "' WHERE id = 3");
        s.executeUpdate("DELETE FROM orders WHERE id = 41");
        s.executeUpdate("INSERT INTO tags VALUES ('" + at[0] + "', 1)");
      }
    }
    assertThat(crashes).hasSize(5);
    MigrationReport r = Split.run(f.source, "jdbc:collegedb:", f.config, MigrationOptions.defaults().finish(true));
    assertThat(r.problems()).isEmpty();
    assertThat(r.state()).isEqualTo("done");
    f.assertShardsHoldSource();

    Database target = f.target("split_crash_back");
    try {
      Unshard.run("jdbc:collegedb:", f.config, target, crashAt("copy:users", 1));
    } catch (Crash e) {
      // resumed below
    }
    MigrationReport back = Unshard.run("jdbc:collegedb:", f.config, target, MigrationOptions.defaults());
    assertThat(back.problems()).isEmpty();
    assertThat(back.state()).isEqualTo("ready");
    try (Connection src = f.source(); Connection merged = MigrationFixture.connect(target)) {
      MigrationFixture.assertSameRows(src, merged);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"SQLITE", "H2"})
  void abortUndoesAndDryRunChangesNothing(Backend backend) throws Exception {
    MigrationFixture f = new MigrationFixture(backend, "split_abort", 2, dir);
    f.createSource(30);
    MigrationReport plan = Split.run(f.source, "jdbc:collegedb:", f.config, MigrationOptions.defaults().dryRun(true));
    assertThat(plan.state()).isEqualTo("planned");
    assertThat(String.join("\n", plan.lines())).contains("table users: 30 rows").contains("table orders: 90 rows")
        .contains("broadcast").contains("to move, per shard:");
    assertThat(f.shardTables()).as("dry run: nothing on the shards").isEmpty();
    assertThat(Files.exists(dir.resolve("split_abort-directory.db"))).as("no directory created").isFalse();
    try (Connection src = f.source()) {
      assertThat(SchemaReader.read(src)).hasSize(5);
      assertThat(ChangeCapture.capturedTables(src)).isEmpty();
    }
    try {
      Split.run(f.source, "jdbc:collegedb:", f.config, crashAt("copy:pairs", 1));
    } catch (Crash e) {
      // stopped in the middle of the copy
    }
    assertThat(f.shardTables()).contains("s1.users", "s2.pairs");
    MigrationReport aborted = Split.run(f.source, "jdbc:collegedb:", f.config,
        MigrationOptions.defaults().abort(true));
    assertThat(aborted.state()).isEqualTo("aborted");
    assertThat(f.shardTables()).filteredOn(t -> !t.contains("collegedb_")).isEmpty();
    try (Connection src = f.source(); Statement s = src.createStatement()) {
      assertThat(ChangeCapture.capturedTables(src)).isEmpty();
      s.executeUpdate("INSERT INTO tags VALUES ('after abort', 1)"); // writable
    }
    // and it can run again from the start
    MigrationReport again = Split.run(f.source, "jdbc:collegedb:", f.config, MigrationOptions.defaults());
    assertThat(again.state()).isEqualTo("ready");
    f.assertShardsHoldSource();
  }

  @Test
  void aTableWithoutAKeyIsRefusedAndNothingIsCreated() throws Exception {
    MigrationFixture f = new MigrationFixture(Backend.SQLITE, "split_nokey", 2, dir);
    f.createSource(5);
    try (Connection src = f.source(); Statement s = src.createStatement()) {
      s.execute("CREATE TABLE events (at BIGINT, what VARCHAR(20))");
    }
    assertThatThrownBy(() -> Split.run(f.source, "jdbc:collegedb:", f.config, MigrationOptions.defaults()))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("1 table(s) cannot be sharded")
        .hasMessageContaining("events: no shard key")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
    assertThat(f.shardTables()).isEmpty();
    try (Connection src = f.source()) {
      assertThat(ChangeCapture.capturedTables(src)).isEmpty();
    }
  }

  @Test
  void splitsAnSqliteFileIntoH2Shards() throws Exception {
    String source = "jdbc:sqlite:" + dir.resolve("app.db");
    MigrationFixture f = new MigrationFixture(Backend.H2, "split_cross", 3, dir, source);
    f.createSource(80);
    MigrationReport r = Split.run(f.source, "jdbc:collegedb:", f.config, MigrationOptions.defaults().finish(true));
    assertThat(r.problems()).isEmpty();
    assertThat(r.state()).isEqualTo("done");
    f.assertShardsHoldSource();
    assertThatThrownBy(() -> Split.run(f.source, "jdbc:collegedb:", f.config, MigrationOptions.defaults().abort(true)))
        .hasMessageContaining("it is finished");
    f.assertShardsHoldSource();
  }
}
