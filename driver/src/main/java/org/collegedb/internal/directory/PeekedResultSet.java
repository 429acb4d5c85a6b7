package org.collegedb.internal.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.collegedb.internal.merge.ForwardingResultSet;

/** A result set whose first row has been looked at, to know whether there is one; the caller still sees every row. */
public final class PeekedResultSet extends ForwardingResultSet {
  private final ResultSet rows;
  private final boolean first;
  private boolean started;

  public PeekedResultSet(ResultSet rows) throws SQLException {
    this.rows = rows;
    this.first = rows.next();
  }

  /** Whether there is at least one row. */
  public boolean hasRow() {
    return first;
  }

  @Override
  protected ResultSet delegate() {
    return rows;
  }

  @Override
  public boolean next() throws SQLException {
    if (!started) {
      started = true;
      return first;
    }
    return first && rows.next();
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    return !started && first;
  }

  @Override
  public boolean isFirst() throws SQLException {
    return started && first && rows.isFirst();
  }

  @Override
  public int getRow() throws SQLException {
    return started ? rows.getRow() : 0;
  }
}
