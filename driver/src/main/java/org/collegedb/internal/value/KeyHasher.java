package org.collegedb.internal.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import org.collegedb.SqlStates;

/**
 * Places a key in the 64-bit hash space that the {@code route.ShardMap} divides among shards.
 *
 * <p>This is a persistent contract: every driver instance, now and after upgrades, must compute the same position for
 * the same key. The position is the first 8 bytes (as {@code HashCode.asLong()}) of MurmurHash3 x64 128 with seed 0
 * over the key's canonical bytes. Each key column contributes a tag byte and its value: {@code 'I'} and a
 * little-endian long for integers (and integral decimals, and booleans as 0/1); {@code 'D'} and the UTF-8 plain
 * string of a stripped decimal; {@code 'S'}, a little-endian int length and UTF-8 bytes for text (and UUIDs in
 * lower case); {@code 'B'}, length and bytes for binary; {@code 'T'}, length and the ISO-8601 text for dates and
 * times. Because the bytes depend on the column's type and the value, never on the setter used, a key lands on the
 * same shard however it was bound.
 *
 * <p>{@link Murmur3} computes the hash without allocating; the placement tests check it against Guava's
 * {@code Hashing.murmur3_128()} and against positions recorded before that change.
 */
public final class KeyHasher {
  private KeyHasher() {
  }

  /**
   * The position of every key that is NULL (in any of its columns): the lowest position of the hash space, which
   * the first shard in name order owns in a first shard map. Rows whose configured shard key is NULL all live there,
   * and {@code WHERE key IS NULL} reads only that shard.
   */
  public static final long NULL_POSITION = Long.MIN_VALUE;

  /** The canonical value of SQL NULL in a key tuple (a key column {@code IS NULL}). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "NULL";
    }
  };

  /** Whether a key tuple has a NULL column: it is then at {@link #NULL_POSITION}. */
  public static boolean hasNull(Object[] values) {
    for (Object v : values) {
      if (v == null || v == NULL) {
        return true;
      }
    }
    return false;
  }

  /** The position of a one-column key. */
  public static long hash(KeyType type, Object value) throws SQLException {
    if (value == null || value == NULL) {
      return NULL_POSITION;
    }
    Object c = canonical(type, value);
    if (c instanceof Long l) {
      return Murmur3.hashTagged((byte) 'I', l);
    }
    KeyBytes bytes = new KeyBytes();
    bytes.put(c);
    return bytes.hash();
  }

  /** The position of a key of several columns, hashed together in column order. */
  public static long hash(KeyType[] types, Object[] values) throws SQLException {
    if (types.length == 1) {
      return hash(types[0], values[0]);
    }
    if (hasNull(values)) {
      return NULL_POSITION;
    }
    KeyBytes bytes = new KeyBytes();
    for (int i = 0; i < types.length; i++) {
      bytes.put(canonical(types[i], values[i]));
    }
    return bytes.hash();
  }

  /**
   * The canonical form of a key value for {@code type}: values that are one key map to equal objects
   * ({@code Long}, {@code String}, {@code BigDecimal} or a {@code ByteKey}).
   */
  public static Object canonical(KeyType type, Object value) throws SQLException {
    if (value == null) {
      throw new SQLException("a shard key value is NULL", SqlStates.NOT_NULL);
    }
    if (value == NULL) {
      return NULL;
    }
    switch (type) {
      case INTEGER, BOOLEAN -> {
        if (value instanceof Long l) {
          return l; // already canonical: no new box
        }
        Long l = asLong(value);
        if (l != null) {
          return l;
        }
        BigDecimal d = asDecimal(value);
        if (d != null) {
          return d.stripTrailingZeros();
        }
        throw new SQLException("'" + value + "' is not a valid value for an integer shard key",
            SqlStates.INVALID_PARAMETER);
      }
      case DECIMAL -> {
        BigDecimal d = asDecimal(value);
        if (d == null) {
          throw new SQLException("'" + value + "' is not a valid value for a numeric shard key",
              SqlStates.INVALID_PARAMETER);
        }
        d = d.stripTrailingZeros();
        if (d.scale() <= 0 && d.compareTo(LONG_MIN) >= 0 && d.compareTo(LONG_MAX) <= 0) {
          return d.longValueExact();
        }
        return d;
      }
      case TEXT -> {
        return text(value);
      }
      case UUID -> {
        return value.toString().toLowerCase(java.util.Locale.ROOT);
      }
      case BINARY -> {
        if (value instanceof byte[] b) {
          return new ByteKey(b);
        }
        return new ByteKey(value.toString().getBytes(StandardCharsets.UTF_8));
      }
      case DATE, TIME, TIMESTAMP -> {
        return new TemporalKey(temporal(value));
      }
      default -> {
        if (value instanceof Number || value instanceof Boolean) {
          return canonical(KeyType.DECIMAL, value);
        }
        if (value instanceof byte[] b) {
          return new ByteKey(b);
        }
        if (value instanceof java.util.Date || value instanceof java.time.temporal.Temporal) {
          return new TemporalKey(temporal(value));
        }
        return value.toString();
      }
    }
  }

  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /** The canonical bytes of a key, column after column, as the class comment describes them. */
  private static final class KeyBytes {
    private byte[] bytes = new byte[32];
    private int length;

