package org.collegedb.jdbc;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.collegedb.ExecutionInfo;
import org.collegedb.SqlStates;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.internal.execute.ShardSavepoints;
import org.collegedb.internal.run.Cluster;
import org.collegedb.internal.run.GeneratedKeysRequest;
import org.collegedb.internal.run.Session;

/**
 * A logical connection to a sharded database: one physical connection per shard, opened together. Settings
 * (auto-commit, read-only, isolation, schema) apply to every shard; transactions span the shards they touch (see
 * {@link ShardConnections} for what commit guarantees). Unwrap to this class for {@link #lastExecution()}.
 */
public final class CollegeConnection implements Connection {
  private final Session session;
  private final ShardConnections shards;
  private final String url;
  private final Set<CollegeStatement> statements = Collections.newSetFromMap(new ConcurrentHashMap<>());
  private volatile boolean closed;
  private int holdability = ResultSet.HOLD_CURSORS_OVER_COMMIT;
  private int networkTimeout;
  private final ClientInfo clientInfo = new ClientInfo();

  CollegeConnection(Cluster cluster, ShardConnections shards, String url) {
    this.session = new Session(cluster, shards);
    this.shards = shards;
    this.url = url;
    try {
      session.readOnly(shards.raw(0).isReadOnly());
    } catch (SQLException e) {
      // not read-only
    }
    try {
      this.holdability = shards.raw(0).getHoldability();
    } catch (SQLException | UnsupportedOperationException e) {
      // keep the default
    }
  }

  Session session() {
    return session;
  }

  Cluster cluster() {
    return session.cluster();
  }

  ShardConnections shards() {
    return shards;
  }

