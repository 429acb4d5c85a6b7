package org.collegedb.internal.execute;

import java.sql.BatchUpdateException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;

/**
 * Puts the shard's name in front of an error from that shard, keeping its class, SQLState and vendor code, so that
 * applications that look at those (Spring, Hibernate) see the same error a single database would give.
 */
public final class ShardErrors {
  private ShardErrors() {
  }

  private static final java.util.Map<java.sql.Connection, String> NAMES =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** Remembers which shard a physical connection belongs to, so errors met later (streaming rows) name it. */
  static void register(java.sql.Connection physical, String shard) {
    NAMES.put(physical, shard);
  }

  static void unregister(java.sql.Connection physical) {
    NAMES.remove(physical);
  }

  /**
   * {@code rows.next()} on a shard's result set, with an error (an I/O failure while fetching the next rows) named
   * after the shard the result set came from.
   */
  public static boolean next(java.sql.ResultSet rows) throws SQLException {
    try {
      return rows.next();
    } catch (SQLException e) {
      throw named(e, shardOf(rows));
    }
  }

  /** The shard a result set came from, or null if it is not known. */
  public static String shardOf(java.sql.ResultSet rows) {
    try {
      java.sql.Statement st = rows.getStatement();
      return st == null ? null : NAMES.get(st.getConnection());
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Closes a shard's statement. A statement whose connection is gone cannot be closed cleanly (some drivers try to read
   * the rest of a streamed result): that is not an error for the application, whose statement is closed either way.
   */
  public static void close(java.sql.Statement st) throws SQLException {
    try {
      st.close();
    } catch (SQLException e) {
      if (!ShardConnections.connectionLost(e)) {
        throw e;
      }
    }
  }

  public static SQLException named(SQLException e, String shard) {
    if (shard == null) {
      return e;
    }
    String prefix = "shard '" + shard + "': ";
    if (e.getMessage() != null && e.getMessage().startsWith("shard '")) {
      return e;
    }
    String message = prefix + e.getMessage();
    String state = e.getSQLState();
    int code = e.getErrorCode();
    SQLException named;
    String sqlite = state == null ? SqliteStates.of(e) : null;
    if (sqlite != null) {
      state = sqlite;
      if (e instanceof BatchUpdateException b) {
        named = new BatchUpdateException(message, state, code, b.getLargeUpdateCounts(), e);
      } else {
        named = ofState(message, state, code, e);
      }
    } else if (e instanceof BatchUpdateException b) {
      named = new BatchUpdateException(message, state, code, b.getLargeUpdateCounts(), e);
    } else if (e instanceof SQLIntegrityConstraintViolationException) {
      named = new SQLIntegrityConstraintViolationException(message, state, code, e);
    } else if (e instanceof SQLSyntaxErrorException) {
      named = new SQLSyntaxErrorException(message, state, code, e);
    } else if (e instanceof SQLDataException) {
      named = new SQLDataException(message, state, code, e);
    } else if (e instanceof SQLTimeoutException) {
      named = new SQLTimeoutException(message, state, code, e);
    } else if (e instanceof SQLTransactionRollbackException) {
      named = new SQLTransactionRollbackException(message, state, code, e);
    } else if (e instanceof SQLFeatureNotSupportedException) {
      named = new SQLFeatureNotSupportedException(message, state, code, e);
    } else if (e instanceof SQLNonTransientConnectionException) {
      named = new SQLNonTransientConnectionException(message, state, code, e);
    } else if (e instanceof SQLTransientConnectionException) {
      named = new SQLTransientConnectionException(message, state, code, e);
    } else {
      named = new SQLException(message, state, code, e);
    }
    return named;
  }

  /** An exception of the JDBC class that goes with an SQLState (for errors whose driver gave none). */
  private static SQLException ofState(String message, String state, int code, SQLException cause) {
    return switch (state.substring(0, 2)) {
      case "23" -> new SQLIntegrityConstraintViolationException(message, state, code, cause);
      case "42" -> new SQLSyntaxErrorException(message, state, code, cause);
      case "22" -> new SQLDataException(message, state, code, cause);
      case "40" -> new SQLTransactionRollbackException(message, state, code, cause);
      case "08" -> new SQLNonTransientConnectionException(message, state, code, cause);
      case "0A" -> new SQLFeatureNotSupportedException(message, state, code, cause);
      case "55", "57" -> new java.sql.SQLTransientException(message, state, code, cause);
      default -> new SQLException(message, state, code, cause);
    };
  }
}
