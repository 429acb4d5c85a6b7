package org.collegedb.internal.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors of a real SQLite database, named for a shard: SQLite gives no SQLState, the named error has the one a
 * server database gives, the class that goes with it, SQLite's vendor code and the shard's name; an error that has an
 * SQLState keeps it.
 */
class ShardErrorsTest {
  @TempDir
  Path dir;

  private static SQLException failure(Connection c, String sql) {
    SQLException e = catchThrowableOfType(SQLException.class, () -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    });
    assertThat((Throwable) e).as(sql).isNotNull();
    assertThat(e.getSQLState()).as("the SQLite driver's own SQLState").isNull();
    return e;
  }

  @Test
  void aWriteToAReadOnlyDatabaseIsAReadOnlyTransaction() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("ro.db");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    }
    Properties readOnly = new Properties();
    readOnly.setProperty("open_mode", "1");
    try (Connection c = DriverManager.getConnection(url, readOnly)) {
      SQLException named = ShardErrors.named(failure(c, "INSERT INTO t (id) VALUES (1)"), "s2");
      assertThat(named.getSQLState()).isEqualTo("25006");
      assertThat(named.getMessage()).startsWith("shard 's2': [SQLITE_READONLY");
      assertThat(named.getErrorCode()).isEqualTo(8);
    }
  }

  @Test
  void errorsOfTheStatementAndOfConstraints() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("e.db"));
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, p INT REFERENCES t (id))");
      s.execute("PRAGMA foreign_keys = ON");
      s.execute("INSERT INTO t (id) VALUES (1)");
      SQLException fk = ShardErrors.named(failure(c, "INSERT INTO t (id, p) VALUES (2, 99)"), "s1");
      assertThat(fk.getSQLState()).isEqualTo("23503");
      assertThat((Throwable) fk).isInstanceOf(java.sql.SQLIntegrityConstraintViolationException.class);
      assertThat(ShardErrors.named(failure(c, "CREATE TABLE t (x INT)"), "s1").getSQLState()).isEqualTo("42P07");
      assertThat(ShardErrors.named(failure(c, "SELEKT 1"), "s1").getSQLState()).isEqualTo("42000");
    }
    assertThat(Files.exists(dir.resolve("e.db"))).isTrue();
  }

  @Test
  void anErrorWithAnSqlStateKeepsIt() {
    SQLException named = ShardErrors.named(new SQLException("[SQLITE_BUSY] but stated", "40P01", 7), "s3");
    assertThat(named.getSQLState()).isEqualTo("40P01");
    assertThat(named.getErrorCode()).isEqualTo(7);
  }
}
