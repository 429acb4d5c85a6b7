package org.collegedb.internal.execute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLType;
import java.util.Arrays;
import java.util.Calendar;
import java.util.EnumSet;
import java.util.Set;
import org.collegedb.SqlStates;
import org.collegedb.internal.value.Bindings;

/**
 * The parameters bound to a CollegeDB prepared statement. Each setter call is recorded (which setter, the value, any
 * type or calendar) so that it can be replayed, unchanged, onto the prepared statement of whichever shard the key
 * selects, or onto several. Streams, readers and LOBs are read once into memory, as a fan-out may replay them.
 * Primitive values are kept unboxed: recording one allocates nothing and stores no new object.
 */
public final class ParameterStore implements Bindings.Parameters {
  /** Which setter was called. */
  public enum Setter {
    NULL, NULL_TYPED, BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, BIG_DECIMAL, STRING, NSTRING, BYTES, DATE,
    DATE_CAL, TIME, TIME_CAL, TIMESTAMP, TIMESTAMP_CAL, OBJECT, OBJECT_TYPED, OBJECT_SCALED, OBJECT_SQLTYPE,
    OBJECT_SQLTYPE_SCALED, URL, ARRAY, REF, ROWID, SQLXML
  }

  private static final Set<Setter> PRIMITIVE = EnumSet.of(Setter.BOOLEAN, Setter.BYTE, Setter.SHORT, Setter.INT,
      Setter.LONG, Setter.FLOAT, Setter.DOUBLE);

  private Setter[] setters = new Setter[8];
  private Object[] values = new Object[8];
  private Object[] extras = new Object[8]; // target type, calendar, type name
  private long[] bits = new long[8]; // the value of a primitive setter (BOOLEAN to DOUBLE); doubles as raw bits
  private int[] scales = new int[8];
  private int size; // highest index set

  public void set(int index, Setter setter, Object value) throws SQLException {
    set(index, setter, value, null, 0);
  }

  /**
   * Records a primitive setter (BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE) without boxing: {@code value} is the
   * number, 0 or 1 for a boolean, the raw bits of a float or double.
   */
  public void setPrimitive(int index, Setter setter, long value) throws SQLException {
    set(index, setter, null, null, 0);
    bits[index - 1] = value;
  }

  public void set(int index, Setter setter, Object value, Object extra, int scale) throws SQLException {
    if (value != null && PRIMITIVE.contains(setter)) {
      setPrimitive(index, setter, switch (setter) {
        case BOOLEAN -> (Boolean) value ? 1 : 0;
        case FLOAT -> Float.floatToRawIntBits((Float) value);
        case DOUBLE -> Double.doubleToRawLongBits((Double) value);
        default -> ((Number) value).longValue();
      });
      return;
    }
    if (index < 1) {
      throw new SQLException("parameter index " + index + " is out of range: indices start at 1",
          SqlStates.INVALID_PARAMETER);
    }
    if (index > setters.length) {
      int n = Math.max(index, setters.length * 2);
      setters = Arrays.copyOf(setters, n);
      values = Arrays.copyOf(values, n);
      extras = Arrays.copyOf(extras, n);
      scales = Arrays.copyOf(scales, n);
      bits = Arrays.copyOf(bits, n);
    }
    setters[index - 1] = setter;
    values[index - 1] = value;
    extras[index - 1] = extra;
    scales[index - 1] = scale;
    size = Math.max(size, index);
  }

  public void clear() {
    Arrays.fill(setters, 0, size, null);
    Arrays.fill(values, 0, size, null);
    Arrays.fill(extras, 0, size, null);
    size = 0;
  }

  /** A copy, for a batch entry. */
  public ParameterStore copy() {
    ParameterStore c = new ParameterStore();
    c.setters = setters.clone();
    c.values = values.clone();
    c.extras = extras.clone();
    c.scales = scales.clone();
    c.bits = bits.clone();
    c.size = size;
    return c;
  }

  /** Sets parameter {@code target} of {@code into} exactly as this store's parameter {@code source} was set. */
  public void copy(int source, ParameterStore into, int target) throws SQLException {
    value(source); // checks it is set
    into.set(target, setters[source - 1], values[source - 1], extras[source - 1], scales[source - 1]);
    into.bits[target - 1] = bits[source - 1]; // a primitive setter's value
  }

  public int size() {
    return size;
  }

  @Override
  public Object value(int index) throws SQLException {
    if (index < 1 || index > size || setters[index - 1] == null) {
      throw new SQLException("no value specified for parameter " + index, SqlStates.INVALID_PARAMETER);
    }
    int s = index - 1;
    long b = bits[s];
    return switch (setters[s]) {
      case BOOLEAN -> Boolean.valueOf(b != 0);
      case BYTE -> Byte.valueOf((byte) b);
      case SHORT -> Short.valueOf((short) b);
      case INT -> Integer.valueOf((int) b);
      case LONG -> Long.valueOf(b);
      case FLOAT -> Float.valueOf(Float.intBitsToFloat((int) b));
      case DOUBLE -> Double.valueOf(Double.longBitsToDouble(b));
      default -> values[s];
    };
  }

