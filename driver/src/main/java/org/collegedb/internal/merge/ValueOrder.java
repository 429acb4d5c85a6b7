package org.collegedb.internal.merge;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import org.collegedb.internal.schema.Dialect;

/**
 * Compares two non-null values as the shards' database does: numbers by value whatever their Java type, text by the
 * backend's collation ({@link Dialect#textOrder()}), bytes as unsigned, dates and times in time order. Values of
 * different kinds (SQLite's columns may mix them) order numbers before text before bytes.
 */
public final class ValueOrder {
  private final Dialect dialect;
  private final String foreignCollation;

  public ValueOrder(Dialect dialect) {
    this(dialect, null);
  }

  /**
   * @param foreignCollation the shards' text collation when CollegeDB cannot reproduce it (comparing text then
   *                         fails rather than answer in another order), else null
   */
  public ValueOrder(Dialect dialect, String foreignCollation) {
    this.dialect = dialect;
    this.foreignCollation = foreignCollation;
  }

  public Dialect dialect() {
    return dialect;
  }

  public int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return compareNumbers(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      if (foreignCollation != null) {
        throw new UnsupportedCollationException(foreignCollation);
      }
      return dialect.textOrder().compare(x, y);
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y);
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    Object ta = temporal(a);
    Object tb = temporal(b);
    if (ta != null && tb != null && ta.getClass() == tb.getClass()) {
      @SuppressWarnings("unchecked")
      Comparable<Object> c = (Comparable<Object>) ta;
      return c.compareTo(tb);
    }
    int ka = kind(a);
    int kb = kind(b);
    if (ka != kb) {
      return Integer.compare(ka, kb);
    }
    if (a instanceof Comparable<?> && a.getClass() == b.getClass()) {
      @SuppressWarnings("unchecked")
      Comparable<Object> c = (Comparable<Object>) a;
      return c.compareTo(b);
    }
    return a.toString().compareTo(b.toString());
  }

  /** Whether two non-null values are one value for GROUP BY and DISTINCT. */
  public Object groupingKey(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      BigDecimal d = decimal(n);
      return d == null ? n.doubleValue() : d.stripTrailingZeros();
    }
    if (v instanceof String s) {
      return dialect.groupingKey(s);
    }
    if (v instanceof byte[] b) {
      return new org.collegedb.internal.value.KeyHasher.ByteKey(b);
    }
    Object t = temporal(v);
    return t != null ? t : v;
  }

  /** Text had to be ordered under a collation CollegeDB cannot reproduce. */
  public static final class UnsupportedCollationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedCollationException(String collation) {
      super("ordering text across shards under the collation '" + collation + "', which CollegeDB cannot "
          + "reproduce exactly: order by a C-collated expression (ORDER BY x COLLATE \"C\"), or use a database "
          + "created with LC_COLLATE 'C'");
    }
  }

  private static int kind(Object v) {
    if (v instanceof Number || v instanceof Boolean) {
      return 0;
    }
    if (v instanceof String) {
      return 1;
    }
    if (v instanceof byte[]) {
      return 2;
    }
    return 3;
  }

  /** Dates and times in one comparable form per kind. */
  private static Object temporal(Object v) {
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (v instanceof java.sql.Time t) {
      return t.toLocalTime();
    }
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (v instanceof java.time.ZonedDateTime z) {
      return z.toInstant();
    }
    if (v instanceof LocalDate || v instanceof LocalDateTime || v instanceof java.time.LocalTime
        || v instanceof java.time.Instant || v instanceof java.time.OffsetTime) {
      return v;
    }
    if (v instanceof java.util.Date d) {
      return d.toInstant();
    }
    return null;
  }

  static int compareNumbers(Number x, Number y) {
    if (integral(x) && integral(y)) {
      return Long.compare(x.longValue(), y.longValue());
    }
    BigDecimal dx = decimal(x);
    BigDecimal dy = decimal(y);
    if (dx != null && dy != null) {
      return dx.compareTo(dy);
    }
    return Double.compare(x.doubleValue(), y.doubleValue());
  }

  static boolean integral(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
  }

  /** The exact value of a number, or null for NaN and infinities. */
  static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (integral(n)) {
      return BigDecimal.valueOf(n.longValue());
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    double d = n.doubleValue();
    return Double.isFinite(d) ? new BigDecimal(d) : null;
  }
}
