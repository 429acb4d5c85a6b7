package org.collegedb.merge;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.PriorityQueue;
import org.collegedb.SqlStates;

/**
 * A streaming k-way merge of shards' rows, each shard's already in ORDER BY order: the current row is always a live
 * row of one shard's result set (getters go straight to it), and memory holds one row's keys per shard. Skips the
 * OFFSET and stops at the LIMIT; hides the columns appended for ordering.
 */
public final class OrderedMergeResultSet extends ForwardingResultSet {
  private final Statement owner;
  private final List<ResultSet> parts;
  private final OrderKey[] keys;
  private final ValueOrder order;
  private final long skip;
  private final long limit;
  private final int hidden;
  private final PriorityQueue<Head> heads;
  private Head current;
  private boolean started;
  private boolean after;
  private boolean closed;
  private long returned;

  /** One shard's result set and the order keys of its current row. */
  private static final class Head {
    final int shard;
    final ResultSet rows;
    Object[] key;

    Head(int shard, ResultSet rows) {
      this.shard = shard;
      this.rows = rows;
    }
  }

  /**
   * @param keys   the order keys, as columns of the shards' rows
   * @param limit  the most rows to return, or -1
   * @param hidden the number of trailing columns to hide
   */
  public OrderedMergeResultSet(Statement owner, List<ResultSet> parts, OrderKey[] keys, ValueOrder order, long skip,
      long limit, int hidden) {
    this.owner = owner;
    this.parts = parts;
    this.keys = keys;
    this.order = order;
    this.skip = skip;
    this.limit = limit;
    this.hidden = hidden;
    this.heads = new PriorityQueue<>(Math.max(1, parts.size()), (a, b) -> {
      int c = OrderKey.compare(a.key, b.key, keys, order);
      return c != 0 ? c : Integer.compare(a.shard, b.shard);
    });
  }

  @Override
  protected ResultSet delegate() throws SQLException {
    checkOpen();
    return current != null ? current.rows : parts.get(0);
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the result set is closed", SqlStates.GENERAL);
    }
  }

  private Object[] readKey(ResultSet rs) throws SQLException {
    Object[] key = new Object[keys.length];
    for (int i = 0; i < keys.length; i++) {
      key[i] = rs.getObject(keys[i].column());
    }
    return key;
  }

  private boolean advance() throws SQLException {
    if (current != null) {
      if (current.rows.next()) {
        current.key = readKey(current.rows);
        heads.add(current);
      }
      current = null;
    }
    current = heads.poll();
    return current != null;
  }

  @Override
  public boolean next() throws SQLException {
    try {
      return step();
    } catch (ValueOrder.UnsupportedCollationException e) {
      throw new java.sql.SQLFeatureNotSupportedException(e.getMessage(), SqlStates.NOT_SUPPORTED, e);
    }
  }

  private boolean step() throws SQLException {
    checkOpen();
    if (after) {
      return false;
    }
    if (!started) {
      started = true;
      for (int i = 0; i < parts.size(); i++) {
        Head h = new Head(i, parts.get(i));
        if (h.rows.next()) {
          h.key = readKey(h.rows);
          heads.add(h);
        }
      }
      for (long s = 0; s < skip; s++) {
        if (!advance()) {
          after = true;
          return false;
        }
      }
    }
    if (limit >= 0 && returned >= limit || !advance()) {
      after = true;
      current = null;
      return false;
    }
    returned++;
    return true;
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    ResultSetMetaData md = parts.get(0).getMetaData();
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
  public boolean isBeforeFirst() {
    return !started;
  }

  @Override
  public boolean isAfterLast() {
    return after && returned > 0;
  }

  @Override
  public boolean isFirst() {
    return returned == 1 && current != null;
  }

  @Override
  public int getRow() {
    return current == null ? 0 : (int) returned;
  }

  @Override
  public java.sql.SQLWarning getWarnings() {
    return null;
  }

  @Override
  public void clearWarnings() {
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate().isWrapperFor(iface);
  }
}
