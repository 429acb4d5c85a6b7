package org.collegedb.internal.run;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.execute.ShardConnections;

/**
 * The physical statements one logical statement keeps on its shards: a plain statement per shard (texts without
 * parameters), and prepared statements per shard and text (the caller's text, and the most recent spliced texts),
 * prepared on first use and reused. Applies the logical statement's settings to each, and knows what runs where now,
 * for {@code cancel()}.
 */
public final class ShardStatements {
  /** How many spliced texts a shard keeps prepared. */
  private static final int KEPT_TEXTS = 32;

  private final ShardConnections shards;
  private final Statement[] plain;
  private final PreparedStatement[] original; // the caller's text, per shard
  /** The physical connection each shard's prepared statements were made on: another one now means a reconnect. */
  private final java.sql.Connection[] preparedOn;
  private final Map<String, PreparedStatement>[] spliced;
  private final AtomicReferenceArray<Statement> running;
  private final String originalText;
  private final GeneratedKeysRequest prepareKeys;
  private int maxRows;
  private int fetchSize;
  private int queryTimeout;

  /**
   * @param originalText the prepared statement's text (prepared under its own slot), or null for a plain one
   * @param prepareKeys the generated keys the prepared statement asks for, which its shard statements are prepared with
   */
  @SuppressWarnings("unchecked")
  ShardStatements(ShardConnections shards, String originalText, GeneratedKeysRequest prepareKeys) {
    this.shards = shards;
    this.originalText = originalText;
    this.prepareKeys = prepareKeys;
    this.plain = new Statement[shards.size()];
    this.original = new PreparedStatement[shards.size()];
    this.preparedOn = new java.sql.Connection[shards.size()];
    this.spliced = new Map[shards.size()];
    this.running = new AtomicReferenceArray<>(shards.size());
  }

  ShardConnections connections() {
    return shards;
  }

  /** Runs a text without parameters on the shard's plain statement. */
  Executed executePlain(int shard, String sql, GeneratedKeysRequest keys) throws SQLException {
    Statement st = plain[shard];
    if (st == null || !shards.current(shard, st)) { // made again after the shard reconnected
      st = shards.raw(shard).createStatement();
      configure(st);
      plain[shard] = st;
    }
    track(shard, st);
    try {
      Statement run = st;
      return new Executed(st, keys.execute(run, sql));
    } finally {
      untrack(shard);
    }
  }

  /**
   * Runs {@code sql} prepared, its parameters bound from {@code params} through {@code map} (null: in order).
   * {@code keys}: whether a text other than the original is prepared with the generated keys the prepared statement
   * asks for (false for a text that returns rows of CollegeDB's own, such as a key added with {@code RETURNING}).
   */
  Executed executePrepared(int shard, String sql, ParameterStore params, int[] map, int count, boolean keys)
      throws SQLException {
    PreparedStatement ps = prepared(shard, sql, keys || sql == originalText ? prepareKeys
        : GeneratedKeysRequest.NONE);
    params.bind(ps, map, count);
    track(shard, ps);
    try {
      return new Executed(ps, ps.execute());
    } finally {
      untrack(shard);
    }
  }

  /** The shard's prepared statement for {@code sql}, prepared on first use. */
  PreparedStatement prepared(int shard, String sql) throws SQLException {
    return prepared(shard, sql, prepareKeys);
  }

  /**
   * The shard's prepared statement for a text of CollegeDB's whose keys CollegeDB knows (a batch's keys from the
   * directory): prepared without asking the shard for generated keys.
   */
  PreparedStatement preparedWithoutKeys(int shard, String sql) throws SQLException {
    return prepared(shard, sql, GeneratedKeysRequest.NONE);
  }

  private PreparedStatement prepared(int shard, String sql, GeneratedKeysRequest keys) throws SQLException {
    boolean isOriginal = sql == originalText;
    if (preparedOn[shard] != shards.physicalNow(shard)) { // the shard reconnected: its statements are made again
      original[shard] = null;
      spliced[shard] = null;
    }
    PreparedStatement ps;
    if (isOriginal) {
      ps = original[shard];
    } else {
      Map<String, PreparedStatement> m = spliced[shard];
      ps = m == null ? null : m.get(sql);
    }
    if (ps == null) {
      ps = keys.prepare(shards.raw(shard), sql);
      preparedOn[shard] = shards.physicalNow(shard);
      configure(ps);
      if (isOriginal) {
        original[shard] = ps;
      } else {
        if (spliced[shard] == null) {
          spliced[shard] = new BoundedStatements(KEPT_TEXTS);
        }
        spliced[shard].put(sql, ps);
      }
    }
    return ps;
  }

