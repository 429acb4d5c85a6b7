package org.collegedb.internal.merge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.collegedb.SqlStates;

/**
 * The rows of one shard, or of several shards one after the other, read straight from the shards' result sets:
 * nothing is copied, and {@code getX} calls go to the shard's row. For statements whose order across shards does not
 * matter.
 */
public final class ShardResultSet extends ShardRows {
  private final long skip;
  private final long limit;
  private int current;
  private long row; // rows returned so far
  private long skipped;
  private boolean after;

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
    super(owner, parts, hidden);
    this.skip = skip;
    this.limit = limit;
  }

  @Override
  protected ResultSet delegate() throws SQLException {
    checkOpen();
    return parts.get(Math.min(current, parts.size() - 1));
  }

  @Override
  public boolean next() throws SQLException {
    checkOpen();
    if (after) {
      return false;
    }
    while (current < parts.size()) {
      if (org.collegedb.internal.execute.ShardErrors.next(parts.get(current))) { // an I/O error names the shard
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
}
