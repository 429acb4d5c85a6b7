package org.collegedb.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.BatchUpdateException;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.SqlStates;
import org.collegedb.execute.ParameterStore;
import org.collegedb.execute.ParameterStore.Setter;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.rewrite.ShardSql;
import org.collegedb.route.Bindings;
import org.collegedb.route.Route;

/**
 * A prepared statement on a sharded database. The text is analysed once, here; each execution records its
 * parameters, routes by them, and replays them onto the shard's own prepared statement, which is prepared once per
 * shard and text and then reused.
 */
public final class CollegePreparedStatement extends CollegeStatement implements PreparedStatement {
  private final Tokens tokens;
  private final ParsedStatement plan;
  private final GeneratedKeysRequest keys;
  private final ParameterStore params = new ParameterStore();
  /** The parameters of the execution under way: the caller's, or one batch entry's. */
  private ParameterStore executing = params;
  private final PreparedStatement[] prepared; // the caller's text, per shard
  private final Map<String, PreparedStatement>[] rewritten; // spliced texts, per shard
  private List<ParameterStore> batch;

  @SuppressWarnings("unchecked")
  CollegePreparedStatement(CollegeConnection connection, String sql, GeneratedKeysRequest keys, int holdability)
      throws SQLException {
    super(connection, holdability);
    try {
      this.tokens = cluster.plans().lex(sql);
      this.plan = cluster.plans().plan(tokens);
    } catch (SQLException | RuntimeException e) {
      connection.closed(this); // never usable: the connection must not try to close it later
      throw e;
    }
    this.keys = keys;
    this.prepared = new PreparedStatement[connection.shards().size()];
    this.rewritten = new Map[connection.shards().size()];
  }

  @Override
  Executed executeOn(int shard, String sql, int[] paramMap) throws SQLException {
    PreparedStatement ps = preparedFor(shard, sql);
    executing.bind(ps, paramMap, tokens.paramCount());
    track(shard, ps);
    try {
      return new Executed(ps, ps.execute());
    } finally {
      untrack(shard);
    }
  }

