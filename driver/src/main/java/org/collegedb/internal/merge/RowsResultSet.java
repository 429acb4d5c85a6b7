package org.collegedb.internal.merge;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import org.collegedb.SelfWrapper;
import org.collegedb.SqlStates;
import org.collegedb.internal.schema.Dialect;

/**
 * Rows the driver computed itself (merged groups), with the metadata of the shards' own columns. Getters convert
 * values as JDBC drivers do: numbers to any numeric type, anything to text, dates and times between their forms.
 */
public final class RowsResultSet extends ForwardingResultSet implements SelfWrapper {
  private final Statement owner;
  private final SnapshotMetaData metadata;
  private final List<Object[]> rows;
  private int index = -1;
  private boolean wasNull;
  private boolean closed;

  public RowsResultSet(Statement owner, SnapshotMetaData metadata, List<Object[]> rows) {
    this.owner = owner;
    this.metadata = metadata;
    this.rows = rows;
  }

  @Override
  protected ResultSet delegate() throws SQLException {
    throw new SQLFeatureNotSupportedException("not supported on a merged result", SqlStates.NOT_SUPPORTED);
  }

  /** Converts a computed value to the Java type the backend gives for a column of this type. */
  static Object typed(Object v, ColumnType type, Dialect dialect) {
    if (v == null || type == null) {
      return v;
    }
    if (!(v instanceof Number n)) {
      return v;
    }
    if (dialect == Dialect.SQLITE) {
      // SQLite types values, not columns: integers come back as Integer when they fit, else Long; the rest as Double.
      if (Arithmetic.integral(n) || n instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0
          && type.jdbcType() != Types.FLOAT && type.jdbcType() != Types.REAL && type.jdbcType() != Types.DOUBLE) {
        long l = n.longValue();
        return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
      }
      return n.doubleValue();
    }
    switch (type.jdbcType()) {
      case Types.BIGINT:
        return n instanceof Long ? n : n.longValue();
      case Types.INTEGER, Types.SMALLINT, Types.TINYINT:
        long l = n.longValue();
        if (dialect == Dialect.SQLITE && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
          return l;
        }
        return n instanceof Integer ? n : (int) l;
      case Types.DOUBLE, Types.FLOAT:
        return n instanceof Double ? n : n.doubleValue();
      case Types.REAL:
        return dialect == Dialect.SQLITE ? (Object) n.doubleValue() : (Object) n.floatValue();
      case Types.NUMERIC, Types.DECIMAL:
        BigDecimal d = Arithmetic.decimal(n);
        if (type.decfloat()) {
          BigDecimal rounded = d.round(new MathContext(type.precision() > 0 ? type.precision() : 34,
              RoundingMode.HALF_UP));
          // H2 keeps DECFLOAT values normalized: 7.50 is 7.5, 100 is 1E+2
          return dialect == Dialect.H2 ? rounded.stripTrailingZeros() : rounded;
        }
        if (dialect != Dialect.POSTGRES && type.scale() > 0 && d.scale() != type.scale()) {
          return d.setScale(type.scale(), RoundingMode.HALF_UP);
        }
        return d;
      default:
        return v;
    }
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the result set is closed", SqlStates.GENERAL);
    }
  }

  private Object value(int column) throws SQLException {
    checkOpen();
    if (index < 0 || index >= rows.size()) {
      throw new SQLException("no current row", SqlStates.NO_CURRENT_ROW);
    }
    if (column < 1 || column > metadata.getColumnCount()) {
      throw new SQLException("column index " + column + " is out of range 1.." + metadata.getColumnCount(),
          SqlStates.GENERAL);
    }
    Object v = rows.get(index)[column - 1];
    wasNull = v == null;
    return v;
  }

  @Override
  public boolean next() throws SQLException {
    checkOpen();
    if (index < rows.size()) {
      index++;
    }
    return index < rows.size();
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean wasNull() {
    return wasNull;
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    return metadata;
  }

  @Override
  public int findColumn(String label) throws SQLException {
    int i = metadata.indexOf(label);
    if (i < 0) {
      throw new SQLException("no column labelled '" + label + "'", SqlStates.UNDEFINED_COLUMN);
    }
    return i;
  }

  @Override
  public Statement getStatement() {
    return owner;
  }

  @Override
  public SQLWarning getWarnings() {
    return null;
  }

  @Override
  public void clearWarnings() {
  }

  @Override
  public int getRow() {
    return index >= 0 && index < rows.size() ? index + 1 : 0;
  }

  @Override
  public boolean isBeforeFirst() {
    return index < 0 && !rows.isEmpty();
  }

  @Override
  public boolean isAfterLast() {
    return index >= rows.size() && !rows.isEmpty();
  }

  @Override
  public boolean isFirst() {
    return index == 0 && !rows.isEmpty();
  }

  @Override
  public boolean isLast() {
    return index == rows.size() - 1 && !rows.isEmpty();
  }

  @Override
  public int getFetchSize() {
    return 0;
  }

  @Override
  public void setFetchSize(int rows) {
  }

  @Override
  public int getHoldability() {
    return ResultSet.HOLD_CURSORS_OVER_COMMIT;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return SelfWrapper.super.unwrap(iface); // rows of its own: it wraps nothing
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return SelfWrapper.super.isWrapperFor(iface);
  }

  // ---------------------------------------------------------------- getters by index

  @Override
  public Object getObject(int column) throws SQLException {
    return value(column);
  }

  @Override
  public Object getObject(int column, Map<String, Class<?>> map) throws SQLException {
    return value(column);
  }

  @Override
  public String getString(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return v.toString();
  }

  @Override
  public String getNString(int column) throws SQLException {
    return getString(column);
  }

  private Number number(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return null;
    }
    try {
      return Arithmetic.number(v);
    } catch (SQLException e) {
      throw new SQLDataException("column " + column + ": " + e.getMessage(), SqlStates.INVALID_NUMBER);
    }
  }

  @Override
  public boolean getBoolean(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      String t = s.trim();
      return t.equalsIgnoreCase("true") || t.equals("1") || t.equalsIgnoreCase("t") || t.equalsIgnoreCase("y")
          || t.equalsIgnoreCase("yes");
    }
    return number(column).doubleValue() != 0;
  }

  @Override
  public byte getByte(int column) throws SQLException {
    Number n = number(column);
    return n == null ? 0 : n.byteValue();
  }

  @Override
  public short getShort(int column) throws SQLException {
    Number n = number(column);
    return n == null ? 0 : n.shortValue();
  }

  @Override
  public int getInt(int column) throws SQLException {
    Number n = number(column);
    return n == null ? 0 : n.intValue();
  }

  @Override
  public long getLong(int column) throws SQLException {
    Number n = number(column);
    return n == null ? 0 : n.longValue();
  }

  @Override
  public float getFloat(int column) throws SQLException {
    Number n = number(column);
    return n == null ? 0 : n.floatValue();
  }

  @Override
  public double getDouble(int column) throws SQLException {
    Number n = number(column);
    return n == null ? 0 : n.doubleValue();
  }

  @Override
  public BigDecimal getBigDecimal(int column) throws SQLException {
    Number n = number(column);
    return n == null ? null : Arithmetic.decimal(n);
  }

  @Override
  @SuppressWarnings("deprecation")
  public BigDecimal getBigDecimal(int column, int scale) throws SQLException {
    BigDecimal d = getBigDecimal(column);
    return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
  }

  @Override
  public byte[] getBytes(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return null;
    }
    return v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Date getDate(int column) throws SQLException {
    Object v = value(column);
    LocalDate d = localDate(v);
    return d == null ? null : Date.valueOf(d);
  }

  @Override
  public Date getDate(int column, Calendar cal) throws SQLException {
    return getDate(column);
  }

  @Override
  public Time getTime(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return null;
    }
    if (v instanceof Time t) {
      return t;
    }
    if (v instanceof LocalTime t) {
      return Time.valueOf(t);
    }
    LocalDateTime dt = localDateTime(v);
    if (dt != null) {
      return Time.valueOf(dt.toLocalTime());
    }
    return Time.valueOf(LocalTime.parse(v.toString()));
  }

  @Override
  public Time getTime(int column, Calendar cal) throws SQLException {
    return getTime(column);
  }

  @Override
  public Timestamp getTimestamp(int column) throws SQLException {
    Object v = value(column);
    if (v instanceof Timestamp t) {
      return t;
    }
    LocalDateTime dt = localDateTime(v);
    return dt == null ? null : Timestamp.valueOf(dt);
  }

  @Override
  public Timestamp getTimestamp(int column, Calendar cal) throws SQLException {
    return getTimestamp(column);
  }

  private static LocalDate localDate(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Date d) {
      return d.toLocalDate();
    }
    if (v instanceof LocalDate d) {
      return d;
    }
    LocalDateTime dt = localDateTime(v);
    if (dt != null) {
      return dt.toLocalDate();
    }
    return LocalDate.parse(v.toString().trim().substring(0, 10));
  }

  private static LocalDateTime localDateTime(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime();
    }
    if (v instanceof LocalDateTime t) {
      return t;
    }
    if (v instanceof Date d) {
      return d.toLocalDate().atStartOfDay();
    }
    if (v instanceof LocalDate d) {
      return d.atStartOfDay();
    }
    if (v instanceof OffsetDateTime o) {
      return o.atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
    }
    if (v instanceof Instant i) {
      return LocalDateTime.ofInstant(i, ZoneId.systemDefault());
    }
    if (v instanceof java.util.Date d) {
      return new Timestamp(d.getTime()).toLocalDateTime();
    }
    if (v instanceof Number n) {
      return LocalDateTime.ofInstant(Instant.ofEpochMilli(n.longValue()), ZoneId.systemDefault());
    }
    String s = v.toString().trim();
    if (s.length() == 10) {
      return LocalDate.parse(s).atStartOfDay();
    }
    return LocalDateTime.parse(s.replace(' ', 'T'));
  }

  @Override
  public InputStream getBinaryStream(int column) throws SQLException {
    byte[] b = getBytes(column);
    return b == null ? null : new ByteArrayInputStream(b);
  }

  @Override
  public InputStream getAsciiStream(int column) throws SQLException {
    String s = getString(column);
    return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public Reader getCharacterStream(int column) throws SQLException {
    String s = getString(column);
    return s == null ? null : new StringReader(s);
  }

  @Override
  public Reader getNCharacterStream(int column) throws SQLException {
    return getCharacterStream(column);
  }

  @Override
  public <T> T getObject(int column, Class<T> type) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return null;
    }
    if (type.isInstance(v)) {
      return type.cast(v);
    }
    Object converted;
    if (type == String.class) {
      converted = getString(column);
    } else if (type == Integer.class) {
      converted = getInt(column);
    } else if (type == Long.class) {
      converted = getLong(column);
    } else if (type == Short.class) {
      converted = getShort(column);
    } else if (type == Byte.class) {
      converted = getByte(column);
    } else if (type == Double.class) {
      converted = getDouble(column);
    } else if (type == Float.class) {
      converted = getFloat(column);
    } else if (type == BigDecimal.class) {
      converted = getBigDecimal(column);
    } else if (type == BigInteger.class) {
      converted = getBigDecimal(column).toBigInteger();
    } else if (type == Boolean.class) {
      converted = getBoolean(column);
    } else if (type == byte[].class) {
      converted = getBytes(column);
    } else if (type == LocalDate.class) {
      converted = localDate(v);
    } else if (type == LocalDateTime.class) {
      converted = localDateTime(v);
    } else if (type == LocalTime.class) {
      converted = getTime(column).toLocalTime();
    } else if (type == Date.class) {
      converted = getDate(column);
    } else if (type == Timestamp.class) {
      converted = getTimestamp(column);
    } else if (type == Time.class) {
      converted = getTime(column);
    } else if (type == OffsetDateTime.class) {
      converted = v instanceof OffsetDateTime o ? o
          : localDateTime(v).atZone(ZoneId.systemDefault()).toOffsetDateTime();
    } else if (type == Instant.class) {
      converted = localDateTime(v).atZone(ZoneId.systemDefault()).toInstant();
    } else {
      throw new SQLFeatureNotSupportedException("cannot convert " + v.getClass().getName() + " to "
          + type.getName(), SqlStates.NOT_SUPPORTED);
    }
    return type.cast(converted);
  }

  // ---------------------------------------------------------------- getters by label

  @Override
  public Object getObject(String label) throws SQLException {
    return getObject(findColumn(label));
  }

  @Override
  public Object getObject(String label, Map<String, Class<?>> map) throws SQLException {
    return getObject(findColumn(label));
  }

  @Override
  public <T> T getObject(String label, Class<T> type) throws SQLException {
    return getObject(findColumn(label), type);
  }

  @Override
  public String getString(String label) throws SQLException {
    return getString(findColumn(label));
  }

  @Override
  public String getNString(String label) throws SQLException {
    return getString(findColumn(label));
  }

  @Override
  public boolean getBoolean(String label) throws SQLException {
    return getBoolean(findColumn(label));
  }

  @Override
  public byte getByte(String label) throws SQLException {
    return getByte(findColumn(label));
  }

  @Override
  public short getShort(String label) throws SQLException {
    return getShort(findColumn(label));
  }

  @Override
  public int getInt(String label) throws SQLException {
    return getInt(findColumn(label));
  }

  @Override
  public long getLong(String label) throws SQLException {
    return getLong(findColumn(label));
  }

  @Override
  public float getFloat(String label) throws SQLException {
    return getFloat(findColumn(label));
  }

  @Override
  public double getDouble(String label) throws SQLException {
    return getDouble(findColumn(label));
  }

  @Override
  public BigDecimal getBigDecimal(String label) throws SQLException {
    return getBigDecimal(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public BigDecimal getBigDecimal(String label, int scale) throws SQLException {
    return getBigDecimal(findColumn(label), scale);
  }

  @Override
  public byte[] getBytes(String label) throws SQLException {
    return getBytes(findColumn(label));
  }

  @Override
  public Date getDate(String label) throws SQLException {
    return getDate(findColumn(label));
  }

  @Override
  public Date getDate(String label, Calendar cal) throws SQLException {
    return getDate(findColumn(label));
  }

  @Override
  public Time getTime(String label) throws SQLException {
    return getTime(findColumn(label));
  }

  @Override
  public Time getTime(String label, Calendar cal) throws SQLException {
    return getTime(findColumn(label));
  }

  @Override
  public Timestamp getTimestamp(String label) throws SQLException {
    return getTimestamp(findColumn(label));
  }

  @Override
  public Timestamp getTimestamp(String label, Calendar cal) throws SQLException {
    return getTimestamp(findColumn(label));
  }

  @Override
  public InputStream getBinaryStream(String label) throws SQLException {
    return getBinaryStream(findColumn(label));
  }

  @Override
  public InputStream getAsciiStream(String label) throws SQLException {
    return getAsciiStream(findColumn(label));
  }

  @Override
  public Reader getCharacterStream(String label) throws SQLException {
    return getCharacterStream(findColumn(label));
  }

  @Override
  public Reader getNCharacterStream(String label) throws SQLException {
    return getCharacterStream(findColumn(label));
  }
}
