package org.collegedb.merge;

import java.sql.ResultSet;
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
public final class OrderedMergeResultSet extends ShardRows {
  private final OrderKey[] keys;
  private final ValueOrder order;
  private final long skip;
  private final long limit;
  private final PriorityQueue<Head> heads;
  private Head current;
  private boolean started;
  private boolean after;
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
    super(owner, parts, hidden);
    this.keys = keys;
    this.order = order;
    this.skip = skip;
    this.limit = limit;
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

}