  /** The shard's prepared statement for {@code sql}, prepared on first use. */
  private PreparedStatement preparedFor(int shard, String sql) throws SQLException {
    boolean original = sql == tokens.sql();
    PreparedStatement ps;
    if (original) {
      ps = prepared[shard];
    } else {
      Map<String, PreparedStatement> m = rewritten[shard];
      ps = m == null ? null : m.get(sql);
    }
    if (ps == null || !connection.shards().current(shard, ps)) { // made again after the shard reconnected
      ps = keys.prepare(connection.shards().raw(shard), sql);
      configure(ps);
      if (original) {
        prepared[shard] = ps;
      } else {
        if (rewritten[shard] == null) {
          rewritten[shard] = new BoundedStatements(32);
        }
        rewritten[shard].put(sql, ps);
      }
    }
    return ps;
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

  @Override
  void forEachPhysical(PhysicalSetting setting) throws SQLException {
    super.forEachPhysical(setting);
    for (int s = 0; s < prepared.length; s++) {
      if (prepared[s] != null) {
        setting.apply(prepared[s]);
      }
      if (rewritten[s] != null) {
        for (PreparedStatement ps : rewritten[s].values()) {
          setting.apply(ps);
        }
      }
    }
  }

  @Override
  void closePhysical() throws SQLException {
    super.closePhysical();
    for (int s = 0; s < prepared.length; s++) {
      if (prepared[s] != null) {
        org.collegedb.execute.ShardErrors.close(prepared[s]); // a lost connection is no error here
        prepared[s] = null;
      }
      if (rewritten[s] != null) {
        for (PreparedStatement ps : rewritten[s].values()) {
          org.collegedb.execute.ShardErrors.close(ps);
        }
        rewritten[s] = null;
      }
    }
  }

  /** Runs with parameters set elsewhere (a statement CollegeDB rewrote). */
  void runWith(ParameterStore store) throws SQLException {
    checkOpen();
    store.requireAll(tokens.paramCount());
    keysRequest = keys;
    executing = store;
    try {
      run(tokens, plan, store, keys);
    } finally {
      executing = params;
    }
  }

  private void runPrepared() throws SQLException {
    checkOpen();
    params.requireAll(tokens.paramCount());
    keysRequest = keys;
    run(tokens, plan, params, keys);
  }

  // ---------------------------------------------------------------- execution

  @Override
  public ResultSet executeQuery() throws SQLException {
    runPrepared();
    return requireResult();
  }

  @Override
  public int executeUpdate() throws SQLException {
    return (int) executeLargeUpdate();
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    runPrepared();
    return requireCount();
  }

  @Override
  public boolean execute() throws SQLException {
    runPrepared();
    return getResultSet() != null;
  }

  @Override
  public void addBatch() throws SQLException {
    checkOpen();
    params.requireAll(tokens.paramCount());
    if (batch == null) {
      batch = new ArrayList<>();
    }
    batch.add(params.copy());
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch = null;
  }

  @Override
  public int[] executeBatch() throws SQLException {
    long[] large = executeLargeBatch();
    int[] counts = new int[large.length];
    for (int i = 0; i < large.length; i++) {
      counts[i] = (int) large[i];
    }
    return counts;
  }

  /**
   * Runs the batch grouped per shard: each entry is routed by its own parameters, and each shard runs its entries
   * as one batch of its own, in the caller's order. Counts come back in the caller's order. Entries that span
   * shards, or are not plain writes, run one at a time.
   */
  @Override
  public long[] executeLargeBatch() throws SQLException {
    checkOpen();
    List<ParameterStore> entries = batch == null ? List.of() : batch;
    batch = null;
    closeResults();
    long[] counts = new long[entries.size()];
    if (entries.isEmpty()) {
      return counts;
    }
    boolean writes = plan instanceof ParsedStatement.Insert i && i.source() == null
        || plan instanceof ParsedStatement.Update || plan instanceof ParsedStatement.Delete;
    if (writes && DirectoryWrites.involved(this, plan)) {
      return oneByOne(entries, counts); // the directory takes part in each entry: generated keys, lookups
    }
    // Route every entry first: a refusal leaves every shard untouched.
    Route[] routes = new Route[entries.size()];
    boolean grouped = writes;
    for (int e = 0; e < entries.size() && writes; e++) {
      Bindings b = new Bindings(tokens, entries.get(e), cluster.backslashEscapes());
      try {
        routes[e] = route(b);
      } catch (org.collegedb.route.ShardRouter.KeyMayChange x) {
        grouped = false; // each entry's key is checked as it runs
        break;
      } catch (SQLException x) {
        throw new BatchUpdateException("batch entry " + (e + 1) + " was refused, so no entry ran: " + x.getMessage(),
            x.getSQLState(), x.getErrorCode(), new long[0], x);
      }
      for (int i = 0; i < routes[e].shards().length; i++) {
        if (!routes[e].unchanged(i)) {
          grouped = false; // e.g. a multi-row INSERT split per shard: run it on its own
        }
      }
    }
    if (!grouped) {
      return oneByOne(entries, counts);
    }
    Map<Integer, List<Integer>> byShard = new HashMap<>();
    for (int e = 0; e < entries.size(); e++) {
      for (int s : routes[e].shards()) {
        byShard.computeIfAbsent(s, k -> new ArrayList<>()).add(e);
      }
    }
    int[] shards = byShard.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    for (int s : shards) {
      connection.shards().use(s);
    }
    long[][] perShard = new long[shards.length][];
    boolean ordered = Arrays.stream(routes).anyMatch(Route::ordered); // broadcast rows: lock them in shard order
    try {
      connection.shards().atomically(shards, () -> cluster.executor().run(ordered, shards, (position, shard) -> {
        PreparedStatement ps = preparedFor(shard, tokens.sql());
        for (int e : byShard.get(shard)) {
          entries.get(e).bind(ps, null, tokens.paramCount());
          ps.addBatch();
        }
        try {
          perShard[position] = ps.executeLargeBatch();
        } catch (UnsupportedOperationException | java.sql.SQLFeatureNotSupportedException e) {
          perShard[position] = Arrays.stream(ps.executeBatch()).asLongStream().toArray();
        }
        return null;
      }, connection.shards()::name));
    } catch (BatchUpdateException e) {
      throw e;
    } catch (SQLException e) {
      throw new BatchUpdateException("batch failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(),
          new long[0], e);
    }
    // An entry's count: the sum over its shards; for a broadcast table, its first shard's.
    boolean[] counted = new boolean[entries.size()];
    for (int p = 0; p < shards.length; p++) {
      List<Integer> mine = byShard.get(shards[p]);
      for (int i = 0; i < mine.size(); i++) {
        int e = mine.get(i);
        long c = i < perShard[p].length ? perShard[p][i] : Statement.SUCCESS_NO_INFO;
        if (routes[e].kind() == Route.Kind.BROADCAST_WRITE) {
          if (!counted[e]) {
            counts[e] = c;
          }
        } else {
          counts[e] = counted[e] && counts[e] >= 0 && c >= 0 ? counts[e] + c : c;
        }
        counted[e] = true;
      }
    }
    connection.recordExecution(new ExecutionInfo(tokens.sql(),
        Arrays.stream(shards).mapToObj(connection.shards()::name).toList(),
        java.util.Collections.nCopies(shards.length, tokens.sql()))); // one text per shard, as for one statement
    return counts;
  }

  private Route route(Bindings b) throws SQLException {
    if (plan instanceof ParsedStatement.Insert i) {
      return connection.router().routeInsert(i, b);
    }
    if (plan instanceof ParsedStatement.Update u) {
      return connection.router().routeUpdate(u, b);
    }
    return connection.router().routeDelete((ParsedStatement.Delete) plan, b);
  }

  private long[] oneByOne(List<ParameterStore> entries, long[] counts) throws SQLException {
    for (int e = 0; e < entries.size(); e++) {
      try {
        keysRequest = keys;
        executing = entries.get(e);
        run(tokens, plan, executing, keys);
        if (getResultSet() != null) {
          throw new BatchUpdateException("batch entry " + (e + 1) + " returned a result set", SqlStates.GENERAL,
              0, Arrays.copyOf(counts, e), null);
        }
        counts[e] = getLargeUpdateCount();
      } catch (BatchUpdateException x) {
        throw x;
      } catch (SQLException x) {
        throw new BatchUpdateException("batch entry " + (e + 1) + " failed: " + x.getMessage(), x.getSQLState(),
            x.getErrorCode(), Arrays.copyOf(counts, e), x);
      } finally {
        executing = params;
      }
    }
    return counts;
  }

  @Override
  public void clearParameters() throws SQLException {
    checkOpen();
    params.clear();
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    if (!(plan instanceof ParsedStatement.Select)) {
      return null;
    }
    return preparedFor(0, tokens.sql()).getMetaData();
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    checkOpen();
    return preparedFor(0, tokens.sql()).getParameterMetaData();
  }

  // ---------------------------------------------------------------- JDBC: Statement's text methods are not for this

  private SQLException textMethod() {
    return new SQLException("a PreparedStatement runs the text it was prepared with: use the methods without SQL",
        SqlStates.GENERAL);
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    throw textMethod();
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    throw textMethod();
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    throw textMethod();
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    throw textMethod();
  }

  // ---------------------------------------------------------------- setters

  private void set(int index, Setter setter, Object value) throws SQLException {
    checkOpen();
    params.set(index, setter, value);
  }

  private void setPrimitive(int index, Setter setter, long value) throws SQLException {
    checkOpen();
    params.setPrimitive(index, setter, value);
  }

  private void set(int index, Setter setter, Object value, Object extra, int scale) throws SQLException {
    checkOpen();
    params.set(index, setter, value, extra, scale);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType) throws SQLException {
    checkOpen();
    nullValue(parameterIndex, Setter.NULL, sqlType, null);
  }

  private void nullValue(int index, Setter setter, int sqlType, String typeName) throws SQLException {
    // The recorded value is null (for routing); the type travels as the extra.
    params.set(index, setter, null, typeName == null ? (Object) sqlType : new Object[] {sqlType, typeName}, 0);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
    checkOpen();
    nullValue(parameterIndex, Setter.NULL_TYPED, sqlType, typeName);
  }

  @Override
  public void setBoolean(int parameterIndex, boolean x) throws SQLException {
    setPrimitive(parameterIndex, Setter.BOOLEAN, x ? 1 : 0);
  }

  @Override
  public void setByte(int parameterIndex, byte x) throws SQLException {
    setPrimitive(parameterIndex, Setter.BYTE, x);
  }

  @Override
  public void setShort(int parameterIndex, short x) throws SQLException {
    setPrimitive(parameterIndex, Setter.SHORT, x);
  }

  @Override
  public void setInt(int parameterIndex, int x) throws SQLException {
    setPrimitive(parameterIndex, Setter.INT, x);
  }

  @Override
  public void setLong(int parameterIndex, long x) throws SQLException {
    setPrimitive(parameterIndex, Setter.LONG, x);
  }

  @Override
  public void setFloat(int parameterIndex, float x) throws SQLException {
    setPrimitive(parameterIndex, Setter.FLOAT, Float.floatToRawIntBits(x));
  }

  @Override
  public void setDouble(int parameterIndex, double x) throws SQLException {
    setPrimitive(parameterIndex, Setter.DOUBLE, Double.doubleToRawLongBits(x));
  }

  @Override
  public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
    set(parameterIndex, Setter.BIG_DECIMAL, x);
  }

