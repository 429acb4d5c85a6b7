package org.collegedb.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.fixtures.AllBackends;
import org.collegedb.fixtures.Rows;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * Bad input fails with a clear {@link SQLException} and the right SQLState, and writes nothing: every shard is read
 * directly before and after.
 */
class BadInputTest {
  private static final List<String> TABLES = List.of("users", "orders", "countries", "scores", "logs");

  private TestShards shards;
  private Connection c;
  private CollegeConnection college;
  private final List<Connection> direct = new ArrayList<>();

  private void open(Backend backend) throws Exception {
    shards = ShardSets.of(backend, BadInputTest.class);
    Schema.reset(shards);
    c = Schema.connect(shards);
    college = c.unwrap(CollegeConnection.class);
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS scores");
      s.execute("DROP TABLE IF EXISTS logs");
      s.execute("CREATE TABLE scores (id BIGINT PRIMARY KEY, pts INT CHECK (pts < 100))");
      s.execute("CREATE TABLE logs (msg VARCHAR(50))");
      StringBuilder users = new StringBuilder("INSERT INTO users (id, name, age) VALUES ");
      StringBuilder scores = new StringBuilder("INSERT INTO scores (id, pts) VALUES ");
      for (int id = 1; id <= 20; id++) {
        users.append(id == 1 ? "" : ", ").append("(" + id + ", 'u" + id + "', " + id + ")");
        scores.append(id == 1 ? "" : ", ").append("(" + id + ", " + (id == 13 ? 60 : 10) + ")");
      }
      s.executeUpdate(users.toString());
      s.executeUpdate(scores.toString());
      s.executeUpdate("INSERT INTO orders (id, user_id, amount, status) VALUES (1, 1, 10, 'open'), (2, 2, 20, 'open')");
      s.executeUpdate("INSERT INTO countries (code, name) VALUES ('de', 'Germany')");
    }
  }

  private void close() throws SQLException {
    for (Connection d : direct) {
      d.close();
    }
    direct.clear();
    c.close();
  }

  /** Every table's rows on every shard, read directly. */
  private List<List<List<Object>>> snapshot() throws SQLException {
    if (direct.isEmpty()) {
      for (int i = 0; i < shards.count(); i++) {
        direct.add(shards.direct(i));
      }
    }
    List<List<List<Object>>> all = new ArrayList<>();
    for (Connection d : direct) {
      for (String t : TABLES) {
        all.add(Rows.sorted(Rows.query(d, "SELECT * FROM " + t)));
      }
    }
    return all;
  }

  @FunctionalInterface
  private interface Call {
    void run() throws SQLException;
  }

  /** Runs {@code call}, which must fail with {@code state} and change no shard; returns the failure. */
  private SQLException failsWithoutWriting(String state, Call call) throws SQLException {
    List<List<List<Object>>> before = snapshot();
    SQLException e = catchThrowableOfType(SQLException.class, call::run);
    assertThat((Throwable) e).as("expected an SQLException").isNotNull();
    if (state != null) {
      assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(state);
    }
    assertThat(snapshot()).as("shards after: %s", e.getMessage()).isEqualTo(before);
    assertThat(c.getAutoCommit()).isTrue();
    return e;
  }

  private Call update(String sql) {
    return () -> {
      try (Statement s = c.createStatement()) {
        s.executeUpdate(sql);
      }
    };
  }

  private Call prepared(String sql) {
    return () -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.executeUpdate();
      }
    };
  }

  /** After a failure the connection still writes, in auto-commit mode: the row is on its shard at once. */
  private void stillWrites(long id) throws SQLException {
    try (Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("INSERT INTO users (id, name) VALUES (" + id + ", 'after')")).isEqualTo(1);
    }
    try (Connection d = shards.direct(shards.names().indexOf(college.shardOf("users", id)))) {
      assertThat(Rows.count(d, "SELECT COUNT(*) FROM users WHERE id = " + id)).isEqualTo(1);
    }
  }

  @AllBackends
  void malformedSqlIsASyntaxError(Backend backend) throws Exception {
    open(backend);
    try {
      for (String sql : List.of("SELEC * FROM users", "SELECT * FROM users WHERE", "INSERT INTO users (id, name) "
          + "VALUES (900, 'x'", "UPDATE users SET WHERE id = 1", "DELETE FROM users WHERE name = 'unterminated",
          "INSERT INTO users (id, name) VALUES (901, 'a', 'b')", "")) {
        SQLException e = failsWithoutWriting("42000", update(sql));
        assertThat((Throwable) e).as(sql).isInstanceOf(java.sql.SQLSyntaxErrorException.class);
        assertThat(e.getMessage()).as(sql).isNotBlank();
        failsWithoutWriting("42000", prepared(sql));
      }
      stillWrites(1000);
    } finally {
      close();
    }
  }

  @AllBackends
  void moreThanOneStatementInOneCallIsRefused(Backend backend) throws Exception {
    open(backend);
    try {
      for (String sql : List.of("INSERT INTO users (id, name) VALUES (900, 'a'); DELETE FROM users",
          "DELETE FROM users WHERE id = 1; DELETE FROM users WHERE id = 2", "SELECT 1; SELECT 2",
          "UPDATE users SET age = 1 WHERE id = 3;;UPDATE users SET age = 2")) {
        SQLException e = failsWithoutWriting("42000", update(sql));
        assertThat(e.getMessage()).as(sql).contains("more than one statement");
      }
      // A trailing semicolon ends the one statement.
      try (Statement s = c.createStatement()) {
        assertThat(s.executeUpdate("UPDATE users SET age = 50 WHERE id = 3;")).isEqualTo(1);
      }
      stillWrites(1001);
    } finally {
      close();
    }
  }

  @AllBackends
  void writesToTablesCollegeDbCannotPlaceAreRefused(Backend backend) throws Exception {
    open(backend);
    try {
      for (String sql : List.of("INSERT INTO nosuch (id) VALUES (1)", "UPDATE nosuch SET a = 1 WHERE id = 1",
          "DELETE FROM nosuch")) {
        SQLException e = failsWithoutWriting("42P01", update(sql));
        assertThat(e.getMessage()).as(sql).contains("'nosuch'").contains("tables.nosuch.key");
      }
      for (String sql : List.of("INSERT INTO logs (msg) VALUES ('x')", "UPDATE logs SET msg = 'y'",
          "DELETE FROM logs WHERE msg = 'x'")) {
        SQLException e = failsWithoutWriting("0A000", update(sql));
        assertThat((Throwable) e).isInstanceOf(SQLFeatureNotSupportedException.class);
        assertThat(e.getMessage()).as(sql).contains("tables.logs.key").contains("tables.logs.broadcast");
      }
      SQLException e = catchThrowableOfType(SQLException.class, () -> Rows.query(c, "SELECT * FROM nosuch"));
      assertThat((Throwable) e).as("reading a table no shard has").isNotNull();
      assertThat(e.getMessage()).containsIgnoringCase("nosuch");
      stillWrites(1002);
    } finally {
      close();
    }
  }

  @AllBackends
  void anUpdateOfTheShardKeyMovesTheRowOrFailsWithoutWriting(Backend backend) throws Exception {
    open(backend);
    try {
      // an expression for the new key: refused before any shard is touched
      SQLException e = failsWithoutWriting("0A000", update("UPDATE users SET id = id + 1"));
      assertThat(e.getMessage()).contains("shard key");
      // a key another row has: fails as on one database (unique key), and moves nothing
      e = failsWithoutWriting(null, update("UPDATE users SET name = 'x', id = 6 WHERE id IN (5, 6)"));
      assertThat(e.getSQLState()).as(e.getMessage()).startsWith("23");
      // a new key: the row moves to its shard (KeyMoveTest checks every shard)
      try (PreparedStatement ps = c.prepareStatement("UPDATE users SET id = ? WHERE id = ?")) {
        ps.setLong(1, 99);
        ps.setLong(2, 5);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      assertThat(Rows.query(c, "SELECT name FROM users WHERE id = 99")).containsExactly(List.of("u5"));
      assertThat(Rows.query(c, "SELECT name FROM users WHERE id = 5")).isEmpty();
      // Setting the key to the value it has moves nothing.
      try (PreparedStatement ps = c.prepareStatement("UPDATE users SET id = ?, name = 'same' WHERE id = ?")) {
        ps.setInt(1, 99);
        ps.setLong(2, 99L);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      assertThat(Rows.query(c, "SELECT name FROM users WHERE id = 99")).containsExactly(List.of("same"));
    } finally {
      close();
    }
  }

  @AllBackends
  void aNullShardKeyIsRefused(Backend backend) throws Exception {
    open(backend);
    try {
      for (String sql : List.of("INSERT INTO users (id, name) VALUES (NULL, 'x')",
          "INSERT INTO users (id, name) VALUES (900, 'a'), (NULL, 'b'), (901, 'c')",
          "INSERT INTO orders (id, user_id) VALUES (50, NULL)")) {
        SQLException e = failsWithoutWriting("23502", update(sql));
        assertThat(e.getMessage()).as(sql).contains("NULL");
      }
      failsWithoutWriting("23502", () -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
          ps.setNull(1, Types.BIGINT);
          ps.setString(2, "n");
          ps.executeUpdate();
        }
      });
      failsWithoutWriting("23502", () -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
          ps.setObject(1, null);
          ps.setString(2, "n");
          ps.executeUpdate();
        }
      });
      SQLException e = failsWithoutWriting("0A000", update("INSERT INTO orders (id, amount) VALUES (70, 1)"));
      assertThat(e.getMessage()).contains("'user_id'");
      stillWrites(1003);
    } finally {
      close();
    }
  }

  @AllBackends
  void aMultiShardInsertFailingOnOneShardChangesNoShard(Backend backend) throws Exception {
    open(backend);
    try {
      long[] ids = {500, 501, 502, 503, 504, 505, 506, 507, 17}; // 17 exists already
      java.util.Set<String> owners = new java.util.TreeSet<>();
      StringBuilder sql = new StringBuilder("INSERT INTO users (id, name) VALUES ");
      for (int i = 0; i < ids.length; i++) {
        owners.add(college.shardOf("users", ids[i]));
        sql.append(i == 0 ? "" : ", ").append("(" + ids[i] + ", 'new')");
      }
      assertThat(owners).as("the insert spans shards").hasSizeGreaterThan(2);
      SQLException e = failsWithoutWriting(null, update(sql.toString()));
      assertThat(e.getMessage()).contains("shard '" + college.shardOf("users", 17L) + "'");
      // The same with parameters.
      failsWithoutWriting(null, () -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, 'p'), (?, 'p'), "
            + "(?, 'p'), (?, 'p')")) {
          ps.setLong(1, 600);
          ps.setLong(2, 601);
          ps.setLong(3, 3);
          ps.setLong(4, 602);
          ps.executeUpdate();
        }
      });
      stillWrites(1004);
    } finally {
      close();
    }
  }

  @AllBackends
  void aMultiShardWriteFailingInATransactionLeavesNoneOfItsRows(Backend backend) throws Exception {
    open(backend);
    try {
      List<List<List<Object>>> before = snapshot();
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        assertThat(s.executeUpdate("UPDATE users SET name = 'kept' WHERE id = 1")).isEqualTo(1);
        SQLException e = catchThrowableOfType(SQLException.class, () -> s.executeUpdate("INSERT INTO users (id, name) "
            + "VALUES (500, 'x'), (501, 'x'), (502, 'x'), (503, 'x'), (504, 'x'), (505, 'x'), (17, 'dup')"));
        assertThat((Throwable) e).isNotNull();
        e = catchThrowableOfType(SQLException.class, () -> s.executeUpdate("UPDATE scores SET pts = pts + 50"));
        assertThat((Throwable) e).isNotNull();
        // The transaction goes on without the failed statements, as it would on one database that rolls back a
        // failed statement: the earlier update stays, nothing of the failed ones does.
        assertThat(s.executeUpdate("UPDATE users SET age = 77 WHERE id IN (2, 3, 4, 5, 6, 7, 8)")).isEqualTo(7);
      }
      c.commit();
      c.setAutoCommit(true);
      assertThat(Rows.query(c, "SELECT name FROM users WHERE id = 1")).containsExactly(List.of("kept"));
      assertThat(Rows.query(c, "SELECT id FROM users WHERE id >= 500")).isEmpty();
      assertThat(Rows.query(c, "SELECT id FROM users WHERE age = 77")).hasSize(7);
      assertThat(Rows.query(c, "SELECT id FROM scores WHERE pts > 60")).isEmpty();
      assertThat(snapshot()).isNotEqualTo(before);
    } finally {
      close();
    }
  }

  @AllBackends
  void aFailingBatchChangesNoShard(Backend backend) throws Exception {
    open(backend);
    try {
      String insert = "INSERT INTO users (id, name) VALUES (?, ?)";
      for (long bad : new long[] {-1, 17}) { // -1: a NULL key, refused before any shard runs; 17 exists already
        SQLException e = failsWithoutWriting(bad < 0 ? "23502" : null, () -> {
          try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (long id = 700; id < 712; id++) {
              ps.setLong(1, id == 705 ? Math.max(bad, 0) : id);
              if (id == 705 && bad < 0) {
                ps.setNull(1, Types.BIGINT);
              }
              ps.setString(2, "b");
              ps.addBatch();
            }
            ps.executeBatch();
          }
        });
        assertThat((Throwable) e).isInstanceOf(java.sql.BatchUpdateException.class);
      }
      stillWrites(1006);
    } finally {
      close();
    }
  }

  @AllBackends
  void aFanOutWriteFailingOnOneShardChangesNoShard(Backend backend) throws Exception {
    open(backend);
    try {
      // Only the shard holding score 13 (60 points) breaks the CHECK constraint.
      SQLException e = failsWithoutWriting(null, update("UPDATE scores SET pts = pts + 50"));
      assertThat(e.getMessage()).contains("shard '" + college.shardOf("scores", 13L) + "'");
      failsWithoutWriting(null, update("UPDATE scores SET pts = pts + 45 WHERE id IN (1, 2, 3, 4, 5, 6, 13)"));
      stillWrites(1005);
      try (Statement s = c.createStatement()) {
        assertThat(s.executeUpdate("UPDATE scores SET pts = pts + 30")).isEqualTo(20);
      }
    } finally {
      close();
    }
  }
}