    /** Appends one column's canonical value. */
    void put(Object c) {
      if (c instanceof Long l) {
        putByte('I').putLong(l);
      } else if (c instanceof BigDecimal d) {
        putByte('D').putBytes(d.toPlainString().getBytes(StandardCharsets.UTF_8)); // no length: frozen as is
      } else if (c instanceof ByteKey b) {
        putByte('B').putInt(b.bytes.length).putBytes(b.bytes);
      } else if (c instanceof TemporalKey t) {
        byte[] iso = t.iso.getBytes(StandardCharsets.UTF_8);
        putByte('T').putInt(iso.length).putBytes(iso);
      } else {
        byte[] text = ((String) c).getBytes(StandardCharsets.UTF_8);
        putByte('S').putInt(text.length).putBytes(text);
      }
    }

    long hash() {
      return Murmur3.hash64(bytes, length);
    }

    private KeyBytes putByte(int b) {
      room(1);
      bytes[length++] = (byte) b;
      return this;
    }

    private KeyBytes putInt(int v) {
      room(4);
      for (int i = 0; i < 4; i++) {
        bytes[length++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    private KeyBytes putLong(long v) {
      room(8);
      for (int i = 0; i < 8; i++) {
        bytes[length++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    private KeyBytes putBytes(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, bytes, length, b.length);
      length += b.length;
      return this;
    }

    private void room(int n) {
      if (length + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
      }
    }
  }

  private static String text(Object value) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return value.toString();
  }

  private static Long asLong(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    BigDecimal d = asDecimal(value);
    if (d == null) {
      return null;
    }
    try {
      return d.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static BigDecimal asDecimal(Object value) {
    try {
      if (value instanceof BigDecimal d) {
        return d;
      }
      if (value instanceof BigInteger i) {
        return new BigDecimal(i);
      }
      if (value instanceof Double || value instanceof Float) {
        double d = ((Number) value).doubleValue();
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
      }
      if (value instanceof Number n) {
        return BigDecimal.valueOf(n.longValue());
      }
      if (value instanceof Boolean b) {
        return b ? BigDecimal.ONE : BigDecimal.ZERO;
      }
      if (value instanceof String s) {
        String t = s.trim();
        return t.isEmpty() ? null : new BigDecimal(t);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }

  private static String temporal(Object value) {
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (value instanceof java.sql.Time t) {
      return t.toLocalTime().toString();
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toLocalDateTime().toString();
    }
    if (value instanceof java.util.Date d) {
      return new java.sql.Timestamp(d.getTime()).toLocalDateTime().toString();
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant().toString();
    }
    if (value instanceof LocalDate || value instanceof LocalDateTime || value instanceof LocalTime) {
      return value.toString();
    }
    String s = value.toString().trim().replace(' ', 'T');
    try {
      return LocalDateTime.parse(s).toString();
    } catch (java.time.format.DateTimeParseException e) {
      // not a date-time
    }
    try {
      return LocalDate.parse(s).toString();
    } catch (java.time.format.DateTimeParseException e) {
      // not a date
    }
    try {
      return LocalTime.parse(s).toString();
    } catch (java.time.format.DateTimeParseException e) {
      return s;
    }
  }

  /** Bytes with value equality, so binary keys can be compared and collected. */
  public record ByteKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ByteKey k && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return java.util.HexFormat.of().formatHex(bytes);
    }
  }

  /** A date or time in ISO-8601 text. */
  public record TemporalKey(String iso) {
  }
}