  /** Checks that parameters 1 to {@code count} are all set. */
  public void requireAll(int count) throws SQLException {
    for (int i = 1; i <= count; i++) {
      if (i > size || setters[i - 1] == null) {
        throw new SQLException("no value specified for parameter " + i, SqlStates.INVALID_PARAMETER);
      }
    }
  }

  /**
   * Binds onto a shard's statement: its parameter {@code i + 1} gets the caller's parameter {@code map[i]}, or,
   * with a null map, parameter {@code i + 1} for the first {@code count} parameters.
   */
  public void bind(PreparedStatement ps, int[] map, int count) throws SQLException {
    if (map == null) {
      for (int i = 1; i <= count; i++) {
        replay(ps, i, i);
      }
    } else {
      for (int i = 0; i < map.length; i++) {
        replay(ps, i + 1, map[i]);
      }
    }
  }

  private void replay(PreparedStatement ps, int target, int source) throws SQLException {
    int s = source - 1;
    Object v = values[s];
    Object extra = extras[s];
    Setter setter = setters[s];
    if (setter == null) {
      throw new SQLException("no value specified for parameter " + source, SqlStates.INVALID_PARAMETER);
    }
    switch (setter) {
      case NULL -> ps.setNull(target, (Integer) extra);
      case NULL_TYPED -> ps.setNull(target, (Integer) ((Object[]) extra)[0], (String) ((Object[]) extra)[1]);
      case BOOLEAN -> ps.setBoolean(target, bits[s] != 0);
      case BYTE -> ps.setByte(target, (byte) bits[s]);
      case SHORT -> ps.setShort(target, (short) bits[s]);
      case INT -> ps.setInt(target, (int) bits[s]);
      case LONG -> ps.setLong(target, bits[s]);
      case FLOAT -> ps.setFloat(target, Float.intBitsToFloat((int) bits[s]));
      case DOUBLE -> ps.setDouble(target, Double.longBitsToDouble(bits[s]));
      case BIG_DECIMAL -> ps.setBigDecimal(target, (BigDecimal) v);
      case STRING -> ps.setString(target, (String) v);
      case NSTRING -> ps.setNString(target, (String) v);
      case BYTES -> ps.setBytes(target, (byte[]) v);
      case DATE -> ps.setDate(target, (java.sql.Date) v);
      case DATE_CAL -> ps.setDate(target, (java.sql.Date) v, (Calendar) extra);
      case TIME -> ps.setTime(target, (java.sql.Time) v);
      case TIME_CAL -> ps.setTime(target, (java.sql.Time) v, (Calendar) extra);
      case TIMESTAMP -> ps.setTimestamp(target, (java.sql.Timestamp) v);
      case TIMESTAMP_CAL -> ps.setTimestamp(target, (java.sql.Timestamp) v, (Calendar) extra);
      case OBJECT -> ps.setObject(target, v);
      case OBJECT_TYPED -> ps.setObject(target, v, (Integer) extra);
      case OBJECT_SCALED -> ps.setObject(target, v, (Integer) extra, scales[s]);
      case OBJECT_SQLTYPE -> ps.setObject(target, v, (SQLType) extra);
      case OBJECT_SQLTYPE_SCALED -> ps.setObject(target, v, (SQLType) extra, scales[s]);
      case URL -> ps.setURL(target, (java.net.URL) v);
      case ARRAY -> ps.setArray(target, (java.sql.Array) v);
      case REF -> ps.setRef(target, (java.sql.Ref) v);
      case ROWID -> ps.setRowId(target, (java.sql.RowId) v);
      case SQLXML -> ps.setSQLXML(target, (java.sql.SQLXML) v);
      default -> throw new IllegalStateException("unknown setter " + setter);
    }
  }

  /** Reads a stream to its end, or the first {@code length} bytes when length is not negative. */
  public static byte[] readAll(InputStream in, long length) throws SQLException {
    if (in == null) {
      return null;
    }
    try {
      if (length >= 0) {
        return in.readNBytes((int) length);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new SQLException("cannot read the parameter stream: " + e.getMessage(), SqlStates.INVALID_PARAMETER, e);
    }
  }

  public static String readAll(Reader in, long length) throws SQLException {
    if (in == null) {
      return null;
    }
    try {
      if (length >= 0) {
        char[] buf = new char[(int) length];
        int n = 0;
        while (n < buf.length) {
          int r = in.read(buf, n, buf.length - n);
          if (r < 0) {
            break;
          }
          n += r;
        }
        return new String(buf, 0, n);
      }
      StringWriter out = new StringWriter();
      in.transferTo(out);
      return out.toString();
    } catch (IOException e) {
      throw new SQLException("cannot read the parameter reader: " + e.getMessage(), SqlStates.INVALID_PARAMETER, e);
    }
  }

  public static byte[] bytes(Blob blob) throws SQLException {
    return blob == null ? null : blob.getBytes(1, (int) blob.length());
  }

  public static String string(Clob clob) throws SQLException {
    return clob == null ? null : clob.getSubString(1, (int) clob.length());
  }
}
