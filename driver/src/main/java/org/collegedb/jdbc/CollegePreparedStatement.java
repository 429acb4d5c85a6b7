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
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.execute.ParameterStore.Setter;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.run.GeneratedKeysRequest;

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
  private List<ParameterStore> batch;

  CollegePreparedStatement(CollegeConnection connection, Tokens tokens, ParsedStatement plan,
      GeneratedKeysRequest keys, int holdability) {
    super(connection, holdability, tokens.sql(), keys);
    this.tokens = tokens;
    this.plan = plan;
    this.keys = keys;
  }

  /** Analyses {@code sql} (or finds it in the plan cache) and prepares a statement for it. */
  static CollegePreparedStatement prepare(CollegeConnection connection, String sql, GeneratedKeysRequest keys,
      int holdability) throws SQLException {
    Tokens tokens = connection.session().cluster().plans().lex(sql);
    ParsedStatement plan = connection.session().cluster().plans().plan(tokens);
    return new CollegePreparedStatement(connection, tokens, plan, keys, holdability);
  }

  private void runPrepared() throws SQLException {
    checkOpen();
    runner.run(tokens, plan, params, keys);
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

  /** Runs the batch grouped per shard (see {@code org.collegedb.internal.run.BatchRun}). */
  @Override
  public long[] executeLargeBatch() throws SQLException {
    checkOpen();
    List<ParameterStore> entries = batch == null ? List.of() : batch;
    batch = null;
    return runner.runBatch(tokens, plan, entries, keys);
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
    return runner.physical().describe(0, tokens.sql()).getMetaData();
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    checkOpen();
    return runner.physical().describe(0, tokens.sql()).getParameterMetaData();
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
