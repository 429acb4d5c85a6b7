package org.collegedb.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.collegedb.capture.CaptureDatabases.exec;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
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
      try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO filler (n) VALUES (?)")) {
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
}