  @Override
  public void setString(int parameterIndex, String x) throws SQLException {
    set(parameterIndex, Setter.STRING, x);
  }

  @Override
  public void setNString(int parameterIndex, String value) throws SQLException {
    set(parameterIndex, Setter.NSTRING, value);
  }

  @Override
  public void setBytes(int parameterIndex, byte[] x) throws SQLException {
    set(parameterIndex, Setter.BYTES, x);
  }

  @Override
  public void setDate(int parameterIndex, Date x) throws SQLException {
    set(parameterIndex, Setter.DATE, x);
  }

  @Override
  public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
    set(parameterIndex, Setter.DATE_CAL, x, cal, 0);
  }

  @Override
  public void setTime(int parameterIndex, Time x) throws SQLException {
    set(parameterIndex, Setter.TIME, x);
  }

  @Override
  public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
    set(parameterIndex, Setter.TIME_CAL, x, cal, 0);
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
    set(parameterIndex, Setter.TIMESTAMP, x);
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
    set(parameterIndex, Setter.TIMESTAMP_CAL, x, cal, 0);
  }

  @Override
  public void setObject(int parameterIndex, Object x) throws SQLException {
    if (x == null) {
      setNull(parameterIndex, java.sql.Types.NULL);
    } else {
      set(parameterIndex, Setter.OBJECT, x);
    }
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
    set(parameterIndex, Setter.OBJECT_TYPED, x, targetSqlType, 0);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    set(parameterIndex, Setter.OBJECT_SCALED, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
    set(parameterIndex, Setter.OBJECT_SQLTYPE, x, targetSqlType, 0);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength)
      throws SQLException {
    set(parameterIndex, Setter.OBJECT_SQLTYPE_SCALED, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
    setAsciiStream(parameterIndex, x, (long) length);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
    byte[] b = ParameterStore.readAll(x, length);
    set(parameterIndex, Setter.STRING, b == null ? null : new String(b, java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
    setAsciiStream(parameterIndex, x, -1L);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
    byte[] b = ParameterStore.readAll(x, length);
    set(parameterIndex, Setter.STRING, b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_16BE));
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
    setBinaryStream(parameterIndex, x, (long) length);
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
    set(parameterIndex, Setter.BYTES, ParameterStore.readAll(x, length));
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
    setBinaryStream(parameterIndex, x, -1L);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
    setCharacterStream(parameterIndex, reader, (long) length);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
    set(parameterIndex, Setter.STRING, ParameterStore.readAll(reader, length));
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
    setCharacterStream(parameterIndex, reader, -1L);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
    set(parameterIndex, Setter.NSTRING, ParameterStore.readAll(value, length));
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
    setNCharacterStream(parameterIndex, value, -1L);
  }

  @Override
  public void setRef(int parameterIndex, Ref x) throws SQLException {
    set(parameterIndex, Setter.REF, x);
  }

  @Override
  public void setBlob(int parameterIndex, Blob x) throws SQLException {
    set(parameterIndex, Setter.BYTES, ParameterStore.bytes(x));
  }

  @Override
  public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
    set(parameterIndex, Setter.BYTES, ParameterStore.readAll(inputStream, length));
  }

  @Override
  public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
    set(parameterIndex, Setter.BYTES, ParameterStore.readAll(inputStream, -1));
  }

  @Override
  public void setClob(int parameterIndex, Clob x) throws SQLException {
    set(parameterIndex, Setter.STRING, ParameterStore.string(x));
  }

  @Override
  public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
    set(parameterIndex, Setter.STRING, ParameterStore.readAll(reader, length));
  }

  @Override
  public void setClob(int parameterIndex, Reader reader) throws SQLException {
    set(parameterIndex, Setter.STRING, ParameterStore.readAll(reader, -1));
  }

  @Override
  public void setNClob(int parameterIndex, NClob value) throws SQLException {
    set(parameterIndex, Setter.NSTRING, ParameterStore.string(value));
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
    set(parameterIndex, Setter.NSTRING, ParameterStore.readAll(reader, length));
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader) throws SQLException {
    set(parameterIndex, Setter.NSTRING, ParameterStore.readAll(reader, -1));
  }

  @Override
  public void setArray(int parameterIndex, Array x) throws SQLException {
    set(parameterIndex, Setter.ARRAY, x);
  }

  @Override
  public void setURL(int parameterIndex, URL x) throws SQLException {
    set(parameterIndex, Setter.URL, x);
  }

  @Override
  public void setRowId(int parameterIndex, RowId x) throws SQLException {
    set(parameterIndex, Setter.ROWID, x);
  }

  @Override
  public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
    set(parameterIndex, Setter.SQLXML, xmlObject);
  }
}
