package org.collegedb.internal.merge;

import org.collegedb.SqlStates;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Types;
import org.collegedb.internal.schema.Dialect;

/**
 * Arithmetic on merged values with the backend's rules: integer division truncates (except in MySQL, where it gives
 * a decimal with 4 more digits), PostgreSQL's numeric division picks its result scale as PostgreSQL does, division
 * by zero is an error (22012) in PostgreSQL and H2 and NULL in SQLite and MySQL.
 */
final class Arithmetic {
  private final Dialect dialect;

  Arithmetic(Dialect dialect) {
    this.dialect = dialect;
  }

  static boolean integral(Object n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
        || n instanceof BigInteger;
  }

  static boolean approximate(Object n) {
    return n instanceof Double || n instanceof Float;
  }

  static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (integral(n)) {
      return BigDecimal.valueOf(n.longValue());
    }
    return BigDecimal.valueOf(n.doubleValue());
  }

  /** A number from a value that may be text (a parameter bound with setString). */
  static Number number(Object v) throws SQLException {
    if (v instanceof Number n) {
      return n;
    }
    if (v instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (v instanceof String s) {
      try {
        BigDecimal d = new BigDecimal(s.trim());
        return d.scale() <= 0 && d.unscaledValue().bitLength() < 63 ? (Number) d.longValueExact() : d;
      } catch (NumberFormatException | ArithmeticException e) {
        throw new SQLDataException("'" + s + "' is not a number", SqlStates.INVALID_NUMBER);
      }
    }
    throw new SQLDataException("'" + v + "' is not a number", SqlStates.INVALID_NUMBER);
  }

  /** The sum of two partial results; either may be null (no rows). */
  static Number add(Number a, Number b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    if (approximate(a) || approximate(b)) {
      return a.doubleValue() + b.doubleValue();
    }
    if (integral(a) && integral(b) && !(a instanceof BigInteger) && !(b instanceof BigInteger)) {
      try {
        return Math.addExact(a.longValue(), b.longValue());
      } catch (ArithmeticException overflow) {
        return BigDecimal.valueOf(a.longValue()).add(BigDecimal.valueOf(b.longValue()));
      }
    }
    return decimal(a).add(decimal(b));
  }

  Object binary(String op, Object x, Object y) throws SQLException {
    if (x == null || y == null) {
      return null;
    }
    Number a = number(x);
    Number b = number(y);
    if (approximate(a) || approximate(b)) {
      double p = a.doubleValue();
      double q = b.doubleValue();
      switch (op) {
        case "+":
          return p + q;
        case "-":
          return p - q;
        case "*":
          return p * q;
        default:
          if (q == 0) {
            return divisionByZero();
          }
          return op.equals("/") ? p / q : p % q;
      }
    }
    if (integral(a) && integral(b)) {
      long p = a.longValue();
      long q = b.longValue();
      try {
        switch (op) {
          case "+":
            return Math.addExact(p, q);
          case "-":
            return Math.subtractExact(p, q);
          case "*":
            return Math.multiplyExact(p, q);
          default:
            break;
        }
      } catch (ArithmeticException overflow) {
        return decimalBinary(op, BigDecimal.valueOf(p), BigDecimal.valueOf(q));
      }
      if (q == 0) {
        return divisionByZero();
      }
      if (op.equals("%")) {
        return p % q;
      }
      if (dialect.decimalDivision()) {
        return BigDecimal.valueOf(p).divide(BigDecimal.valueOf(q), 4, RoundingMode.HALF_UP);
      }
      return p / q;
    }
    return decimalBinary(op, decimal(a), decimal(b));
  }

  private Object decimalBinary(String op, BigDecimal a, BigDecimal b) throws SQLException {
    switch (op) {
      case "+":
        return a.add(b);
      case "-":
        return a.subtract(b);
      case "*":
        return a.multiply(b);
      default:
        break;
    }
    if (b.signum() == 0) {
      return divisionByZero();
    }
    if (op.equals("%")) {
      return a.remainder(b);
    }
    return divide(a, b);
  }

  /** Decimal division with the backend's choice of scale. */
  BigDecimal divide(BigDecimal a, BigDecimal b) {
    return switch (dialect) {
      case POSTGRES -> postgresDivide(a, b);
      case MYSQL -> mysqlDivide(a, b);
      default -> a.divide(b, MathContext.DECIMAL128);
    };
  }

  /**
   * Decimal division as MariaDB/MySQL compute it ({@code do_div_mod} in {@code strings/decimal.c}): the quotient
   * keeps the decimals of both operands, each rounded up to whole groups of 9 digits, plus
   * {@code div_precision_increment} (4), again rounded up to a group of 9; the digits beyond are dropped. That
   * value, not the one shown with the column's scale, is what enclosing arithmetic uses ({@code AVG(n) * 2}); the
   * result column's scale rounds it (half up) when it is shown.
   */
  static BigDecimal mysqlDivide(BigDecimal a, BigDecimal b) {
    int fa = 9 * ((Math.max(0, a.scale()) + 8) / 9);
    int fb = 9 * ((Math.max(0, b.scale()) + 8) / 9);
    int scale = Math.min(9 * ((fa + fb + 4 + 8) / 9), 81);
    return a.divide(b, scale, RoundingMode.DOWN);
  }

  private Object divisionByZero() throws SQLException {
    if (dialect == Dialect.SQLITE || dialect == Dialect.MYSQL) {
      return null;
    }
    throw new SQLDataException("division by zero", SqlStates.DIVISION_BY_ZERO);
  }

  Object negate(Object x) throws SQLException {
    if (x == null) {
      return null;
    }
    Number n = number(x);
    if (approximate(n)) {
      return -n.doubleValue();
    }
    if (integral(n) && !(n instanceof BigInteger) && n.longValue() != Long.MIN_VALUE) {
      return -n.longValue();
    }
    return decimal(n).negate();
  }

  Object abs(Object x) throws SQLException {
    if (x == null) {
      return null;
    }
    Number n = number(x);
    return ValueOrder.compareNumbers(n, 0L) < 0 ? negate(n) : n;
  }

  Object round(Object x, Object places) throws SQLException {
    if (x == null || places == null) {
      return null;
    }
    Number n = number(x);
    int scale = number(places).intValue();
    if (integral(n) && scale >= 0) {
      return n;
    }
    if (approximate(n)) {
      RoundingMode mode = dialect == Dialect.POSTGRES || dialect == Dialect.MYSQL ? RoundingMode.HALF_EVEN
          : RoundingMode.HALF_UP;
      return BigDecimal.valueOf(n.doubleValue()).setScale(scale, mode).doubleValue();
    }
    return decimal(n).setScale(scale, RoundingMode.HALF_UP);
  }

  /**
   * The average of {@code count} values summing to {@code sum}, typed as the backend types AVG over that column
   * ({@code type} is the backend's own AVG column).
   */
  Object average(Number sum, long count, ColumnType type) {
    if (count == 0 || sum == null) {
      return null;
    }
    if (dialect == Dialect.SQLITE) {
      return sum.doubleValue() / count; // SQLite's AVG is always a REAL
    }
    int t = type == null ? Types.OTHER : type.jdbcType();
    switch (t) {
      case Types.DOUBLE, Types.FLOAT, Types.REAL:
        return sum.doubleValue() / count;
      case Types.NUMERIC, Types.DECIMAL:
        if (type.decfloat()) {
          return decimal(sum).divide(BigDecimal.valueOf(count),
              new MathContext(type.precision() > 0 ? type.precision() : 34, RoundingMode.HALF_UP));
        }
        if (dialect == Dialect.MYSQL) {
          return mysqlDivide(decimal(sum), BigDecimal.valueOf(count)); // shown rounded to the column's scale
        }
        if (dialect == Dialect.POSTGRES || type.scale() <= 0) {
          return postgresDivide(decimal(sum), BigDecimal.valueOf(count));
        }
        return decimal(sum).divide(BigDecimal.valueOf(count), type.scale(), RoundingMode.HALF_UP);
      case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT:
        return decimal(sum).divide(BigDecimal.valueOf(count), 0, RoundingMode.DOWN).longValue();
      default:
        return dialect == Dialect.POSTGRES ? postgresDivide(decimal(sum), BigDecimal.valueOf(count))
            : sum.doubleValue() / count;
    }
  }

  /**
   * Numeric division as PostgreSQL does it ({@code select_div_scale}): at least 16 significant digits, never fewer
   * decimals than either input shows, rounded half away from zero.
   */
  static BigDecimal postgresDivide(BigDecimal a, BigDecimal b) {
    int qweight = weight(a) - weight(b);
    if (firstDigit(a) <= firstDigit(b)) {
      qweight--;
    }
    int rscale = 16 - qweight * 4;
    rscale = Math.max(rscale, Math.max(0, a.scale()));
    rscale = Math.max(rscale, Math.max(0, b.scale()));
    rscale = Math.min(Math.max(rscale, 0), 1000);
    return a.divide(b, rscale, RoundingMode.HALF_UP);
  }

  /** The weight of a number in PostgreSQL's base-10000 digits: the position of its first nonzero digit group. */
  static int weight(BigDecimal v) {
    if (v.signum() == 0) {
      return 0;
    }
    BigDecimal abs = v.abs();
    int intDigits = abs.precision() - abs.scale(); // digits before the point; <= 0 for |v| < 1
    if (intDigits > 0) {
      return (intDigits - 1) / 4;
    }
    int leadingZeros = -intDigits; // zeros right after the point
    return -(leadingZeros / 4) - 1;
  }

  /** The value of the first base-10000 digit group of a number. */
  static int firstDigit(BigDecimal v) {
    if (v.signum() == 0) {
      return 0;
    }
    BigDecimal abs = v.abs();
    int w = weight(abs);
    // Shift so that the first group is the integer part: divide by 10000^w.
    BigDecimal shifted = abs.movePointLeft(4 * w);
    return shifted.setScale(0, RoundingMode.DOWN).intValue();
  }
}
