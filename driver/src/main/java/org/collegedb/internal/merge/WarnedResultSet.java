package org.collegedb.internal.merge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;

/** A result set with a warning of CollegeDB's before its own (for example the shards a partial read skipped). */
public final class WarnedResultSet extends ForwardingResultSet {
  private final ResultSet rows;
  private SQLWarning warning;

  public WarnedResultSet(ResultSet rows, SQLWarning warning) {
    this.rows = rows;
    this.warning = warning;
  }

  @Override
  protected ResultSet delegate() {
    return rows;
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    SQLWarning own = rows.getWarnings();
    if (warning == null) {
      return own;
    }
    SQLWarning first = new SQLWarning(warning.getMessage(), warning.getSQLState(), warning.getErrorCode());
    if (own != null) {
      first.setNextWarning(own);
    }
    return first;
  }

  @Override
  public void clearWarnings() throws SQLException {
    warning = null;
    rows.clearWarnings();
  }
}
