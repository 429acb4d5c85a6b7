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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
   * The sequencer's probe for the first entry without a position, and each of its batches, read about their own
   * entries, however many sequenced entries stay in the log until its readers prune it (here 20,000 sequenced, then
   * 2,000 waiting). Before, on H2 and PostgreSQL they walked the log's primary key from the probe's start: the probe
   * read every sequenced entry, and it runs for each read of the log, so a reshard's catch-up behind unpaced writers on
   * a loaded machine read the whole log for each batch it applied, fell behind for good and the log filled the test
   * JVM's heap (seen in CI); before that, H2 sorted every waiting entry for each batch.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void theSequencersReadsCostTheirOwnEntriesNotTheLogs(Backend backend) throws Exception {
    TestShards db = CaptureDatabases.of(backend);
    try (Connection c = db.direct(0)) {
      withCapturedItems(c, () -> {
        LogStore store = new LogStore(c);
        String log = store.backend().log();
        exec(c, "DROP TABLE IF EXISTS digits", "CREATE TABLE digits (d INTEGER NOT NULL)",
            "INSERT INTO digits (d) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)");
        String numbers = "(SELECT a.d + 10 * b.d + 100 * x.d + 1000 * y.d + 10000 * z.d AS n FROM digits a, digits b, "
            + "digits x, digits y, digits z) numbers";
        exec(c, "INSERT INTO " + log + " (position, table_name, operation, row_key) SELECT n + 1, 'items', 'I', "
            + "'{\"id\":0}' FROM " + numbers + " WHERE n < 20000");
        exec(c, "INSERT INTO " + log + " (table_name, operation, row_key) SELECT 'items', 'I', '{\"id\":0}' FROM "
            + numbers + " WHERE n < 2000", "DROP TABLE digits");
        exec(c, switch (backend) {
          case MARIADB, H2 -> "ANALYZE TABLE " + log;
          case SQLITE -> "ANALYZE";
          default -> "ANALYZE " + log;
        });
        if (backend == Backend.SQLITE) { // no counts of rows read: the plan
          for (int limit : new int[] {1, BATCH}) {
            String plan = plan(c, "EXPLAIN QUERY PLAN " + store.backend().unsequencedQuery(limit), Long.MIN_VALUE);
            assertThat(plan).as("the plan of the sequencer's read of %d", limit)
                .contains("INDEX " + LogStore.LOG + "_position (position=? AND rowid>? AND rowid<?)")
                .doesNotContain("TEMP B-TREE");
          }
          return;
        }
        assertThat(rowsRead(c, backend, store.backend().unsequencedQuery(1), Long.MIN_VALUE))
            .as("rows read by the probe for the first waiting entry").isLessThanOrEqualTo(2);
        assertThat(rowsRead(c, backend, store.backend().unsequencedQuery(500), 20_500))
            .as("rows read by a batch of 500 in the middle of the waiting entries").isLessThanOrEqualTo(501);
      });
    }
  }

  /** The rows the backend read to answer the sequencer's {@code query} from {@code after}, from its own account. */
  private static double rowsRead(Connection c, Backend backend, String query, long after) throws SQLException {
    if (backend == Backend.MARIADB) {
      try (PreparedStatement ps = bound(c, "ANALYZE " + query, after); ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getDouble("r_rows");
      }
    }
    String plan = plan(c, "EXPLAIN ANALYZE " + query, after);
    double read = 0;
    Matcher m = Pattern.compile(backend == Backend.H2 ? "scanCount: (\\d+)"
        : "(?:Scan.*actual time=\\S+ rows=|Rows Removed by Filter: )(\\d+)").matcher(plan);
    while (m.find()) {
      read += Long.parseLong(m.group(1));
    }
    assertThat(read).as("rows read, from the plan:%n%s", plan).isGreaterThan(0);
    return read;
  }

  /** The text of a plan the backend gives for the sequencer's query {@code sql} from {@code after}: its last column. */
  private static String plan(Connection c, String sql, long after) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (PreparedStatement ps = bound(c, sql, after); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        plan.append(rs.getString(rs.getMetaData().getColumnCount())).append('\n');
      }
    }
    return plan.toString();
  }

  /** {@code sql} over the sequencer's query, its range bound: after {@code after}, to the end. */
  private static PreparedStatement bound(Connection c, String sql, long after) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.setLong(1, after);
    ps.setLong(2, Long.MAX_VALUE);
    return ps;
  }
}
