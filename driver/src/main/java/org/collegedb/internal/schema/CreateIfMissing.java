package org.collegedb.internal.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * Runs a {@code CREATE SCHEMA/TABLE/INDEX IF NOT EXISTS} for CollegeDB's own objects that instances create when they
 * first reach a database. On PostgreSQL it is not atomic: of two sessions creating the same object at once, one fails
 * with {@code 23505} (a duplicate row in {@code pg_type} or {@code pg_namespace}), {@code 42P07}/{@code 42P06} (the
 * table or schema exists) or {@code 42710} (its row type exists), after waiting for the other's transaction to
 * commit; the object then exists, which is all the statement wants. In auto-commit the failure is ignored; inside a
 * transaction on PostgreSQL the statement runs under a savepoint, rolled back to on such a failure, so the
 * transaction goes on. Elsewhere (another product inside a transaction) a failure is reported as before.
 */
public final class CreateIfMissing {
  private CreateIfMissing() {
  }

  public static void run(Connection c, String sql) throws SQLException {
    boolean auto = c.getAutoCommit();
    Savepoint savepoint = !auto && "PostgreSQL".equals(c.getMetaData().getDatabaseProductName())
        ? c.setSavepoint() : null;
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      if (!raced(e) || !auto && savepoint == null) {
        throw e;
      }
      if (savepoint != null) {
        c.rollback(savepoint); // the object exists (the other session committed it): the transaction goes on
      }
    }
    if (savepoint != null) {
      c.releaseSavepoint(savepoint);
    }
  }

  /** Whether {@code e} is PostgreSQL's failure of a session that lost the race to create the same object. */
  static boolean raced(SQLException e) {
    String state = e.getSQLState();
    return "23505".equals(state) || "42P07".equals(state) || "42710".equals(state) || "42P06".equals(state);
  }
}
