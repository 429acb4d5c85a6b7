package org.collegedb.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQLite driver reports every error with SQLState null. Errors from SQLite shards carry the SQLState a server
 * database gives for the same condition (from SQLite's result code, and for a generic SQLITE_ERROR from its
 * message), the JDBC exception class that goes with it, SQLite's vendor code, and the shard's name.
 */
class SqliteErrorStatesTest {
  private static TestShards shards;
  private static Connection c;

  @BeforeAll
  static void setUp() throws Exception {
    shards = TestShards.create(TestShards.Backend.SQLITE, "sqlite_states", 2);
    c = shards.connect();
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL, qty INT CHECK (qty >= 0), "
          + "code VARCHAR(10) UNIQUE)");
      s.execute("INSERT INTO items (id, name, qty, code) VALUES (1, 'a', 1, 'c1'), (2, 'b', 2, 'c2'), "
          + "(3, 'c', 3, 'c3'), (4, 'd', 4, 'c4')");
    }
  }

  @AfterAll
  static void tearDown() throws SQLException {
    c.close();
  }

  private static SQLException fails(Connection on, String sql) {
    SQLException e = catchThrowableOfType(SQLException.class, () -> {
      try (Statement s = on.createStatement()) {
        if (s.execute(sql)) {
          try (ResultSet rs = s.getResultSet()) {
            rs.next();
          }
        }
      }
    });
    assertThat((Throwable) e).as(sql).isNotNull();
    assertThat(e.getMessage()).as(sql).matches("shard 's[12]': .*");
    return e;
  }

  @Test
  void constraintViolationsAreIntegrityErrorsOfClass23() {
    SQLException duplicate = fails(c, "INSERT INTO items (id, name, qty, code) VALUES (1, 'x', 1, 'c9')");
    assertThat((Throwable) duplicate).isInstanceOf(java.sql.SQLIntegrityConstraintViolationException.class);
    assertThat(duplicate.getSQLState()).isEqualTo("23505");
    assertThat(duplicate.getErrorCode()).as("SQLite's vendor code, SQLITE_CONSTRAINT").isEqualTo(19);
    assertThat(fails(c, "INSERT INTO items (id, name, qty, code) VALUES (5, NULL, 1, 'c5')").getSQLState())
        .isEqualTo("23502");
    assertThat(fails(c, "INSERT INTO items (id, name, qty, code) VALUES (6, 'x', -1, 'c6')").getSQLState())
        .isEqualTo("23514");
    assertThat(fails(c, "UPDATE items SET code = 'c1' WHERE id = 2").getSQLState()).isEqualTo("23505");
  }

  @Test
  void errorsInTheStatementsTextAreSyntaxErrorsOfClass42() {
    SQLException syntax = fails(c, "SELECT id FROM items WHERE id = 1 FETCH FIRST 1 ROWS ONLY");
    assertThat((Throwable) syntax).isInstanceOf(java.sql.SQLSyntaxErrorException.class);
    assertThat(syntax.getSQLState()).isEqualTo("42000");
    assertThat(fails(c, "SELECT nosuch FROM items WHERE id = 1").getSQLState()).isEqualTo("42703");
    assertThat(fails(c, "SELECT id, nosuchfunction(name) FROM items WHERE id = 1").getSQLState())
        .isEqualTo("42883");
    assertThat(fails(c, "SELECT * FROM missing_table").getSQLState()).isEqualTo("42P01");
  }

  @Test
  void aLockedShardIsLockNotAvailable() throws Exception {
    try (Connection quick = shards.connect("shards.s1.properties.busy_timeout", "0",
        "shards.s2.properties.busy_timeout", "0");
         Connection lock = shards.direct(0); Statement hold = lock.createStatement()) {
      try (Statement warm = quick.createStatement(); ResultSet rs = warm.executeQuery("SELECT COUNT(*) FROM items")) {
        rs.next();
      }
      hold.execute("BEGIN EXCLUSIVE");
      try {
        SQLException busy = fails(quick, "UPDATE items SET qty = qty + 1");
        assertThat(busy.getSQLState()).isEqualTo("55P03");
        assertThat((Throwable) busy).isInstanceOf(java.sql.SQLTransientException.class);
        assertThat(busy.getMessage()).startsWith("shard 's1'");
      } finally {
        hold.execute("ROLLBACK");
      }
    }
  }

  @Test
  void aFullShardIsDiskFull() throws Exception {
    // max_page_count cannot go below the file's size: it caps the shards at what they hold now.
    try (Connection capped = shards.connect("shards.s1.properties.max_page_count", "1",
        "shards.s2.properties.max_page_count", "1")) {
      SQLException e = fails(capped, "UPDATE items SET name = '" + "x".repeat(200_000) + "'");
      assertThat(e.getSQLState()).isEqualTo("53100");
    }
  }
}
