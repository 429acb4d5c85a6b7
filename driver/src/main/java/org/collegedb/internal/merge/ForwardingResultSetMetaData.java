package org.collegedb.internal.merge;

import java.sql.*;

/**
 * Forwards every method of {@link ResultSetMetaData} to {@link #delegate()}; {@code unwrap} and
 * {@code isWrapperFor} answer for this object first. Generated from the JDK's interface by
 * {@code org.collegedb.support.ForwardingGenerator} (driver test sources), checked by {@code ForwardingGeneratedTest};
 * subclasses override only the methods that matter.
 */
@SuppressWarnings({"deprecation", "unchecked"})
public abstract class ForwardingResultSetMetaData implements ResultSetMetaData {
  /** The object that does the work. */
  protected abstract ResultSetMetaData delegate() throws SQLException;

  @Override
  public String getCatalogName(int p0) throws SQLException {
    return delegate().getCatalogName(p0);
  }

  @Override
  public String getColumnClassName(int p0) throws SQLException {
    return delegate().getColumnClassName(p0);
  }

  @Override
  public int getColumnCount() throws SQLException {
    return delegate().getColumnCount();
  }

  @Override
  public int getColumnDisplaySize(int p0) throws SQLException {
    return delegate().getColumnDisplaySize(p0);
  }

  @Override
  public String getColumnLabel(int p0) throws SQLException {
    return delegate().getColumnLabel(p0);
  }

  @Override
  public String getColumnName(int p0) throws SQLException {
    return delegate().getColumnName(p0);
  }

  @Override
  public int getColumnType(int p0) throws SQLException {
    return delegate().getColumnType(p0);
  }

  @Override
  public String getColumnTypeName(int p0) throws SQLException {
    return delegate().getColumnTypeName(p0);
  }

  @Override
  public int getPrecision(int p0) throws SQLException {
    return delegate().getPrecision(p0);
  }

  @Override
  public int getScale(int p0) throws SQLException {
    return delegate().getScale(p0);
  }

  @Override
  public String getSchemaName(int p0) throws SQLException {
    return delegate().getSchemaName(p0);
  }

  @Override
  public String getTableName(int p0) throws SQLException {
    return delegate().getTableName(p0);
  }

  @Override
  public boolean isAutoIncrement(int p0) throws SQLException {
    return delegate().isAutoIncrement(p0);
  }

  @Override
  public boolean isCaseSensitive(int p0) throws SQLException {
    return delegate().isCaseSensitive(p0);
  }

  @Override
  public boolean isCurrency(int p0) throws SQLException {
    return delegate().isCurrency(p0);
  }

  @Override
  public boolean isDefinitelyWritable(int p0) throws SQLException {
    return delegate().isDefinitelyWritable(p0);
  }

  @Override
  public int isNullable(int p0) throws SQLException {
    return delegate().isNullable(p0);
  }

  @Override
  public boolean isReadOnly(int p0) throws SQLException {
    return delegate().isReadOnly(p0);
  }

  @Override
  public boolean isSearchable(int p0) throws SQLException {
    return delegate().isSearchable(p0);
  }

  @Override
  public boolean isSigned(int p0) throws SQLException {
    return delegate().isSigned(p0);
  }

  @Override
  public boolean isWrapperFor(Class<?> p0) throws SQLException {
    return p0.isInstance(this) || delegate().isWrapperFor(p0);
  }

  @Override
  public boolean isWritable(int p0) throws SQLException {
    return delegate().isWritable(p0);
  }

  @Override
  public <T> T unwrap(Class<T> p0) throws SQLException {
    return p0.isInstance(this) ? p0.cast(this) : delegate().unwrap(p0);
  }
}
