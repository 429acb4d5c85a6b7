package org.collegedb.merge;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import org.collegedb.SqlStates;

/**
 * The rows of one shard, or of several shards one after the other, read straight from the shards' result sets:
 * nothing is copied, and {@code getX} calls go to the shard's row. For statements whose order across shards does not
 * matter.
 */
public final class ShardResultSet extends ForwardingResultSet {
  private final Statement owner;
  private final List<ResultSet> parts;
  private final long skip;
  private final long limit;
  private final int hidden;
  private int current;
  private long row; // rows returned so far
  private long skipped;
  private boolean after;
  private boolean closed;

  /**
   * @param owner   the CollegeDB statement that produced the rows, for {@link #getStatement()}
   * @param parts   the shards' result sets, read in this order
   * @param maxRows the most rows to return; 0 for no limit
   */
  public ShardResultSet(Statement owner, List<ResultSet> parts, long maxRows) {
    this(owner, parts, 0, maxRows > 0 ? maxRows : -1, 0);
  }

  /**
   * @param skip   rows to skip first (OFFSET)
   * @param limit  the most rows to return after them, or -1
   * @param hidden trailing columns to hide (appended for merging)
   */
  public ShardResultSet(Statement owner, List<ResultSet> parts, long skip, long limit, int hidden) {
    this.owner = owner;
    this.parts = parts;
    this.skip = skip;
    this.limit = limit;
    this.hidden = hidden;
  }

  @Override
  protected ResultSet delegate() throws SQLException {
    if (closed) {
      throw new SQLException("the result set is closed", SqlStates.GENERAL);
    }
    return parts.get(Math.min(current, parts.size() - 1));
  }

  @Override
  public boolean next() throws SQLException {
    if (closed) {
      throw new SQLException("the result set is closed", SqlStates.GENERAL);
    }
    if (after) {
      return false;
    }
    while (current < parts.size()) {
      if (parts.get(current).next()) {
        if (skipped < skip) {
          skipped++;
          continue;
        }
        row++;
        if (limit >= 0 && row > limit) {
          break;
        }
        return true;
      }
      current++;
    }
    after = true;
    current = parts.size() - 1;
    return false;
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    SQLException first = null;
    for (ResultSet rs : parts) {
      try {
        rs.close();
      } catch (SQLException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public Statement getStatement() {
    return owner;
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    if (closed) {
      throw new SQLException("the result set is closed", SqlStates.GENERAL);
    }
    java.sql.ResultSetMetaData md = parts.get(0).getMetaData();
    return hidden == 0 ? md : new VisibleMetaData(md, md.getColumnCount() - hidden);
  }

  @Override
  public <T> T getObject(int column, Class<T> type) throws SQLException {
    return JavaTimeValues.getObject(delegate(), column, type);
  }

  @Override
  public <T> T getObject(String label, Class<T> type) throws SQLException {
    return getObject(findColumn(label), type);
  }

  @Override
  public int findColumn(String label) throws SQLException {
    return parts.get(0).findColumn(label);
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    return row == 0 && !after && hasRows();
  }

  private boolean hasRows() throws SQLException {
    for (int i = current; i < parts.size(); i++) {
      ResultSet rs = parts.get(i);
      if (rs.isBeforeFirst()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean isAfterLast() {
    return after && row > 0;
  }

  @Override
  public boolean isFirst() {
    return row == 1 && !after;
  }

  @Override
  public boolean isLast() throws SQLException {
    throw new java.sql.SQLFeatureNotSupportedException("isLast() is not supported on a forward-only result",
        SqlStates.NOT_SUPPORTED);
  }

  @Override
  public int getRow() {
    return after ? 0 : (int) row;
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    SQLWarning all = null;
    for (ResultSet rs : parts) {
      SQLWarning w = rs.getWarnings();
      if (w != null) {
        if (all == null) {
          all = w;
        } else {
          all.setNextWarning(w);
        }
      }
    }
    return all;
  }

  @Override
  public void clearWarnings() throws SQLException {
    for (ResultSet rs : parts) {
      rs.clearWarnings();
    }
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    for (ResultSet rs : parts) {
      rs.setFetchSize(rows);
    }
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return delegate().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate().isWrapperFor(iface);
  }
}
