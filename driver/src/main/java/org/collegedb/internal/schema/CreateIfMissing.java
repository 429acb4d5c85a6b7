package org.collegedb.internal.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs a {@code CREATE TABLE IF NOT EXISTS} for CollegeDB's own tables that instances create when they first reach a
 * database. On PostgreSQL it is not atomic: of two sessions creating the same table at once, one fails with
 * {@code 23505} (a duplicate row in {@code pg_type} or {@code pg_namespace}), {@code 42P07}/{@code 42P06} (the
 * table or schema exists) or {@code 42710} (its row type exists); the table then exists, which is all the statement
 * wants. Tolerated in auto-commit only: in a transaction the failure has aborted it, and it is reported.
 */
public final class CreateIfMissing {
  private CreateIfMissing() {
  }

  public static void run(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      String state = e.getSQLState();
      if (!c.getAutoCommit() || !("23505".equals(state) || "42P07".equals(state) || "42710".equals(state)
          || "42P06".equals(state))) {
        throw e;
      }
    }
  }
}
