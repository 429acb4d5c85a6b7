package org.collegedb.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.collegedb.capture.CaptureDatabases.exec;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.collegedb.capture.Change.Operation;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Change capture on one plain database (no CollegeDB in the way), on every backend. */
class ChangeCaptureTest {

  private static Connection fresh(Backend backend, String... tables) throws Exception {
    TestShards db = CaptureDatabases.of(backend);
    Connection c = db.direct(0);
    ChangeCapture.uninstallAll(c);
    for (String t : tables) {
      exec(c, "DROP TABLE IF EXISTS " + t);
    }
    return c;
  }

  private static List<Change> drain(ChangeConsumer consumer) throws SQLException {
    List<Change> all = new ArrayList<>();
    for (List<Change> batch = consumer.poll(3); !batch.isEmpty(); batch = consumer.poll(3)) {
      all.addAll(batch);
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void capturesInsertsUpdatesAndDeletesWithTheirValuesInOrder(Backend backend) throws Exception {
    try (Connection c = fresh(backend, "items")) {
      exec(c, "CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50), price DECIMAL(10,2), "
          + "ratio DOUBLE PRECISION, ok BOOLEAN, born DATE, seen " + CaptureDatabases.timestamp(backend) + ", data "
          + CaptureDatabases.binary(backend) + ")");
      ChangeCapture.install(c, "items");
      ChangeCapture.install(c, "ITEMS"); // idempotent, any case: still one entry per change
      assertThat(ChangeCapture.capturedTables(c)).containsExactly("items");
      ChangeConsumer consumer = ChangeCapture.consumer(c, "app");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, name, price, ratio, ok, born, seen, "
          + "data) VALUES (?, ?, ?, ?, ?, '2024-02-29', '2024-02-29 10:11:12', ?)")) {
        ps.setInt(1, 1);
        ps.setString(2, "it's \"one\"");
        ps.setBigDecimal(3, new BigDecimal("12.50"));
        ps.setDouble(4, 0.25);
        ps.setBoolean(5, true);
        ps.setBytes(6, new byte[] {1, 2, (byte) 0xff});
        ps.executeUpdate();
        ps.setInt(1, 2);
        ps.setString(2, "two");
        ps.setNull(3, java.sql.Types.DECIMAL);
        ps.setDouble(4, -1.5);
        ps.setBoolean(5, false);
        ps.setNull(6, java.sql.Types.VARBINARY);
        ps.executeUpdate();
      }
      exec(c, "UPDATE items SET name = 'uno', price = 13 WHERE id = 1",
          "DELETE FROM items WHERE id = 2",
          "UPDATE items SET id = 7 WHERE id = 1");

      List<Change> changes = drain(consumer);
      assertThat(changes).extracting(Change::operation).containsExactly(Operation.INSERT, Operation.INSERT,
          Operation.UPDATE, Operation.DELETE, Operation.DELETE, Operation.INSERT);
      assertThat(changes).extracting(ch -> ch.key().get("id")).containsExactly(1L, 2L, 1L, 2L, 1L, 7L);
      assertThat(changes).allSatisfy(ch -> assertThat(ch.table()).isEqualTo("items"));
      assertThat(changes).allSatisfy(ch -> assertThat(ch.shard()).isNull());
      for (int i = 1; i < changes.size(); i++) {
        assertThat(changes.get(i).position()).isGreaterThan(changes.get(i - 1).position());
      }

      Change first = changes.get(0);
      assertThat(first.before()).isNull();
      Map<String, Object> row = first.after();
      assertThat(row.keySet()).containsExactly("id", "name", "price", "ratio", "ok", "born", "seen", "data");
      assertThat(row.get("name")).isEqualTo("it's \"one\"");
      assertThat((BigDecimal) row.get("price")).isEqualByComparingTo("12.5");
      assertThat(row.get("ratio")).isEqualTo(0.25);
      assertThat(row.get("ok")).isEqualTo(true);
      assertThat(row.get("born")).isEqualTo(LocalDate.of(2024, 2, 29));
      assertThat(row.get("seen")).isEqualTo(LocalDateTime.of(2024, 2, 29, 10, 11, 12));
      assertThat((byte[]) row.get("data")).containsExactly(1, 2, 0xff);

      Map<String, Object> second = changes.get(1).after();
      assertThat(second.get("price")).isNull();
      assertThat(second.get("data")).isNull();
      assertThat(second.get("ok")).isEqualTo(false);
      assertThat(second.get("ratio")).isEqualTo(-1.5);

      Change update = changes.get(2);
      assertThat(update.before().get("name")).isEqualTo("it's \"one\"");
      assertThat(update.after().get("name")).isEqualTo("uno");
      assertThat((BigDecimal) update.after().get("price")).isEqualByComparingTo("13");

      Change delete = changes.get(3);
      assertThat(delete.after()).isNull();
      assertThat(delete.before().get("name")).isEqualTo("two");
      assertThat(delete.row()).isEqualTo(delete.before());

      // A key change: the old key deleted, the new one inserted, with the row's other values.
      assertThat(changes.get(4).before().get("name")).isEqualTo("uno");
      assertThat(changes.get(5).after()).containsEntry("id", 7L).containsEntry("name", "uno");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void capturesKeysOfSeveralTypes(Backend backend) throws Exception {
    try (Connection c = fresh(backend, "tags", "order_lines")) {
      exec(c, "CREATE TABLE tags (code VARCHAR(20) NOT NULL PRIMARY KEY, label VARCHAR(50))",
          "CREATE TABLE order_lines (order_id BIGINT NOT NULL, sku VARCHAR(20) NOT NULL, qty INTEGER, "
              + "PRIMARY KEY (order_id, sku))");
      ChangeCapture.install(c, "tags");
      ChangeCapture.install(c, "order_lines");
      ChangeConsumer consumer = ChangeCapture.consumer(c, "keys");
      exec(c, "INSERT INTO tags (code, label) VALUES ('a''b', 'x')",
          "INSERT INTO order_lines (order_id, sku, qty) VALUES (9000000000, 'sku-1', 2)",
          "UPDATE order_lines SET qty = 3 WHERE order_id = 9000000000 AND sku = 'sku-1'",
          "UPDATE tags SET code = 'c' WHERE code = 'a''b'",
          "DELETE FROM order_lines WHERE order_id = 9000000000");
      List<Change> changes = drain(consumer);
      assertThat(changes).extracting(Change::table).containsExactly("tags", "order_lines", "order_lines", "tags", "tags",
          "order_lines");
      assertThat(changes.get(0).key()).isEqualTo(Map.of("code", "a'b"));
      assertThat(changes.get(1).key()).isEqualTo(Map.of("order_id", 9000000000L, "sku", "sku-1"));
      assertThat(changes.get(2).operation()).isEqualTo(Operation.UPDATE);
      assertThat(changes.get(2).after()).containsEntry("qty", 3L);
      assertThat(changes.get(2).before()).containsEntry("qty", 2L);
      assertThat(changes.get(3).operation()).isEqualTo(Operation.DELETE);
      assertThat(changes.get(3).key()).isEqualTo(Map.of("code", "a'b"));
      assertThat(changes.get(4).operation()).isEqualTo(Operation.INSERT);
      assertThat(changes.get(4).key()).isEqualTo(Map.of("code", "c"));
      assertThat(changes.get(5).operation()).isEqualTo(Operation.DELETE);
      assertThat(changes.get(5).key()).isEqualTo(Map.of("order_id", 9000000000L, "sku", "sku-1"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void rolledBackTransactionsLeaveNothing(Backend backend) throws Exception {
    try (Connection c = fresh(backend, "accounts")) {
      exec(c, "CREATE TABLE accounts (id INTEGER NOT NULL PRIMARY KEY, balance INTEGER)");
      ChangeCapture.install(c, "accounts");
      ChangeConsumer consumer = ChangeCapture.consumer(c, "audit");
      c.setAutoCommit(false);
      exec(c, "INSERT INTO accounts (id, balance) VALUES (1, 10)", "UPDATE accounts SET balance = 11 WHERE id = 1");
      c.rollback();
      exec(c, "INSERT INTO accounts (id, balance) VALUES (2, 20)");
      c.commit();
      exec(c, "DELETE FROM accounts WHERE id = 2");
      c.rollback();
      c.setAutoCommit(true);
      List<Change> changes = drain(consumer);
      assertThat(changes).extracting(Change::operation).containsExactly(Operation.INSERT);
      assertThat(changes.get(0).key()).isEqualTo(Map.of("id", 2L));
      assertThat(ChangeCapture.size(c)).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aRestartedConsumerResumesExactlyAfterItsAcknowledgement(Backend backend) throws Exception {
    TestShards db = CaptureDatabases.of(backend);
    try (Connection c = fresh(backend, "events")) {
      exec(c, "CREATE TABLE events (id INTEGER NOT NULL PRIMARY KEY, v INTEGER)");
      ChangeCapture.install(c, "events");
      exec(c, "INSERT INTO events (id, v) VALUES (0, 0)"); // before the consumer: not for it
      ChangeConsumer first = ChangeCapture.consumer(c, "indexer");
      for (int i = 1; i <= 10; i++) {
        exec(c, "INSERT INTO events (id, v) VALUES (" + i + ", " + i + ")");
      }
      List<Change> read = first.poll(6);
      assertThat(read).extracting(ch -> ch.key().get("id")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
      first.acknowledge(read.get(3)); // ids 1-4 handled; 5 and 6 read but not handled when it "crashes"
      assertThatThrownBy(() -> first.acknowledge(read.get(5).position() + 100))
          .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("07001");
    }
    try (Connection other = db.direct(0)) { // a new process: a new connection, the same name
      ChangeConsumer again = ChangeCapture.consumer(other, "indexer");
      List<Change> rest = drain(again);
      assertThat(rest).extracting(ch -> ch.key().get("id")).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
      again.acknowledge(rest.get(rest.size() - 1));
      assertThat(ChangeCapture.consumers(other)).containsEntry("indexer", rest.get(rest.size() - 1).position());
    }
    try (Connection third = db.direct(0)) {
      ChangeConsumer after = ChangeCapture.consumer(third, "indexer");
      assertThat(after.poll(10)).isEmpty();
      exec(third, "UPDATE events SET v = 100 WHERE id = 3");
      List<Change> next = after.poll(10);
      assertThat(next).hasSize(1);
      assertThat(next.get(0).after()).containsEntry("v", 100L);
      after.rewind(); // unacknowledged changes come again
      assertThat(after.poll(10)).isEqualTo(next);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"POSTGRES", "MARIADB"})
  void insideATransactionAcknowledgementsCommitWithTheCallersWrites(Backend backend) throws Exception {
    TestShards db = CaptureDatabases.of(backend);
    try (Connection c = fresh(backend, "source", "target")) {
      exec(c, "CREATE TABLE source (id INTEGER NOT NULL PRIMARY KEY, v INTEGER)",
          "CREATE TABLE target (id INTEGER NOT NULL PRIMARY KEY, v INTEGER)");
      ChangeCapture.install(c, "source");
      ChangeCapture.consumer(c, "copier");
      exec(c, "INSERT INTO source (id, v) VALUES (1, 10)", "INSERT INTO source (id, v) VALUES (2, 20)");
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      assertThatThrownBy(() -> ChangeCapture.consumer(c, "copier").poll(10)).isInstanceOf(SQLException.class)
          .hasMessageContaining("READ COMMITTED").extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("55000");
      c.rollback();
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      ChangeConsumer copier = ChangeCapture.consumer(c, "copier");
      List<Change> first = copier.poll(1);
      exec(c, "INSERT INTO target (id, v) VALUES (" + first.get(0).key().get("id") + ", "
          + first.get(0).after().get("v") + ")");
      copier.acknowledge(first.get(0));
      c.rollback(); // the copy and its acknowledgement go together
      c.setAutoCommit(true);
    }
    try (Connection c = db.direct(0)) {
      List<Change> again = ChangeCapture.consumer(c, "copier").poll(10);
      assertThat(again).extracting(ch -> ch.key().get("id")).containsExactly(1L, 2L);
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM target")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void pruningKeepsWhatAConsumerHasNotAcknowledged(Backend backend) throws Exception {
    try (Connection c = fresh(backend, "notes")) {
      exec(c, "CREATE TABLE notes (id INTEGER NOT NULL PRIMARY KEY, body VARCHAR(20))");
      ChangeCapture.install(c, "notes");
      ChangeConsumer fast = ChangeCapture.consumer(c, "fast");
      ChangeConsumer slow = ChangeCapture.consumer(c, "slow");
      for (int i = 1; i <= 6; i++) {
        exec(c, "INSERT INTO notes (id, body) VALUES (" + i + ", 'n')");
      }
      List<Change> all = drain(fast);
      fast.acknowledge(all.get(5));
      List<Change> slowRead = slow.poll(2);
      slow.acknowledge(slowRead.get(1));
      assertThat(ChangeCapture.prune(c)).isEqualTo(2);
      assertThat(ChangeCapture.size(c)).isEqualTo(4);
      assertThat(drain(slow)).extracting(ch -> ch.key().get("id")).containsExactly(3L, 4L, 5L, 6L);
      assertThat(ChangeCapture.dropConsumer(c, "slow")).isTrue();
      assertThat(ChangeCapture.prune(c)).isEqualTo(4);
      assertThat(ChangeCapture.size(c)).isZero();
      // Positions go on after everything was pruned.
      exec(c, "INSERT INTO notes (id, body) VALUES (7, 'n')");
      List<Change> later = fast.poll(5);
      assertThat(later).hasSize(1);
      assertThat(later.get(0).position()).isGreaterThan(all.get(5).position());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void uninstallRemovesTriggersAndTables(Backend backend) throws Exception {
    try (Connection c = fresh(backend, "kept", "dropped")) {
      exec(c, "CREATE TABLE kept (id INTEGER NOT NULL PRIMARY KEY, v INTEGER)",
          "CREATE TABLE dropped (id INTEGER NOT NULL PRIMARY KEY, v INTEGER)");
      ChangeCapture.install(c, "kept");
      ChangeCapture.install(c, "dropped");
      assertThat(ownTriggers(c, backend)).hasSize(2 * ChangeCapture.triggerNames(c, "kept").size());
      ChangeConsumer consumer = ChangeCapture.consumer(c, "u");
      ChangeCapture.uninstall(c, "dropped");
      ChangeCapture.uninstall(c, "dropped"); // idempotent
      assertThat(ChangeCapture.capturedTables(c)).containsExactly("kept");
      // H2's trigger stays, idle (H2 fails statements in flight on a table whose triggers change)
      int perTable = ChangeCapture.triggerNames(c, "kept").size();
      assertThat(ownTriggers(c, backend)).hasSize(backend == Backend.H2 ? 2 * perTable : perTable);
      exec(c, "INSERT INTO kept (id, v) VALUES (1, 1)", "INSERT INTO dropped (id, v) VALUES (1, 1)");
      assertThat(drain(consumer)).extracting(Change::table).containsExactly("kept");

      ChangeCapture.uninstallAll(c);
      if (backend == Backend.H2) { // the idle triggers, and the registry they read (empty)
        assertThat(ownTriggers(c, backend)).hasSize(2 * perTable);
        assertThat(captureTables(c, backend)).map(n -> n.toLowerCase(java.util.Locale.ROOT))
            .containsExactly("collegedb_change_tables");
        assertThat(ChangeCapture.capturedTables(c)).isEmpty();
        ChangeCapture.install(c, "kept"); // on again: the trigger was not made again, and it captures
        assertThat(ownTriggers(c, backend)).hasSize(2 * perTable);
        ChangeConsumer again = ChangeCapture.consumer(c, "again");
        exec(c, "INSERT INTO kept (id, v) VALUES (3, 3)", "INSERT INTO dropped (id, v) VALUES (3, 3)");
        assertThat(drain(again)).extracting(Change::table).containsExactly("kept");
        ChangeCapture.uninstallAll(c);
        exec(c, "DELETE FROM kept WHERE id = 3");
      } else {
        assertThat(ownTriggers(c, backend)).isEmpty();
        assertThat(captureTables(c, backend)).isEmpty();
      }
      exec(c, "INSERT INTO kept (id, v) VALUES (2, 2)"); // the table works without capture
      assertThat(ChangeCapture.capturedTables(c)).isEmpty();
      ChangeCapture.uninstallAll(c); // idempotent
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void refusesWhatItCannotCapture(Backend backend) throws Exception {
    try (Connection c = fresh(backend, "nokey", "keyed")) {
      assertThatThrownBy(() -> ChangeCapture.consumer(c, "x")).isInstanceOf(SQLException.class)
          .hasMessageContaining("not installed").extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("55000");
      exec(c, "CREATE TABLE nokey (a INTEGER, b INTEGER)");
      exec(c, "CREATE TABLE IF NOT EXISTS keyed (id INTEGER NOT NULL PRIMARY KEY)");
      ChangeCapture.install(c, "keyed");
      assertThatThrownBy(() -> ChangeCapture.consumer(c, " ")).isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("07001");
      assertThatThrownBy(() -> ChangeCapture.install(c, "nokey")).isInstanceOf(SQLException.class)
          .hasMessageContaining("no primary key").extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("0A000");
      assertThatThrownBy(() -> ChangeCapture.install(c, "no_such_table")).isInstanceOf(SQLException.class)
          .hasMessageContaining("no_such_table").extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("42P01");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void generatedKeysOfTheApplicationsRowsAreUnchanged(Backend backend) throws Exception {
    try (Connection c = fresh(backend, "serials")) {
      String ddl = switch (backend) {
        case POSTGRES -> "CREATE TABLE serials (id SERIAL PRIMARY KEY, v INTEGER)";
        case MARIADB -> "CREATE TABLE serials (id INTEGER AUTO_INCREMENT PRIMARY KEY, v INTEGER)";
        case SQLITE -> "CREATE TABLE serials (id INTEGER PRIMARY KEY, v INTEGER)";
        case H2 -> "CREATE TABLE serials (id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v INTEGER)";
      };
      exec(c, ddl);
      ChangeCapture.install(c, "serials");
      exec(c, "INSERT INTO serials (v) VALUES (0)", "INSERT INTO serials (v) VALUES (0)",
          "INSERT INTO serials (v) VALUES (0)"); // the log's own sequence runs ahead of the table's
      long generated;
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO serials (v) VALUES (1)", Statement.RETURN_GENERATED_KEYS);
        try (ResultSet rs = s.getGeneratedKeys()) {
          assertThat(rs.next()).isTrue();
          generated = rs.getLong(1);
        }
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM serials WHERE v = 1")) {
        rs.next();
        assertThat(generated).isEqualTo(rs.getLong(1));
      }
    }
  }

  private static List<String> triggers(Connection c, Backend backend) throws SQLException {
    String sql = switch (backend) {
      case POSTGRES -> "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'collegedb%'";
      case MARIADB -> "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = DATABASE() "
          + "AND trigger_name LIKE 'collegedb%'";
      case SQLITE -> "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'collegedb%'";
      case H2 -> "SELECT DISTINCT TRIGGER_NAME FROM INFORMATION_SCHEMA.TRIGGERS WHERE TRIGGER_NAME LIKE 'collegedb%'";
    };
    return strings(c, sql);
  }

  /** The capture triggers of the tables {@code kept} and {@code dropped} (other tests' tables keep theirs on H2). */
  private static List<String> ownTriggers(Connection c, Backend backend) throws SQLException {
    return triggers(c, backend).stream().filter(n -> n.toLowerCase(java.util.Locale.ROOT).matches(
        "collegedb_cap_(kept|dropped).*|collegedb_capture")).toList();
  }

  private static List<String> captureTables(Connection c, Backend backend) throws SQLException {
    String sql = switch (backend) {
      case POSTGRES -> "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'collegedb_change%'";
      case MARIADB -> "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
          + "AND table_name LIKE 'collegedb_change%'";
      case SQLITE -> "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'collegedb_change%'";
      case H2 -> "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) LIKE 'collegedb_change%'";
    };
    List<String> found = strings(c, sql);
    if (backend == Backend.POSTGRES) {
      found.addAll(strings(c, "SELECT proname FROM pg_proc WHERE proname = 'collegedb_capture'"));
    }
    return found;
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