  String url() {
    return url;
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the connection is closed", SqlStates.CONNECTION_CLOSED);
    }
  }

  void opened(CollegeStatement s) {
    statements.add(s);
  }

  void closed(CollegeStatement s) {
    statements.remove(s);
  }

  /**
   * Where the last statement run on this connection went, or null before the first (or after a statement that
   * failed before it ran). Read it from the thread that runs the statements.
   */
  public ExecutionInfo lastExecution() {
    return session.lastExecution();
  }

  /** The shard names, in the order CollegeDB numbers them (sorted by name). */
  public List<String> shardNames() {
    return session.shardNames();
  }

  /** The shard that holds (or would hold) the row of {@code table} with this shard key. */
  public String shardOf(String table, Object... key) throws SQLException {
    checkOpen();
    if (cluster().config().directory().placesKeys()) {
      return new org.collegedb.internal.directory.DirectoryMaintenance(unwrap(org.collegedb.internal.directory.ClusterView.class))
          .shardOf(table, key); // its placement, if the directory placed it
    }
    return session.shardOf(table, key);
  }

  // ---------------------------------------------------------------- statements

  @Override
  public Statement createStatement() throws SQLException {
    return createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
    return createStatement(resultSetType, resultSetConcurrency, holdability);
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    checkOpen();
    checkResultSetType(resultSetType, resultSetConcurrency);
    return new CollegeStatement(this, resultSetHoldability);
  }

  private void checkResultSetType(int type, int concurrency) throws SQLException {
    if (concurrency != ResultSet.CONCUR_READ_ONLY) {
      throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements",
          SqlStates.NOT_SUPPORTED);
    }
    if (type != ResultSet.TYPE_FORWARD_ONLY) {
      addWarning(new SQLWarning("CollegeDB result sets are forward-only; the requested type was downgraded"));
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return prepare(sql, Statement.NO_GENERATED_KEYS, null, null, holdability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    checkResultSetType(resultSetType, resultSetConcurrency);
    return prepare(sql, Statement.NO_GENERATED_KEYS, null, null, holdability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    checkResultSetType(resultSetType, resultSetConcurrency);
    return prepare(sql, Statement.NO_GENERATED_KEYS, null, null, resultSetHoldability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    return prepare(sql, autoGeneratedKeys, null, null, holdability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    return prepare(sql, Statement.RETURN_GENERATED_KEYS, columnIndexes, null, holdability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    return prepare(sql, Statement.RETURN_GENERATED_KEYS, null, columnNames, holdability);
  }

  private PreparedStatement prepare(String sql, int keys, int[] indexes, String[] names, int holdability)
      throws SQLException {
    checkOpen();
    return CollegePreparedStatement.prepare(this, sql, new GeneratedKeysRequest(keys, indexes, names), holdability);
  }

  /** A prepared statement in a call's clothes: see {@link CollegeCallableStatement}. */
  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return CollegeCallableStatement.of((CollegePreparedStatement) prepareStatement(sql));
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    return prepareCall(sql);
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    return prepareCall(sql);
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    return shards.raw(0).nativeSQL(sql);
  }

  // ---------------------------------------------------------------- transactions

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    checkOpen();
    session.setAutoCommit(autoCommit);
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return shards.autoCommit();
  }

  @Override
  public void commit() throws SQLException {
    checkOpen();
    session.commit();
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen();
    session.rollback();
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return setSavepoint(null);
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    checkOpen();
    return ShardSavepoints.set(shards, name);
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    checkOpen();
    ShardSavepoints.rollback(shards, savepoint);
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    checkOpen();
    ShardSavepoints.release(shards, savepoint);
  }

  // ---------------------------------------------------------------- settings

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    for (CollegeStatement s : new ArrayList<>(statements)) {
      try {
        s.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    session.close(); // the shards roll back
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    checkOpen();
    return new CollegeDatabaseMetaData(this, shards.raw(0).getMetaData());
  }

  /**
   * Passed on to the shards as the hint JDBC makes it, except to SQLite's driver, which fixes the flag when it
   * connects. CollegeDB itself refuses writes while the connection is read-only, before any shard is touched, so that
   * the flag means the same on every backend.
   */
  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
    if (cluster().dialect() != org.collegedb.internal.schema.Dialect.SQLITE) {
      shards.forEachShard(c -> c.setReadOnly(readOnly));
    }
    session.readOnly(readOnly);
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return session.readOnly();
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen();
    shards.forEachShard(c -> c.setCatalog(catalog));
  }

  @Override
  public String getCatalog() throws SQLException {
    checkOpen();
    return shards.raw(0).getCatalog();
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    shards.forEachShard(c -> c.setTransactionIsolation(level));
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return shards.raw(0).getTransactionIsolation();
  }

  private SQLWarning warnings;

  void addWarning(SQLWarning w) {
    if (warnings == null) {
      warnings = w;
    } else {
      warnings.setNextWarning(w);
    }
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return warnings;
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    warnings = null;
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return shards.raw(0).getTypeMap();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    shards.forEachShard(c -> c.setTypeMap(map));
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
    shards.forEachShard(c -> c.setHoldability(holdability));
    this.holdability = holdability;
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    return holdability;
  }

  @Override
  public Clob createClob() throws SQLException {
    return shards.raw(0).createClob();
  }

  @Override
  public Blob createBlob() throws SQLException {
    return shards.raw(0).createBlob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return shards.raw(0).createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return shards.raw(0).createSQLXML();
  }

  @Override
  public boolean isValid(int timeout) throws SQLException {
    if (timeout < 0) {
      throw new SQLException("timeout must not be negative", SqlStates.INVALID_PARAMETER);
    }
    boolean[] valid = {!closed};
    if (valid[0]) {
      shards.forEachShard(c -> valid[0] &= c.isValid(timeout));
    }
    return valid[0];
  }

  /** Kept by CollegeDB, not passed to the shards (they are the connection's, not a shard's). */
  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    clientInfo.set(name, value);
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    clientInfo.set(properties);
  }

  @Override
  public String getClientInfo(String name) {
    return clientInfo.get(name);
  }

  @Override
  public Properties getClientInfo() {
    return clientInfo.get();
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    return shards.raw(0).createArrayOf(typeName, elements);
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    return shards.raw(0).createStruct(typeName, attributes);
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    shards.forEachShard(c -> c.setSchema(schema));
    cluster().catalog().invalidate(null);
  }

  @Override
  public String getSchema() throws SQLException {
    checkOpen();
    return shards.raw(0).getSchema();
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    if (executor == null) {
      throw new SQLException("abort needs an executor", SqlStates.INVALID_PARAMETER);
    }
    if (closed) {
      return;
    }
    closed = true;
    shards.forEachShard(c -> c.abort(executor));
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    checkOpen();
    shards.forEachShard(c -> {
      try {
        c.setNetworkTimeout(executor, milliseconds);
      } catch (SQLFeatureNotSupportedException e) {
        // embedded databases have no network: nothing to time out
      }
    });
    networkTimeout = milliseconds;
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return networkTimeout;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    if (iface == org.collegedb.internal.directory.ClusterView.class) {
      checkOpen();
      return iface.cast(session.clusterView());
    }
    throw new SQLException("not a wrapper for " + iface.getName(), SqlStates.GENERAL);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this) || iface == org.collegedb.internal.directory.ClusterView.class;
  }

  @Override
  public String toString() {
    return "CollegeConnection" + shardNames();
  }
}