  /** The shard's prepared statement for {@code sql}, for its metadata. */
  public PreparedStatement describe(int shard, String sql) throws SQLException {
    return prepared(shard, sql);
  }

  /** Keeps the most recent spliced texts prepared; closes what falls out. */
  private static final class BoundedStatements extends LinkedHashMap<String, PreparedStatement> {
    private static final long serialVersionUID = 1L;
    private final int max;

    BoundedStatements(int max) {
      super(16, 0.75f, true);
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() > max) {
        try {
          eldest.getValue().close();
        } catch (SQLException ignored) {
          // dropping a cached statement
        }
        return true;
      }
      return false;
    }
  }

  /**
   * Marks {@code st} as running on {@code shard} until {@link #untrack}, for {@link #cancel()}; with a query timeout,
   * a shard that never answers is cut off by the watchdog.
   */
  void track(int shard, Statement st) {
    running.setRelease(shard, st); // no fence on the hot path: cancel() is racy by nature
    if (queryTimeout > 0) {
      org.collegedb.internal.execute.ShardWatchdog.watch(st, queryTimeout);
    }
  }

  void untrack(int shard) {
    if (queryTimeout > 0) {
      org.collegedb.internal.execute.ShardWatchdog.done(running.get(shard));
    }
    running.setRelease(shard, null);
  }

  /** Cancels what runs on the shards now. */
  public void cancel() throws SQLException {
    for (int s = 0; s < running.length(); s++) {
      Statement st = running.get(s);
      if (st != null) {
        st.cancel();
      }
    }
  }

  // ---------------------------------------------------------------- settings

  public int maxRows() {
    return maxRows;
  }

  public void maxRows(int max) throws SQLException {
    maxRows = max;
    forEach(st -> st.setMaxRows(max));
  }

  public int fetchSize() {
    return fetchSize;
  }

  public void fetchSize(int rows) throws SQLException {
    fetchSize = rows;
    forEach(st -> st.setFetchSize(rows));
  }

  public int queryTimeout() {
    return queryTimeout;
  }

  public void queryTimeout(int seconds) throws SQLException {
    queryTimeout = seconds;
    forEach(st -> st.setQueryTimeout(seconds));
  }

  /** The same settings as {@code other} (a statement run on another's behalf). */
  void copySettings(ShardStatements other) {
    maxRows = other.maxRows;
    fetchSize = other.fetchSize;
    queryTimeout = other.queryTimeout;
  }

  private void configure(Statement st) throws SQLException {
    if (maxRows > 0) {
      st.setMaxRows(maxRows);
    }
    if (fetchSize > 0) {
      st.setFetchSize(fetchSize);
    }
    if (queryTimeout > 0) {
      st.setQueryTimeout(queryTimeout);
    }
  }

  @FunctionalInterface
  private interface Setting {
    void apply(Statement st) throws SQLException;
  }

  private void forEach(Setting setting) throws SQLException {
    for (int s = 0; s < plain.length; s++) {
      if (plain[s] != null) {
        setting.apply(plain[s]);
      }
      if (original[s] != null) {
        setting.apply(original[s]);
      }
      if (spliced[s] != null) {
        for (PreparedStatement ps : spliced[s].values()) {
          setting.apply(ps);
        }
      }
    }
  }

  /** Closes every physical statement. */
  public void close() throws SQLException {
    SQLException first = null;
    for (int s = 0; s < plain.length; s++) {
      first = closeQuietly(plain[s], first);
      plain[s] = null;
      first = closeQuietly(original[s], first);
      original[s] = null;
      if (spliced[s] != null) {
        for (PreparedStatement ps : spliced[s].values()) {
          first = closeQuietly(ps, first);
        }
        spliced[s] = null;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static SQLException closeQuietly(Statement st, SQLException first) {
    if (st == null) {
      return first;
    }
    try {
      org.collegedb.internal.execute.ShardErrors.close(st); // a lost connection is no error here
    } catch (SQLException e) {
      return first == null ? e : first;
    }
    return first;
  }

  /** A shard's statement right after it ran, and whether its first result is a result set. */
  record Executed(Statement statement, boolean hasResult) {
    java.sql.ResultSet rows() throws SQLException {
      if (!hasResult) {
        throw new SQLException("the statement did not return a result set", org.collegedb.SqlStates.GENERAL);
      }
      return statement.getResultSet();
    }

    java.sql.ResultSet rowsOrNull() throws SQLException {
      return hasResult ? statement.getResultSet() : null;
    }
  }
}
