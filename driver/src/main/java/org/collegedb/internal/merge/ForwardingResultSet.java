package org.collegedb.internal.merge;

import java.sql.*;

/**
 * Forwards the reading methods of {@link ResultSet} to {@link #delegate()}; refuses updates and backward moves,
 * as CollegeDB result sets are forward-only and read-only; {@code unwrap} and
 * {@code isWrapperFor} answer for this object first. Generated from the JDK's interface by
 * {@code org.collegedb.support.ForwardingGenerator} (driver test sources), checked by {@code ForwardingGeneratedTest};
 * subclasses override only the methods that matter.
 */
@SuppressWarnings({"deprecation", "unchecked"})
public abstract class ForwardingResultSet implements ResultSet {
  /** The object that does the work. */
  protected abstract ResultSet delegate() throws SQLException;

  @Override
  public boolean absolute(int p0) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are forward-only", "0A000");
  }

  @Override
  public void afterLast() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are forward-only", "0A000");
  }

  @Override
  public void beforeFirst() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are forward-only", "0A000");
  }

  @Override
  public void cancelRowUpdates() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void clearWarnings() throws SQLException {
    delegate().clearWarnings();
  }

  @Override
  public void close() throws SQLException {
    delegate().close();
  }

  @Override
  public void deleteRow() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public int findColumn(String p0) throws SQLException {
    return delegate().findColumn(p0);
  }

  @Override
  public boolean first() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are forward-only", "0A000");
  }

  @Override
  public Array getArray(String p0) throws SQLException {
    return delegate().getArray(p0);
  }

  @Override
  public Array getArray(int p0) throws SQLException {
    return delegate().getArray(p0);
  }

  @Override
  public java.io.InputStream getAsciiStream(String p0) throws SQLException {
    return delegate().getAsciiStream(p0);
  }

  @Override
  public java.io.InputStream getAsciiStream(int p0) throws SQLException {
    return delegate().getAsciiStream(p0);
  }

  @Override
  public java.math.BigDecimal getBigDecimal(String p0, int p1) throws SQLException {
    return delegate().getBigDecimal(p0, p1);
  }

  @Override
  public java.math.BigDecimal getBigDecimal(String p0) throws SQLException {
    return delegate().getBigDecimal(p0);
  }

  @Override
  public java.math.BigDecimal getBigDecimal(int p0, int p1) throws SQLException {
    return delegate().getBigDecimal(p0, p1);
  }

  @Override
  public java.math.BigDecimal getBigDecimal(int p0) throws SQLException {
    return delegate().getBigDecimal(p0);
  }

  @Override
  public java.io.InputStream getBinaryStream(String p0) throws SQLException {
    return delegate().getBinaryStream(p0);
  }

  @Override
  public java.io.InputStream getBinaryStream(int p0) throws SQLException {
    return delegate().getBinaryStream(p0);
  }

  @Override
  public Blob getBlob(String p0) throws SQLException {
    return delegate().getBlob(p0);
  }

  @Override
  public Blob getBlob(int p0) throws SQLException {
    return delegate().getBlob(p0);
  }

  @Override
  public boolean getBoolean(String p0) throws SQLException {
    return delegate().getBoolean(p0);
  }

  @Override
  public boolean getBoolean(int p0) throws SQLException {
    return delegate().getBoolean(p0);
  }

  @Override
  public byte getByte(String p0) throws SQLException {
    return delegate().getByte(p0);
  }

  @Override
  public byte getByte(int p0) throws SQLException {
    return delegate().getByte(p0);
  }

  @Override
  public byte[] getBytes(String p0) throws SQLException {
    return delegate().getBytes(p0);
  }

  @Override
  public byte[] getBytes(int p0) throws SQLException {
    return delegate().getBytes(p0);
  }

  @Override
  public java.io.Reader getCharacterStream(String p0) throws SQLException {
    return delegate().getCharacterStream(p0);
  }

  @Override
  public java.io.Reader getCharacterStream(int p0) throws SQLException {
    return delegate().getCharacterStream(p0);
  }

  @Override
  public Clob getClob(String p0) throws SQLException {
    return delegate().getClob(p0);
  }

  @Override
  public Clob getClob(int p0) throws SQLException {
    return delegate().getClob(p0);
  }

  @Override
  public int getConcurrency() throws SQLException {
    return ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public String getCursorName() throws SQLException {
    return delegate().getCursorName();
  }

  @Override
  public Date getDate(String p0, java.util.Calendar p1) throws SQLException {
    return delegate().getDate(p0, p1);
  }

  @Override
  public Date getDate(String p0) throws SQLException {
    return delegate().getDate(p0);
  }

  @Override
  public Date getDate(int p0, java.util.Calendar p1) throws SQLException {
    return delegate().getDate(p0, p1);
  }

  @Override
  public Date getDate(int p0) throws SQLException {
    return delegate().getDate(p0);
  }

  @Override
  public double getDouble(String p0) throws SQLException {
    return delegate().getDouble(p0);
  }

  @Override
  public double getDouble(int p0) throws SQLException {
    return delegate().getDouble(p0);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return ResultSet.FETCH_FORWARD;
  }

  @Override
  public int getFetchSize() throws SQLException {
    return delegate().getFetchSize();
  }

  @Override
  public float getFloat(String p0) throws SQLException {
    return delegate().getFloat(p0);
  }

  @Override
  public float getFloat(int p0) throws SQLException {
    return delegate().getFloat(p0);
  }

  @Override
  public int getHoldability() throws SQLException {
    return delegate().getHoldability();
  }

  @Override
  public int getInt(String p0) throws SQLException {
    return delegate().getInt(p0);
  }

  @Override
  public int getInt(int p0) throws SQLException {
    return delegate().getInt(p0);
  }

  @Override
  public long getLong(String p0) throws SQLException {
    return delegate().getLong(p0);
  }

  @Override
  public long getLong(int p0) throws SQLException {
    return delegate().getLong(p0);
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return delegate().getMetaData();
  }

  @Override
  public java.io.Reader getNCharacterStream(String p0) throws SQLException {
    return delegate().getNCharacterStream(p0);
  }

  @Override
  public java.io.Reader getNCharacterStream(int p0) throws SQLException {
    return delegate().getNCharacterStream(p0);
  }

  @Override
  public NClob getNClob(String p0) throws SQLException {
    return delegate().getNClob(p0);
  }

  @Override
  public NClob getNClob(int p0) throws SQLException {
    return delegate().getNClob(p0);
  }

  @Override
  public String getNString(String p0) throws SQLException {
    return delegate().getNString(p0);
  }

  @Override
  public String getNString(int p0) throws SQLException {
    return delegate().getNString(p0);
  }

  @Override
  public <T> T getObject(String p0, Class<T> p1) throws SQLException {
    return delegate().getObject(p0, p1);
  }

  @Override
  public Object getObject(String p0, java.util.Map<String, Class<?>> p1) throws SQLException {
    return delegate().getObject(p0, p1);
  }

  @Override
  public Object getObject(String p0) throws SQLException {
    return delegate().getObject(p0);
  }

  @Override
  public <T> T getObject(int p0, Class<T> p1) throws SQLException {
    return delegate().getObject(p0, p1);
  }

  @Override
  public Object getObject(int p0, java.util.Map<String, Class<?>> p1) throws SQLException {
    return delegate().getObject(p0, p1);
  }

  @Override
  public Object getObject(int p0) throws SQLException {
    return delegate().getObject(p0);
  }

  @Override
  public Ref getRef(String p0) throws SQLException {
    return delegate().getRef(p0);
  }

  @Override
  public Ref getRef(int p0) throws SQLException {
    return delegate().getRef(p0);
  }

  @Override
  public int getRow() throws SQLException {
    return delegate().getRow();
  }

  @Override
  public RowId getRowId(String p0) throws SQLException {
    return delegate().getRowId(p0);
  }

  @Override
  public RowId getRowId(int p0) throws SQLException {
    return delegate().getRowId(p0);
  }

  @Override
  public SQLXML getSQLXML(String p0) throws SQLException {
    return delegate().getSQLXML(p0);
  }

  @Override
  public SQLXML getSQLXML(int p0) throws SQLException {
    return delegate().getSQLXML(p0);
  }

  @Override
  public short getShort(String p0) throws SQLException {
    return delegate().getShort(p0);
  }

  @Override
  public short getShort(int p0) throws SQLException {
    return delegate().getShort(p0);
  }

  @Override
  public Statement getStatement() throws SQLException {
    return delegate().getStatement();
  }

  @Override
  public String getString(String p0) throws SQLException {
    return delegate().getString(p0);
  }

  @Override
  public String getString(int p0) throws SQLException {
    return delegate().getString(p0);
  }

  @Override
  public Time getTime(String p0, java.util.Calendar p1) throws SQLException {
    return delegate().getTime(p0, p1);
  }

  @Override
  public Time getTime(String p0) throws SQLException {
    return delegate().getTime(p0);
  }

  @Override
  public Time getTime(int p0, java.util.Calendar p1) throws SQLException {
    return delegate().getTime(p0, p1);
  }

  @Override
  public Time getTime(int p0) throws SQLException {
    return delegate().getTime(p0);
  }

  @Override
  public Timestamp getTimestamp(String p0, java.util.Calendar p1) throws SQLException {
    return delegate().getTimestamp(p0, p1);
  }

  @Override
  public Timestamp getTimestamp(String p0) throws SQLException {
    return delegate().getTimestamp(p0);
  }

  @Override
  public Timestamp getTimestamp(int p0, java.util.Calendar p1) throws SQLException {
    return delegate().getTimestamp(p0, p1);
  }

  @Override
  public Timestamp getTimestamp(int p0) throws SQLException {
    return delegate().getTimestamp(p0);
  }

  @Override
  public int getType() throws SQLException {
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public java.net.URL getURL(String p0) throws SQLException {
    return delegate().getURL(p0);
  }

  @Override
  public java.net.URL getURL(int p0) throws SQLException {
    return delegate().getURL(p0);
  }

  @Override
  public java.io.InputStream getUnicodeStream(String p0) throws SQLException {
    return delegate().getUnicodeStream(p0);
  }

  @Override
  public java.io.InputStream getUnicodeStream(int p0) throws SQLException {
    return delegate().getUnicodeStream(p0);
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return delegate().getWarnings();
  }

  @Override
  public void insertRow() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    return delegate().isAfterLast();
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    return delegate().isBeforeFirst();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return delegate().isClosed();
  }

  @Override
  public boolean isFirst() throws SQLException {
    return delegate().isFirst();
  }

  @Override
  public boolean isLast() throws SQLException {
    return delegate().isLast();
  }

  @Override
  public boolean isWrapperFor(Class<?> p0) throws SQLException {
    return p0.isInstance(this) || delegate().isWrapperFor(p0);
  }

  @Override
  public boolean last() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are forward-only", "0A000");
  }

  @Override
  public void moveToCurrentRow() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void moveToInsertRow() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public boolean next() throws SQLException {
    return delegate().next();
  }

  @Override
  public boolean previous() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are forward-only", "0A000");
  }

  @Override
  public void refreshRow() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public boolean relative(int p0) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are forward-only", "0A000");
  }

  @Override
  public boolean rowDeleted() throws SQLException {
    return false;
  }

  @Override
  public boolean rowInserted() throws SQLException {
    return false;
  }

  @Override
  public boolean rowUpdated() throws SQLException {
    return false;
  }

  @Override
  public void setFetchDirection(int p0) throws SQLException {
    if (p0 != ResultSet.FETCH_FORWARD) {
      throw new SQLFeatureNotSupportedException("CollegeDB result sets are forward-only", "0A000");
    }
  }

  @Override
  public void setFetchSize(int p0) throws SQLException {
    delegate().setFetchSize(p0);
  }

  @Override
  public <T> T unwrap(Class<T> p0) throws SQLException {
    return p0.isInstance(this) ? p0.cast(this) : delegate().unwrap(p0);
  }

  @Override
  public void updateArray(String p0, Array p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateArray(int p0, Array p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateAsciiStream(String p0, java.io.InputStream p1, int p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateAsciiStream(String p0, java.io.InputStream p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateAsciiStream(String p0, java.io.InputStream p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateAsciiStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateAsciiStream(int p0, java.io.InputStream p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateAsciiStream(int p0, java.io.InputStream p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBigDecimal(String p0, java.math.BigDecimal p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBigDecimal(int p0, java.math.BigDecimal p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBinaryStream(String p0, java.io.InputStream p1, int p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBinaryStream(String p0, java.io.InputStream p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBinaryStream(String p0, java.io.InputStream p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBinaryStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBinaryStream(int p0, java.io.InputStream p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBinaryStream(int p0, java.io.InputStream p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBlob(String p0, java.io.InputStream p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBlob(String p0, java.io.InputStream p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBlob(String p0, Blob p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBlob(int p0, java.io.InputStream p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBlob(int p0, java.io.InputStream p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBlob(int p0, Blob p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBoolean(String p0, boolean p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBoolean(int p0, boolean p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateByte(String p0, byte p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateByte(int p0, byte p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBytes(String p0, byte[] p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateBytes(int p0, byte[] p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateCharacterStream(String p0, java.io.Reader p1, int p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateCharacterStream(String p0, java.io.Reader p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateCharacterStream(String p0, java.io.Reader p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateCharacterStream(int p0, java.io.Reader p1, int p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateCharacterStream(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateCharacterStream(int p0, java.io.Reader p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateClob(String p0, java.io.Reader p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateClob(String p0, java.io.Reader p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateClob(String p0, Clob p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateClob(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateClob(int p0, java.io.Reader p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateClob(int p0, Clob p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateDate(String p0, Date p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateDate(int p0, Date p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateDouble(String p0, double p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateDouble(int p0, double p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateFloat(String p0, float p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateFloat(int p0, float p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateInt(String p0, int p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateInt(int p0, int p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateLong(String p0, long p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateLong(int p0, long p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNCharacterStream(String p0, java.io.Reader p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNCharacterStream(String p0, java.io.Reader p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNCharacterStream(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNCharacterStream(int p0, java.io.Reader p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNClob(String p0, java.io.Reader p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNClob(String p0, java.io.Reader p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNClob(String p0, NClob p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNClob(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNClob(int p0, java.io.Reader p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNClob(int p0, NClob p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNString(String p0, String p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNString(int p0, String p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNull(String p0) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateNull(int p0) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateObject(String p0, Object p1, int p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateObject(String p0, Object p1, SQLType p2, int p3) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateObject(String p0, Object p1, SQLType p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateObject(String p0, Object p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateObject(int p0, Object p1, int p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateObject(int p0, Object p1, SQLType p2, int p3) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateObject(int p0, Object p1, SQLType p2) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateObject(int p0, Object p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateRef(String p0, Ref p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateRef(int p0, Ref p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateRow() throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateRowId(String p0, RowId p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateRowId(int p0, RowId p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateSQLXML(String p0, SQLXML p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateSQLXML(int p0, SQLXML p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateShort(String p0, short p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateShort(int p0, short p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateString(String p0, String p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateString(int p0, String p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateTime(String p0, Time p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateTime(int p0, Time p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateTimestamp(String p0, Timestamp p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public void updateTimestamp(int p0, Timestamp p1) throws SQLException {
    throw new SQLFeatureNotSupportedException("CollegeDB result sets are read-only: use UPDATE statements", "0A000");
  }

  @Override
  public boolean wasNull() throws SQLException {
    return delegate().wasNull();
  }
}
