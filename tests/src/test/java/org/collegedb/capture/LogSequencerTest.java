package org.collegedb.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.collegedb.capture.CaptureDatabases.exec;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sequencer gives positions to what was committed when it started, and ends while writers commit more: here a
 * trigger on the log's counter adds 5,000 new entries in each of the sequencer's transactions (a full batch, as
 * unpaced writers committed during a reshard's catch-up on H2). Before, it sequenced until it met a batch that was not
 * full, which such writers never let happen: a reshard's catch-up ran for minutes until H2 ran out of memory.
 */
class LogSequencerTest {
  private static final int BATCH = 5000;

  /** Adds a batch of entries to the H2 log whenever the counter moves (the sequencer's transaction). */
  public static final class FillLog implements org.h2.api.Trigger {
    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
      try (Statement s = conn.createStatement()) {
        s.executeUpdate(fill("collegedb_internal.collegedb_change_log"));
      }
    }
  }

  private static String fill(String log) {
    return "INSERT INTO " + log + " (table_name, operation, row_key) SELECT 'items', 'I', '{\"id\":0}' FROM filler";
  }

  @ParameterizedTest(name = "{0}")
  // not SQLite: the JDBC driver counts a trigger's rows in the counter update's count, which the sequencer checks
  @EnumSource(value = Backend.class, names = {"H2", "POSTGRES"})
  void sequencingEndsWhileEveryBatchCommitsAFullBatchMore(Backend backend) throws Exception {
    TestShards db = CaptureDatabases.of(backend);
    try (Connection c = db.direct(0)) {
      ChangeCapture.uninstallAll(c);
      exec(c, "DROP TABLE IF EXISTS items", "DROP TABLE IF EXISTS filler");
      exec(c, "CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY)", "CREATE TABLE filler (n INTEGER NOT NULL)");
      ChangeCapture.install(c, "items");
      long before = ChangeCapture.head(c);
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO filler (n) VALUES (?)")) {
        for (int i = 0; i < BATCH; i++) {
          ps.setInt(1, i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
      String log = "collegedb_internal.collegedb_change_log";
      String counter = "collegedb_internal.collegedb_change_counter";
      String trigger = backend == Backend.H2 ? "collegedb_internal.collegedb_test_fill" : "collegedb_test_fill ON "
          + counter;
      exec(c, fill(log)); // a full batch waiting for positions
      if (backend == Backend.H2) {
        exec(c, "CREATE TRIGGER " + trigger + " AFTER UPDATE ON " + counter + " FOR EACH ROW CALL \""
            + FillLog.class.getName() + "\"");
      } else {
        exec(c, "CREATE OR REPLACE FUNCTION collegedb_internal.collegedb_test_fill() RETURNS trigger LANGUAGE plpgsql "
            + "AS $f$ BEGIN " + fill(log) + "; RETURN NULL; END $f$",
            "CREATE TRIGGER collegedb_test_fill AFTER UPDATE ON " + counter + " FOR EACH ROW EXECUTE FUNCTION "
            + "collegedb_internal.collegedb_test_fill()");
      }
      try {
        long head = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ChangeCapture.head(c),
            "the sequencer does not end while each of its transactions commits a full batch more");
        assertThat(head).as("the entries committed before it started have positions").isEqualTo(before + BATCH);
      } finally {
        exec(c, "DROP TRIGGER IF EXISTS " + trigger);
        if (backend == Backend.POSTGRES) {
          exec(c, "DROP FUNCTION IF EXISTS collegedb_internal.collegedb_test_fill()");
        }
        ChangeCapture.uninstallAll(c);
        exec(c, "DROP TABLE IF EXISTS items", "DROP TABLE IF EXISTS filler");
      }
    }
  }

  /** What a test does with the table {@code items} captured on a clean database. */
  private interface WithItems {
    void run() throws Exception;
  }

  /** Creates {@code items}, installs capture on it, runs {@code body}, then uninstalls capture and drops it. */
  private static void withCapturedItems(Connection c, WithItems body) throws Exception {
    ChangeCapture.uninstallAll(c);
    exec(c, "DROP TABLE IF EXISTS items", "CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY)");
    ChangeCapture.install(c, "items");
    try {
      body.run();
    } finally {
      ChangeCapture.uninstallAll(c);
      exec(c, "DROP TABLE IF EXISTS items");
    }
  }

  /**
   * An entry whose {@code seq} was taken before another's but which committed after the sequencer ran gets its
   * position in the next run, after the other's: positions follow commits, and the next run does not skip it although
   * its {@code seq} is below entries that already have positions (the batches start at the first entry without one).
   */
  @ParameterizedTest(name = "{0}")
  // not SQLite: one writer at a time, so no entry can commit after a later one
  @EnumSource(value = Backend.class, names = {"H2", "POSTGRES", "MARIADB"})
  void anEntryCommittedAfterALaterOneGetsTheNextRunsPosition(Backend backend) throws Exception {
    TestShards db = CaptureDatabases.of(backend);
    try (Connection c = db.direct(0); Connection late = db.direct(0)) {
      withCapturedItems(c, () -> {
        exec(c, "INSERT INTO items (id) VALUES (1)"); // entries before both, already sequenced
        long before = ChangeCapture.head(c);
        late.setAutoCommit(false);
        exec(late, "INSERT INTO items (id) VALUES (2)"); // takes its seq now, commits later
        exec(c, "INSERT INTO items (id) VALUES (3)");
        assertThat(ChangeCapture.head(c)).as("only the committed entry is sequenced").isEqualTo(before + 1);
        late.commit();
        late.setAutoCommit(true);
        assertThat(ChangeCapture.head(c)).as("the late entry is sequenced by the next run").isEqualTo(before + 2);
        assertThat(positions(c)).as("positions of ids 1, 2, 3 by commit order")
            .containsExactly(before, before + 2, before + 1);
      });
    }
  }

  /** The log's positions of the entries of items 1, 2 and 3, in that order of ids. */
  private static List<Long> positions(Connection c) throws SQLException {
    List<Long> positions = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT position FROM " + new LogStore(c).backend().log()
        + " WHERE table_name = 'items' AND row_key LIKE ?")) {
      for (int id = 1; id <= 3; id++) {
        ps.setString(1, "%" + id + "}"); // {"id":1} or {"id": 1}
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).as("the entry of item %d", id).isTrue();
          positions.add(rs.getLong(1));
        }
      }
    }
    return positions;
  }

  /**
   * On H2 each batch of the sequencer reads a range of the log's primary key in its order and stops when the batch
   * is full. Before, H2 answered it from the index on {@code position}: every entry without a position, sorted for
   * each batch, so that a backlog took time in its square to sequence; under a reshard's writers on a busy machine the
   * catch-up fell behind for good and the log filled the heap (seen in CI, 11 million entries after 9 minutes).
   */
  @Test
  void onH2TheSequencersBatchesReadThePrimaryKeyInOrder() throws Exception {
    TestShards db = CaptureDatabases.of(Backend.H2);
    try (Connection c = db.direct(0)) {
      withCapturedItems(c, () -> {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + new LogStore(c).unsequencedQuery(BATCH))) {
          ps.setLong(1, 0);
          ps.setLong(2, 1_000_000);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            String plan = rs.getString(1).toUpperCase(Locale.ROOT);
            assertThat(plan).as("the plan of a batch").contains("PRIMARY_KEY").contains("/* INDEX SORTED */")
                .doesNotContain("POSITION IS NULL */");
          }
        }
      });
    }
  }
}
