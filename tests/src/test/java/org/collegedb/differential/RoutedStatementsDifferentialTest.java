package org.collegedb.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.collegedb.fixtures.EveryBackend;
import org.collegedb.fixtures.Rows;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * Sharded answers equal those of the unsharded reference database holding the same rows: every statement runs on
 * both, and rows (as multisets where no order is asked for) and update counts must match.
 */
class RoutedStatementsDifferentialTest {
  private TestShards shards;
  private Connection sharded;
  private Connection reference;

  private void open(Backend backend, String... settings) throws Exception {
    shards = ShardSets.of(backend, RoutedStatementsDifferentialTest.class);
    Schema.reset(shards);
    sharded = Schema.connect(shards, settings);
    reference = shards.reference();
  }

  private void close() throws SQLException {
    try {
      sharded.close();
    } finally {
      reference.close();
    }
  }

  /** Runs a query on both and compares its rows as multisets. */
  private List<List<Object>> sameRows(String sql) throws SQLException {
    List<List<Object>> expected = Rows.sorted(Rows.query(reference, sql));
    assertThat(Rows.sorted(Rows.query(sharded, sql))).as(sql).isEqualTo(expected);
    return expected;
  }

  /** Runs a prepared query with the same parameters on both and compares its rows as multisets. */
  private void sameRows(String sql, Object... params) throws SQLException {
    assertThat(Rows.sorted(preparedRows(sharded, sql, params))).as(sql)
        .isEqualTo(Rows.sorted(preparedRows(reference, sql, params)));
  }

