package org.collegedb.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** split while a writer keeps writing to the source, then --finish; every shard read directly. */
class SplitTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void splitsWhileTheSourceIsWritten(Backend backend) throws Exception {
    MigrationFixture f = new MigrationFixture(backend, "split_live", 3, dir);
    f.createSource(120);
    MigrationOptions o = MigrationOptions.defaults().batchSize(97);
    MigrationReport ready;
    long writes;
    try (MigrationFixture.Writer w = f.new Writer(100_000)) {
      ready = Split.run(f.source, "jdbc:collegedb:", f.config, o);
      writes = w.writes.get();
    }
    assertThat(ready.problems()).isEmpty();
    assertThat(ready.state()).isEqualTo("ready");
    assertThat(writes).as("writes while the split ran").isGreaterThan(0);
    MigrationReport done = Split.run(f.source, "jdbc:collegedb:", f.config, o.finish(true));
    assertThat(done.state()).isEqualTo("done");
    assertThat(done.problems()).isEmpty();
    f.assertShardsHoldSource();
    Database target = f.target("split_live_back");
    MigrationReport back;
    try (MigrationFixture.Writer w = f.new Writer(200_000, true)) {
      back = Unshard.run("jdbc:collegedb:", f.config, target, o);
      assertThat(w.writes.get()).as("writes through CollegeDB while unshard ran").isGreaterThan(0);
    }
    assertThat(back.problems()).isEmpty();
    assertThat(back.state()).isEqualTo("ready");
    back = Unshard.run("jdbc:collegedb:", f.config, target, o.finish(true));
    assertThat(back.problems()).isEmpty();
    assertThat(back.state()).isEqualTo("done");
    try (Connection cdb = f.college(); Connection merged = MigrationFixture.connect(target)) {
      MigrationFixture.assertSameRows(cdb, merged);
    }
    try (Connection src = f.source(); Statement s = src.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("UPDATE users SET name = 'x' WHERE id = 1"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO tags VALUES ('late', 1)"))
          .isInstanceOf(SQLException.class);
    }
  }
}
