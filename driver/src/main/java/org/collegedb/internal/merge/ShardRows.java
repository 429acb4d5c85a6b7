package org.collegedb.internal.merge;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import org.collegedb.SqlStates;

/**
 * What result sets that read the shards' own result sets have in common: they own those result sets (closing closes
 * them all), report the first one's metadata without the trailing columns CollegeDB appended, and answer for the
 * CollegeDB statement that produced them.
 */
abstract class ShardRows extends ForwardingResultSet {
  final Statement owner;
  final List<ResultSet> parts;
  final int hidden;
  private boolean closed;

  ShardRows(Statement owner, List<ResultSet> parts, int hidden) {
    this.owner = owner;
    this.parts = parts;
    this.hidden = hidden;
  }

  final void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the result set is closed", SqlStates.GENERAL);
    }
  }

  @Override
  public final void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    SQLException first = null;
    for (ResultSet rs : parts) {
      try {
        rs.close();
      } catch (SQLException e) {
        if (org.collegedb.internal.execute.ShardConnections.connectionLost(e)) {
          continue; // the shard's connection is gone, and its rows with it: closed either way
        }
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public final boolean isClosed() {
    return closed;
  }

  @Override
  public final Statement getStatement() {
    return owner;
  }

  @Override
  public final ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    ResultSetMetaData md = parts.get(0).getMetaData();
    return hidden == 0 ? md : new VisibleMetaData(md, md.getColumnCount() - hidden);
  }

  /** java.time conversions the shard's own driver may lack (sqlite-jdbc has no OffsetDateTime or Instant). */
  @Override
  public final <T> T getObject(int column, Class<T> type) throws SQLException {
    return JavaTimeValues.getObject(delegate(), column, type);
  }

  @Override
  public final <T> T getObject(String label, Class<T> type) throws SQLException {
    return getObject(findColumn(label), type);
  }

  @Override
  public final int findColumn(String label) throws SQLException {
    return parts.get(0).findColumn(label);
  }

  @Override
  public final SQLWarning getWarnings() throws SQLException {
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
  public final void clearWarnings() throws SQLException {
    for (ResultSet rs : parts) {
      rs.clearWarnings();
    }
  }

  @Override
  public final void setFetchSize(int rows) throws SQLException {
    for (ResultSet rs : parts) {
      rs.setFetchSize(rows);
    }
  }
}