  private static List<List<Object>> preparedRows(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return Rows.read(ps.executeQuery());
    }
  }

  /** Runs a write on both and compares the update counts; returns the count. */
  private int sameCount(String sql) throws SQLException {
    int expected;
    try (Statement s = reference.createStatement()) {
      expected = s.executeUpdate(sql);
    }
    try (Statement s = sharded.createStatement()) {
      assertThat(s.executeUpdate(sql)).as(sql).isEqualTo(expected);
    }
    return expected;
  }

  private int sameCount(String sql, Object... params) throws SQLException {
    int expected = preparedCount(reference, sql, params);
    assertThat(preparedCount(sharded, sql, params)).as(sql).isEqualTo(expected);
    return expected;
  }

  private static int preparedCount(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  /** Every table holds the same rows on both. */
  private void sameTables() throws SQLException {
    sameRows("SELECT id, name, age FROM users");
    sameRows("SELECT id, user_id, amount, status FROM orders");
    sameRows("SELECT code, name FROM countries");
  }

  private void seed() throws SQLException {
    StringBuilder users = new StringBuilder("INSERT INTO users (id, name, age) VALUES ");
    StringBuilder orders = new StringBuilder("INSERT INTO orders (id, user_id, amount, status) VALUES ");
    for (int id = 1; id <= 60; id++) {
      users.append(id == 1 ? "" : ", ").append("(" + id + ", 'u" + id + "', " + (id % 25) + ")");
      for (int k = 0; k < 3; k++) {
        orders.append(id + k == 1 ? "" : ", ").append("(" + (3 * id + k) + ", " + id + ", " + (id * k) + ".5, '"
            + (k == 0 ? "open" : "paid") + "')");
      }
    }
    assertThat(sameCount(users.toString())).isEqualTo(60);
    assertThat(sameCount(orders.toString())).isEqualTo(180);
    assertThat(sameCount("INSERT INTO countries (code, name) VALUES ('de', 'Germany'), ('fr', 'France'), "
        + "('it', 'Italy')")).isEqualTo(3);
  }

  @EveryBackend
  void readsAnswerAsTheReferenceDoes(Backend backend) throws Exception {
    open(backend);
    try {
      seed();
      assertThat(sameRows("SELECT id, name, age FROM users WHERE id = 17")).hasSize(1);
      sameRows("SELECT id, name, age FROM users WHERE id = ?", 23L);
      sameRows("SELECT name FROM users WHERE id = ?", 999L);
      assertThat(sameRows("SELECT id, name FROM users WHERE id IN (1, 5, 9, 23, 40, 59, 999)")).hasSize(6);
      sameRows("SELECT id, name FROM users WHERE id IN (?, ?, ?, ?) AND age > ?", 2L, 12L, 33L, 48L, 3);
      assertThat(sameRows("SELECT id FROM users WHERE id = 3 OR id = 44 OR id = 51")).hasSize(3);
      sameRows("SELECT id FROM users WHERE (id = 3 OR id = 44) AND name = 'u3'");
      assertThat(sameRows("SELECT id FROM users WHERE id IN (1, 2) OR id IN (3, 44, 45)")).hasSize(5);
      sameRows("SELECT id FROM users WHERE (id IN (1, 17) AND age > 0) OR id = 44");
      sameRows("SELECT id FROM users WHERE id IN (1, 2, 3) AND id IN (2, 3, 4)");
      sameRows("SELECT id FROM users WHERE id NOT IN (1, 2, 3) AND age < 5");
      sameRows("SELECT id FROM users WHERE NOT (id = 1 OR id = 2)");
      sameRows("SELECT id FROM users WHERE id = 1 AND id = 2");
      sameRows("SELECT id FROM users WHERE id = 3 OR id IS NULL");
      assertThat(sameRows("SELECT id, name FROM users WHERE age > 10")).hasSizeGreaterThan(10);
      assertThat(sameRows("SELECT * FROM orders WHERE status = 'open'")).hasSize(60);
      sameRows("SELECT * FROM orders");
      sameRows("SELECT o.id, o.amount FROM orders o WHERE o.user_id IN (4, 8, 15, 16, 23, 42)");
      assertThat(sameRows("SELECT u.id, u.name, o.amount FROM users u JOIN orders o ON o.user_id = u.id "
          + "WHERE o.status = 'paid'")).hasSize(120);
      sameRows("SELECT u.name, o.amount FROM users u JOIN orders o ON u.id = o.user_id WHERE u.id = ?", 7L);
      sameRows("SELECT u.id, c.name FROM users u, countries c WHERE u.age = 3");
      sameRows("SELECT code, name FROM countries WHERE code = 'fr'");
      sameRows("SELECT id FROM users WHERE name LIKE 'u1%' AND id > 5");
      for (Connection c : List.of(sharded, reference)) {
        try (Statement s = c.createStatement()) {
          s.setMaxRows(7);
          assertThat(Rows.read(s.executeQuery("SELECT id FROM users WHERE age > 1"))).as("max rows").hasSize(7);
        }
      }
    } finally {
      close();
    }
  }

  @EveryBackend
  void writesCountAsTheReferenceDoes(Backend backend) throws Exception {
    open(backend);
    try {
      seed();
      assertThat(sameCount("UPDATE users SET age = 70 WHERE id = 12")).isEqualTo(1);
      assertThat(sameCount("UPDATE users SET name = ? WHERE id = ?", "twelve", 12L)).isEqualTo(1);
      assertThat(sameCount("UPDATE users SET age = 71 WHERE id = 1000")).isZero();
      assertThat(sameCount("UPDATE users SET age = age + 1 WHERE id IN (3, 4, 5, 30, 31, 1000)")).isEqualTo(5);
      assertThat(sameCount("UPDATE users SET age = 0 WHERE id = 8 OR id = 9")).isEqualTo(2);
      assertThat(sameCount("UPDATE users SET age = age * 2 WHERE age > 12")).isGreaterThan(10);
      assertThat(sameCount("UPDATE orders SET status = 'shipped' WHERE status = 'paid'")).isEqualTo(120);
      assertThat(sameCount("UPDATE orders SET amount = amount + 1 WHERE user_id = 10")).isEqualTo(3);
      assertThat(sameCount("DELETE FROM orders WHERE user_id = ?", 11L)).isEqualTo(3);
      assertThat(sameCount("DELETE FROM orders WHERE user_id IN (12, 13, 14, 2000)")).isEqualTo(9);
      assertThat(sameCount("DELETE FROM orders WHERE amount > 50")).isPositive();
      assertThat(sameCount("DELETE FROM users WHERE id = 60")).isEqualTo(1);
      assertThat(sameCount("DELETE FROM users WHERE age = 2")).isPositive();
      assertThat(sameCount("INSERT INTO users (id, name, age) VALUES (100, 'a', 1), (101, 'b', 2), (102, 'c', 3), "
          + "(103, 'd', 4), (104, 'e', 5)")).isEqualTo(5);
      assertThat(sameCount("INSERT INTO users (id, name, age) VALUES (?, ?, ?), (?, ?, ?)", 105L, "f", 6, 106L,
          "g", 7)).isEqualTo(2);
      // Broadcast tables: the count is the table's, not the sum over the shards.
      assertThat(sameCount("INSERT INTO countries (code, name) VALUES ('es', 'Spain'), ('pt', 'Portugal')"))
          .isEqualTo(2);
      assertThat(sameCount("INSERT INTO countries (code, name) VALUES (?, ?)", "nl", "Netherlands")).isEqualTo(1);
      assertThat(sameCount("UPDATE countries SET name = upper(name) WHERE code IN ('de', 'fr', 'xx')"))
          .isEqualTo(2);
      assertThat(sameCount("UPDATE countries SET name = name")).isEqualTo(6);
      assertThat(sameCount("DELETE FROM countries WHERE code = 'it'")).isEqualTo(1);
      sameTables();
    } finally {
      close();
    }
  }

  @EveryBackend
  void batchesAreCountedInTheCallersOrder(Backend backend) throws Exception {
    open(backend);
    try {
      seed();
      String insert = "INSERT INTO users (id, name, age) VALUES (?, ?, ?)";
      String update = "UPDATE users SET age = ? WHERE id = ?";
      String broadcast = "INSERT INTO countries (code, name) VALUES (?, ?)";
      for (Connection c : List.of(reference, sharded)) {
        try (PreparedStatement ps = c.prepareStatement(insert)) {
          for (long id = 200; id < 230; id++) {
            ps.setLong(1, id);
            ps.setString(2, "b" + id);
            ps.setInt(3, (int) id % 7);
            ps.addBatch();
          }
          assertThat(ps.executeBatch()).as(c.toString()).containsOnly(1).hasSize(30);
        }
      }
      int[][] counts = new int[2][];
      int n = 0;
      for (Connection c : List.of(reference, sharded)) {
        try (PreparedStatement ps = c.prepareStatement(update)) {
          long[] ids = {205, 9999, 1, 17, 8888, 229, 40, 205};
          for (long id : ids) {
            ps.setInt(1, (int) (id % 11));
            ps.setLong(2, id);
            ps.addBatch();
          }
          counts[n++] = ps.executeBatch();
        }
      }
      assertThat(counts[1]).isEqualTo(counts[0]).containsExactly(1, 0, 1, 1, 0, 1, 1, 1);
      n = 0;
      for (Connection c : List.of(reference, sharded)) {
        try (PreparedStatement ps = c.prepareStatement(broadcast)) {
          for (String code : List.of("aa", "bb", "cc")) {
            ps.setString(1, code);
            ps.setString(2, code.toUpperCase());
            ps.addBatch();
          }
          counts[n++] = ps.executeBatch();
        }
      }
      assertThat(counts[1]).isEqualTo(counts[0]).containsExactly(1, 1, 1);
      n = 0;
      for (Connection c : List.of(reference, sharded)) { // entries spanning shards run one by one
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET age = ? WHERE id IN (?, ?, ?)")) {
          long[][] entries = {{1, 2, 3}, {7, 8, 9999}, {41, 42, 43}, {9998, 9997, 9996}};
          for (int e = 0; e < entries.length; e++) {
            ps.setInt(1, 80 + e);
            for (int k = 0; k < 3; k++) {
              ps.setLong(k + 2, entries[e][k]);
            }
            ps.addBatch();
          }
          counts[n++] = ps.executeBatch();
        }
      }
      assertThat(counts[1]).isEqualTo(counts[0]).containsExactly(3, 2, 3, 0);
      sameRows("SELECT id, age FROM users WHERE age >= 80");
      n = 0;
      for (Connection c : List.of(reference, sharded)) {
        try (Statement s = c.createStatement()) {
          s.addBatch("UPDATE users SET name = 'x' WHERE id = 3");
          s.addBatch("UPDATE users SET name = 'y' WHERE id IN (4, 5, 6)");
          s.addBatch("DELETE FROM orders WHERE status = 'open'");
          s.addBatch("INSERT INTO users (id, name) VALUES (300, 'p'), (301, 'q')");
          counts[n++] = s.executeBatch();
        }
      }
      assertThat(counts[1]).isEqualTo(counts[0]).containsExactly(1, 3, 60, 2);
      sameTables();
    } finally {
      close();
    }
  }

  /** The ids of users on each shard, read directly. */
  private boolean onShard(long id) throws SQLException {
    String owner = sharded.unwrap(CollegeConnection.class).shardOf("users", id);
    boolean found = false;
    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i)) {
        long n = Rows.count(d, "SELECT COUNT(*) FROM users WHERE id = " + id);
        assertThat(n).as("user %d on %s", id, shards.names().get(i))
            .isLessThanOrEqualTo(shards.names().get(i).equals(owner) ? 1 : 0);
        found |= n == 1;
      }
    }
    return found;
  }

  @EveryBackend
  void transactionsSpanShards(Backend backend) throws Exception {
    open(backend);
    try {
      seed();
      long[] ids = {500, 501, 502, 503, 504, 505, 506, 507};
      CollegeConnection college = sharded.unwrap(CollegeConnection.class);
      assertThat(java.util.Arrays.stream(ids).mapToObj(id -> {
        try {
          return college.shardOf("users", id);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }).distinct().count()).as("the transaction spans shards").isGreaterThan(2);
      for (Connection c : List.of(reference, sharded)) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name, age) VALUES (?, 'tx', 1)")) {
          for (long id : ids) {
            ps.setLong(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
          }
        }
        try (Statement s = c.createStatement()) {
          assertThat(s.executeUpdate("UPDATE users SET name = 'in-tx' WHERE id IN (1, 2, 3, 4, 5, 6)")).isEqualTo(6);
          assertThat(s.executeUpdate("DELETE FROM orders WHERE status = 'open'")).isEqualTo(60);
        }
      }
      for (long id : ids) {
        assertThat(onShard(id)).as("uncommitted user %d seen directly", id).isFalse();
      }
      // Inside the transaction, the connection sees its own writes.
      sameRows("SELECT id, name FROM users WHERE id >= 500 OR name = 'in-tx'");
      reference.commit();
      sharded.commit();
      for (long id : ids) {
        assertThat(onShard(id)).as("committed user %d on its shard", id).isTrue();
      }
      sameTables();

      for (Connection c : List.of(reference, sharded)) {
        try (Statement s = c.createStatement()) {
          assertThat(s.executeUpdate("INSERT INTO users (id, name) VALUES (600, 'r'), (601, 's'), (602, 't'), "
              + "(603, 'u')")).isEqualTo(4);
          assertThat(s.executeUpdate("DELETE FROM users WHERE id IN (500, 501, 502, 503)")).isEqualTo(4);
          assertThat(s.executeUpdate("UPDATE orders SET amount = 0")).isEqualTo(120);
        }
        c.rollback();
        c.setAutoCommit(true);
      }
      for (long id = 600; id <= 603; id++) {
        assertThat(onShard(id)).as("rolled-back user %d", id).isFalse();
      }
      for (long id = 500; id <= 503; id++) {
        assertThat(onShard(id)).as("user %d whose delete was rolled back", id).isTrue();
      }
      sameTables();
      // Turning auto-commit back on commits the open transaction (JDBC).
      sharded.setAutoCommit(false);
      try (Statement s = sharded.createStatement()) {
        assertThat(s.executeUpdate("INSERT INTO users (id, name) VALUES (700, 'a'), (701, 'b'), (702, 'c')"))
            .isEqualTo(3);
      }
      sharded.setAutoCommit(true);
      for (long id = 700; id <= 702; id++) {
        assertThat(onShard(id)).as("user %d committed by setAutoCommit(true)", id).isTrue();
      }
      try (Statement s = sharded.createStatement()) {
        assertThat(s.executeUpdate("DELETE FROM users WHERE id >= 700")).isEqualTo(3);
      }
      // Back in auto-commit mode, a multi-shard write is committed at once.
      sameCount("UPDATE users SET age = 5 WHERE id IN (500, 501, 502, 503, 504)");
      for (int i = 0; i < shards.count(); i++) {
        try (Connection d = shards.direct(i)) {
          assertThat(Rows.count(d, "SELECT COUNT(*) FROM users WHERE id BETWEEN 500 AND 504 AND age <> 5")).isZero();
        }
      }
    } finally {
      close();
    }
  }

  @EveryBackend
  void closingAConnectionRollsBackItsTransactionOnEveryShard(Backend backend) throws Exception {
    open(backend);
    try {
      try (Connection c = Schema.connect(shards); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        assertThat(s.executeUpdate("INSERT INTO users (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), "
            + "(5, 'e'), (6, 'f'), (7, 'g'), (8, 'h')")).isEqualTo(8);
      }
      for (long id = 1; id <= 8; id++) {
        assertThat(onShard(id)).as("user %d of a transaction never committed", id).isFalse();
      }
    } finally {
      close();
    }
  }

  @EveryBackend
  void generatedKeysOfASingleShardInsert(Backend backend) throws Exception {
    open(backend, "tables.events.key", "user_id");
    try {
      String ddl = backend == Backend.SQLITE
          ? "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id BIGINT NOT NULL, note VARCHAR(20))"
          : backend == Backend.MARIADB
          ? "CREATE TABLE events (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT NOT NULL, note VARCHAR(20))"
          : "CREATE TABLE events (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, user_id BIGINT NOT NULL, "
              + "note VARCHAR(20))";
      try (Statement s = sharded.createStatement()) {
        s.execute("DROP TABLE IF EXISTS events");
        s.execute(ddl);
      }
      CollegeConnection college = sharded.unwrap(CollegeConnection.class);
      for (long user : new long[] {1, 2, 3, 4, 5, 6, 7, 8}) {
        long key;
        if (user % 2 == 0) {
          try (PreparedStatement ps = sharded.prepareStatement("INSERT INTO events (user_id, note) VALUES (?, ?)",
              Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, user);
            ps.setString(2, "p" + user);
            assertThat(ps.executeUpdate()).isEqualTo(1);
            key = singleKey(ps.getGeneratedKeys());
          }
        } else {
          try (Statement s = sharded.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO events (user_id, note) VALUES (" + user + ", 's" + user + "')",
                Statement.RETURN_GENERATED_KEYS)).isEqualTo(1);
            key = singleKey(s.getGeneratedKeys());
          }
        }
        assertThat(college.lastExecution().shards()).containsExactly(college.shardOf("events", user));
        int owner = shards.names().indexOf(college.shardOf("events", user));
        try (Connection d = shards.direct(owner)) {
          assertThat(Rows.count(d, "SELECT user_id FROM events WHERE id = " + key)).isEqualTo(user);
        }
      }
    } finally {
      close();
    }
  }

  private static long singleKey(ResultSet keys) throws SQLException {
    try (keys) {
      assertThat(keys.next()).as("a generated key").isTrue();
      long key = keys.getLong(1);
      assertThat(keys.next()).as("one generated key").isFalse();
      return key;
    }
  }

  @EveryBackend
  void insertSelectAndSubqueriesOnBroadcastTablesAnswerAsTheReferenceDoes(Backend backend) throws Exception {
    open(backend);
    try {
      seed();
      assertThat(sameCount("INSERT INTO orders (id, user_id, amount, status) SELECT id + 1000, id, 1, 'copy' "
          + "FROM users WHERE age > 10")).isPositive();
      assertThat(sameCount("INSERT INTO users (id, name, age) SELECT id + 100, name, 1 FROM users WHERE id IN "
          + "(1, 2, 3, 4, 5, 6)")).isEqualTo(6);
      // MariaDB compares text case-insensitively: 'DE' is the key 'de' there.
      assertThat(sameCount("INSERT INTO countries (code, name) SELECT " + (backend == Backend.MARIADB ? "reverse(code)"
          : "upper(code)") + ", name FROM countries")).isEqualTo(3);
      assertThat(sameCount("UPDATE users SET name = (SELECT name FROM countries WHERE code = 'de') WHERE id = 3"))
          .isEqualTo(1);
      assertThat(sameCount("UPDATE users SET name = (SELECT name FROM countries WHERE code = 'fr') WHERE age = 4"))
          .isPositive();
      assertThat(sameCount("DELETE FROM users WHERE name IN (SELECT name FROM countries) AND id <> 3"))
          .isPositive();
      sameTables();
    } finally {
      close();
    }
  }

  @EveryBackend
  void upsertsAndReturningAnswerAsTheReferenceDoes(Backend backend) throws Exception {
    if (backend == Backend.H2) {
      return; // H2 has neither ON CONFLICT nor RETURNING
    }
    open(backend);
    if (backend == Backend.MARIADB) { // MariaDB's upserts; RETURNING on INSERT and DELETE (not UPDATE)
      try {
        seed();
        assertThat(sameCount("INSERT INTO users (id, name) VALUES (1, 'up1'), (70, 'new70'), (2, 'up2'), "
            + "(71, 'new71') ON DUPLICATE KEY UPDATE name = VALUES(name)")).isPositive();
        assertThat(sameCount("INSERT IGNORE INTO users (id, name) VALUES (3, 'no'), (72, 'new72')")).isEqualTo(1);
        assertThat(sameCount("REPLACE INTO countries (code, name) VALUES ('de', 'DE'), ('nl', 'NL')")).isPositive();
        sameTables();
        assertThat(sameRows("INSERT INTO users (id, name) VALUES (80, 'r80'), (81, 'r81'), (82, 'r82'), "
            + "(83, 'r83') RETURNING id, name")).hasSize(4);
        assertThat(sameRows("DELETE FROM users WHERE id IN (80, 81, 82) RETURNING id")).hasSize(3);
        sameTables();
      } finally {
        close();
      }
      return;
    }
    try {
      seed();
      assertThat(sameCount("INSERT INTO users (id, name) VALUES (1, 'up1'), (70, 'new70'), (2, 'up2'), (71, 'new71') "
          + "ON CONFLICT (id) DO UPDATE SET name = excluded.name")).isEqualTo(4);
      assertThat(sameCount("INSERT INTO users (id, name) VALUES (3, 'no'), (72, 'new72') ON CONFLICT DO NOTHING"))
          .isEqualTo(1);
      assertThat(sameCount("INSERT INTO countries (code, name) VALUES ('de', 'DE'), ('nl', 'NL') "
          + "ON CONFLICT (code) DO UPDATE SET name = excluded.name")).isEqualTo(2);
      sameTables();
      assertThat(sameRows("INSERT INTO users (id, name) VALUES (80, 'r80'), (81, 'r81'), (82, 'r82'), (83, 'r83') "
          + "RETURNING id, name")).hasSize(4);
      assertThat(sameRows("UPDATE users SET age = 33 WHERE id IN (80, 81, 82, 83, 5) RETURNING id, age")).hasSize(5);
      assertThat(sameRows("DELETE FROM users WHERE id IN (80, 81, 82) RETURNING id")).hasSize(3);
      assertThat(sameRows("UPDATE countries SET name = 'Frankreich' WHERE code = 'fr' RETURNING code, name"))
          .hasSize(1);
      sameTables();
    } finally {
      close();
    }
  }

  @EveryBackend
  void decimalsAndNullsCompareAsTheReferenceDoes(Backend backend) throws Exception {
    open(backend);
    try {
      assertThat(sameCount("INSERT INTO orders (id, user_id, amount, status) VALUES (?, ?, ?, ?)", 1L, 1L,
          new BigDecimal("12.50"), null)).isEqualTo(1);
      assertThat(sameCount("INSERT INTO orders (id, user_id, amount, status) VALUES (2, 2, NULL, 'x'), "
          + "(3, 3, 0.01, NULL), (4, 4, -3, 'y')")).isEqualTo(3);
      sameRows("SELECT id, user_id, amount, status FROM orders WHERE status IS NULL");
      sameRows("SELECT * FROM orders WHERE amount IS NOT NULL");
      sameRows("SELECT * FROM orders WHERE user_id IN (1, 2, 3, 4)");
    } finally {
      close();
    }
  }
}
