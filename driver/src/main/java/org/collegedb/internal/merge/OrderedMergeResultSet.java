package org.collegedb.internal.merge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.collegedb.SqlStates;

/**
 * A streaming k-way merge of shards' rows, each shard's already in ORDER BY order: the current row is always a live
 * row of one shard's result set (getters go straight to it), and memory holds one row's keys per shard. Skips the
 * OFFSET and stops at the LIMIT; hides the columns appended for ordering. The shards' heads meet in a
 * {@link LoserTree}: two comparisons a row for four shards.
 */
final class OrderedMergeResultSet extends ShardRows {
  private final OrderKey[] keys;
  private final ValueOrder order;
  private final long skip;
  private final long limit;
  private Head[] heads;
  private LoserTree tree;
  private Head current;
  private boolean started;
  private boolean after;
  private long returned;

  /** One shard's result set and the order keys of its current row. */
  private static final class Head {
    final ResultSet rows;
    Object[] key;
    /** Whether the shard's rows have ended. */
    boolean done;
    /**
     * With integer keys: the current row's keys, read without boxing, and which of them are NULL; only the first
     * {@code loaded} are read (a key is read when a comparison reaches it, so a tie-breaker is read only on a tie).
     */
    long[] longs;
    boolean[] nulls;
    int loaded;
    /**
     * With integer keys, the first key as the merge orders it: {@link #rank} places NULLs first or last and ended
     * shards after all ({@link #NULLS_FIRST} .. {@link #ENDED}); among values, {@link #first} ascends in the merge's
     * order (a descending key's value complemented). Most comparisons end here, without a call.
     */
    int rank;
    long first;

    Head(ResultSet rows) {
      this.rows = rows;
    }
  }

  private static final int NULLS_FIRST = 0;
  private static final int VALUE = 1;
  private static final int NULLS_LAST = 2;
  private static final int ENDED = 3;

  /** Whether every key is an integer column, read with getLong into the heads' arrays (decided on first use). */
  private boolean integerKeys;
  private final boolean typedColumns;

  /** Reads the head's integer keys up to {@code i}, those not read yet for its current row. */
  private void load(Head h, int i) throws SQLException {
    while (h.loaded <= i) {
      int j = h.loaded;
      long v = h.rows.getLong(keys[j].column());
      h.longs[j] = v;
      h.nulls[j] = v == 0 && h.rows.wasNull(); // getLong gives 0 for NULL: any other value is not NULL
      h.loaded++;
    }
  }

  /** Compares two heads whose first keys are equal by the keys after it. */
  private int compareLongs(Head a, Head b) throws SQLException {
    for (int i = 1; i < keys.length; i++) {
      OrderKey k = keys[i];
      load(a, i);
      load(b, i);
      boolean an = a.nulls[i];
      boolean bn = b.nulls[i];
      int c;
      if (an || bn) {
        c = an == bn ? 0 : an == k.nullsFirst() ? -1 : 1;
      } else {
        c = Long.compare(a.longs[i], b.longs[i]);
        if (k.descending()) {
          c = -c;
        }
      }
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * @param keys   the order keys, as columns of the shards' rows
   * @param limit  the most rows to return, or -1
   * @param hidden the number of trailing columns to hide
   */
  OrderedMergeResultSet(Statement owner, List<ResultSet> parts, OrderKey[] keys, ValueOrder order, long skip,
      long limit, int hidden) {
    this(owner, parts, keys, order, skip, limit, hidden, false);
  }

  /**
   * @param typedColumns whether every value of a column has the column's declared type (not SQLite, whose columns
   *                     may hold any type), so that integer keys can be read as longs
   */
  OrderedMergeResultSet(Statement owner, List<ResultSet> parts, OrderKey[] keys, ValueOrder order, long skip,
      long limit, int hidden, boolean typedColumns) {
    super(owner, parts, hidden);
    this.keys = keys;
    this.order = order;
    this.skip = skip;
    this.limit = limit;
    this.typedColumns = typedColumns;
  }

  /** The merge's order of two shards' heads: by their rows' keys, then by shard (a stable merge); ended ones last. */
  private boolean less(int a, int b) throws SQLException {
    Head ha = heads[a];
    Head hb = heads[b];
    if (integerKeys) {
      if (ha.rank != hb.rank) {
        return ha.rank < hb.rank;
      }
      if (ha.rank == ENDED) {
        return false;
      }
      if (ha.rank == VALUE && ha.first != hb.first) {
        return ha.first < hb.first;
      }
      int c = compareLongs(ha, hb);
      return c != 0 ? c < 0 : a < b;
    }
    if (ha.done || hb.done) {
      return !ha.done;
    }
    int c = OrderKey.compare(ha.key, hb.key, keys, order);
    return c != 0 ? c < 0 : a < b;
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

  /** Reads the current row's keys into the head: as longs with integer keys, else as objects. */
  private void read(Head h) throws SQLException {
    if (!integerKeys) {
      h.key = readKey(h.rows);
      return;
    }
    if (h.longs == null) {
      h.longs = new long[keys.length];
      h.nulls = new boolean[keys.length];
    }
    h.loaded = 0; // the keys after the first are read when a comparison reaches them
    load(h, 0);
    OrderKey k = keys[0];
    if (h.nulls[0]) {
      h.rank = k.nullsFirst() ? NULLS_FIRST : NULLS_LAST;
    } else {
      h.rank = VALUE;
      h.first = k.descending() ? ~h.longs[0] : h.longs[0]; // ~ reverses the order of all longs, MIN_VALUE too
    }
  }

  /** Marks the head's shard as ended. */
  private static void end(Head h) {
    h.done = true;
    h.rank = ENDED;
  }

  /** Whether the shards' metadata types every key as an integer, so that keys can be read as longs. */
  private boolean keysAreIntegers() throws SQLException {
    if (!typedColumns) {
      return false;
    }
    java.sql.ResultSetMetaData md = parts.get(0).getMetaData();
    for (OrderKey k : keys) {
      if (!isInteger(md, k.column())) {
        return false;
      }
    }
    return true;
  }

  /** Whether a column's values fit a long: a signed BIGINT, or a smaller integer type. */
  private static boolean isInteger(java.sql.ResultSetMetaData md, int column) throws SQLException {
    int type = md.getColumnType(column);
    if (type == java.sql.Types.BIGINT) {
      return md.isSigned(column); // an unsigned BIGINT may not fit a long
    }
    return type == java.sql.Types.INTEGER || type == java.sql.Types.SMALLINT || type == java.sql.Types.TINYINT;
  }

  private boolean advance() throws SQLException {
    if (current != null) {
      if (org.collegedb.internal.execute.ShardErrors.next(current.rows)) { // an I/O error names the shard
        read(current);
      } else {
        end(current);
      }
      current = null;
      tree.replay();
    }
    Head least = heads[tree.winner()];
    current = least.done ? null : least;
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
      integerKeys = keysAreIntegers();
      heads = new Head[parts.size()];
      for (int i = 0; i < heads.length; i++) {
        Head h = new Head(parts.get(i));
        heads[i] = h;
        if (org.collegedb.internal.execute.ShardErrors.next(h.rows)) {
          read(h);
        } else {
          end(h);
        }
      }
      tree = new LoserTree(heads.length, this::less);
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
