package org.collegedb.internal.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.collegedb.internal.schema.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Arithmetic}: the backend's rules for merged values (integer division, division by zero, overflow, rounding,
 * the type and scale of AVG), checked value by value and, for PostgreSQL's numeric division, against the server
 * itself.
 */
class ArithmeticTest {
  private static final ColumnType INTEGER = new ColumnType(Types.INTEGER, "INTEGER", 10, 0);
  private static final ColumnType DOUBLE = new ColumnType(Types.DOUBLE, "DOUBLE PRECISION", 17, 0);
  private static final ColumnType DECIMAL_10_2 = new ColumnType(Types.DECIMAL, "DECIMAL", 10, 2);
  private static final ColumnType NUMERIC = new ColumnType(Types.NUMERIC, "NUMERIC", 0, 0);
  private static final ColumnType DECFLOAT = new ColumnType(Types.NUMERIC, "DECFLOAT", 20, 0);

  @Test
  void integerDivisionTruncatesExceptInMysql() throws SQLException {
    for (Dialect d : List.of(Dialect.H2, Dialect.SQLITE, Dialect.POSTGRES)) {
      assertThat(new Arithmetic(d).binary("/", 7L, 2)).as("%s", d).isEqualTo(3L);
      assertThat(new Arithmetic(d).binary("/", -7L, 2L)).as("%s: towards zero", d).isEqualTo(-3L);
      assertThat(new Arithmetic(d).binary("%", -7L, 2L)).as("%s", d).isEqualTo(-1L);
    }
    assertThat(new Arithmetic(Dialect.MYSQL).binary("/", 7L, 2L)).isEqualTo(new BigDecimal("3.5000"));
    assertThat(new Arithmetic(Dialect.MYSQL).binary("/", 1L, 3L)).isEqualTo(new BigDecimal("0.3333"));
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"H2", "POSTGRES"})
  void divisionByZeroIsAnError(Dialect dialect) {
    Arithmetic a = new Arithmetic(dialect);
    for (String op : List.of("/", "%")) {
      assertThatThrownBy(() -> a.binary(op, 1L, 0L)).isInstanceOf(SQLDataException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22012");
      assertThatThrownBy(() -> a.binary(op, new BigDecimal("1.5"), BigDecimal.ZERO))
          .isInstanceOf(SQLDataException.class);
      assertThatThrownBy(() -> a.binary(op, 1.5, 0.0)).isInstanceOf(SQLDataException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"SQLITE", "MYSQL"})
  void divisionByZeroIsNull(Dialect dialect) throws SQLException {
    Arithmetic a = new Arithmetic(dialect);
    assertThat(a.binary("/", 1L, 0L)).isNull();
    assertThat(a.binary("%", new BigDecimal("2.5"), 0L)).isNull();
    assertThat(a.binary("/", 2.0, 0.0)).isNull();
  }

  @Test
  void nullIsNullAndTextIsReadAsANumber() throws SQLException {
    Arithmetic a = new Arithmetic(Dialect.H2);
    assertThat(a.binary("+", null, 1L)).isNull();
    assertThat(a.binary("*", 2L, null)).isNull();
    assertThat(a.binary("+", "12", 1L)).isEqualTo(13L);
    assertThat(a.binary("+", " 1.5 ", 1L)).isEqualTo(new BigDecimal("2.5"));
    assertThat(a.binary("+", true, 1L)).isEqualTo(2L);
    assertThatThrownBy(() -> a.binary("+", "x", 1L)).isInstanceOf(SQLDataException.class)
        .hasMessage("'x' is not a number");
    assertThat(a.negate(null)).isNull();
    assertThat(a.abs(null)).isNull();
    assertThat(a.round(null, 1)).isNull();
    assertThat(a.round(1.5, null)).isNull();
  }

  @Test
  void integerOverflowWidensToDecimal() throws SQLException {
    Arithmetic a = new Arithmetic(Dialect.H2);
    assertThat(a.binary("+", Long.MAX_VALUE, 1L)).isEqualTo(new BigDecimal("9223372036854775808"));
    assertThat(a.binary("*", Long.MAX_VALUE, 2L)).isEqualTo(new BigDecimal("18446744073709551614"));
    assertThat(a.binary("-", Long.MIN_VALUE, 1L)).isEqualTo(new BigDecimal("-9223372036854775809"));
    assertThat(a.negate(Long.MIN_VALUE)).isEqualTo(new BigDecimal("9223372036854775808"));
    assertThat(Arithmetic.add(Long.MAX_VALUE, 1L)).isEqualTo(new BigDecimal("9223372036854775808"));
    assertThat(Arithmetic.add(null, 5)).isEqualTo(5);
    assertThat(Arithmetic.add(2L, null)).isEqualTo(2L);
    assertThat(Arithmetic.add(1L, 0.5)).isEqualTo(1.5);
    assertThat(Arithmetic.add(1L, new BigDecimal("0.50"))).isEqualTo(new BigDecimal("1.50"));
  }

  @Test
  void decimalDivisionScalePerBackend() {
    BigDecimal one = BigDecimal.ONE;
    BigDecimal three = new BigDecimal("3");
    assertThat(new Arithmetic(Dialect.POSTGRES).divide(one, three)).isEqualTo(new BigDecimal("0.33333333333333333333"));
    // MariaDB/MySQL keep whole groups of 9 decimals inside an expression (2 -> 9, + 4 -> 18); the result column's
    // scale rounds the value only when it is shown (MariaDbArithmeticTest checks AVG(n) * 2 against the server).
    assertThat(new Arithmetic(Dialect.MYSQL).divide(new BigDecimal("1.00"), three))
        .isEqualTo(new BigDecimal("0.333333333333333333"));
    assertThat(new Arithmetic(Dialect.H2).divide(one, three).precision()).isEqualTo(34);
  }

  @Test
  void roundingOfDoublesIsHalfEvenOnPostgresAndMysqlAndHalfUpElsewhere() throws SQLException {
    assertThat(new Arithmetic(Dialect.POSTGRES).round(2.5, 0)).isEqualTo(2.0);
    assertThat(new Arithmetic(Dialect.MYSQL).round(0.125, 2)).isEqualTo(0.12);
    assertThat(new Arithmetic(Dialect.H2).round(2.5, 0)).isEqualTo(3.0);
    assertThat(new Arithmetic(Dialect.SQLITE).round(-2.5, 0)).isEqualTo(-3.0);
    assertThat(new Arithmetic(Dialect.POSTGRES).round(new BigDecimal("2.345"), 2)).isEqualTo(new BigDecimal("2.35"));
    assertThat(new Arithmetic(Dialect.H2).round(1234L, 0)).isEqualTo(1234L);
    assertThat(new Arithmetic(Dialect.H2).round(1234L, -2)).isEqualTo(new BigDecimal("1.2E+3"));
    assertThat(new Arithmetic(Dialect.H2).abs(-4L)).isEqualTo(4L);
    assertThat(new Arithmetic(Dialect.H2).abs(new BigDecimal("-0.50"))).isEqualTo(new BigDecimal("0.50"));
  }

  @Test
  void averageTypeFollowsTheBackendsOwnAvgColumn() {
    // SQLite: always REAL
    assertThat(new Arithmetic(Dialect.SQLITE).average(7L, 2, INTEGER)).isEqualTo(3.5);
    // an INTEGER AVG (H2) truncates
    assertThat(new Arithmetic(Dialect.H2).average(7L, 2, INTEGER)).isEqualTo(3L);
    assertThat(new Arithmetic(Dialect.H2).average(-7L, 2, INTEGER)).isEqualTo(-3L);
    assertThat(new Arithmetic(Dialect.H2).average(7.0, 2, DOUBLE)).isEqualTo(3.5);
    // DECIMAL with a scale: that scale (H2, MySQL)
    assertThat(new Arithmetic(Dialect.H2).average(new BigDecimal("10.00"), 3, DECIMAL_10_2))
        .isEqualTo(new BigDecimal("3.33"));
    assertThat(new Arithmetic(Dialect.MYSQL).average(new BigDecimal("10.00"), 3, DECIMAL_10_2))
        .isEqualTo(new BigDecimal("3.333333333333333333")); // shown as 3.3333..., rounded by the column's scale
    // PostgreSQL's numeric: its own division scale, whatever the column says
    assertThat(new Arithmetic(Dialect.POSTGRES).average(new BigDecimal("10.00"), 3, NUMERIC))
        .isEqualTo(new BigDecimal("3.3333333333333333"));
    assertThat(new Arithmetic(Dialect.POSTGRES).average(new BigDecimal("10.00"), 3, DECIMAL_10_2))
        .isEqualTo(new BigDecimal("3.3333333333333333"));
    // DECFLOAT: the column's precision in significant digits
    assertThat(new Arithmetic(Dialect.H2).average(new BigDecimal("10"), 3, DECFLOAT))
        .isEqualTo(new BigDecimal("3.3333333333333333333"));
    // no rows
    assertThat(new Arithmetic(Dialect.H2).average(null, 0, INTEGER)).isNull();
    assertThat(new Arithmetic(Dialect.POSTGRES).average(5L, 0, NUMERIC)).isNull();
  }

  @Test
  void postgresWeightsAreBase10000DigitGroups() {
    assertThat(Arithmetic.weight(new BigDecimal("1"))).isZero();
    assertThat(Arithmetic.weight(new BigDecimal("9999"))).isZero();
    assertThat(Arithmetic.weight(new BigDecimal("10000"))).isEqualTo(1);
    assertThat(Arithmetic.weight(new BigDecimal("0.5"))).isEqualTo(-1);
    assertThat(Arithmetic.weight(new BigDecimal("0.00001"))).isEqualTo(-2);
    assertThat(Arithmetic.firstDigit(new BigDecimal("123456"))).isEqualTo(12);
    assertThat(Arithmetic.firstDigit(new BigDecimal("0.00123"))).isEqualTo(12);
  }

  /** PostgreSQL's own numeric division of random operands equals {@link Arithmetic#postgresDivide}. */
  @Test
  void numericDivisionEqualsPostgresql() throws SQLException {
    Random random = new Random(20261206);
    List<BigDecimal[]> pairs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      pairs.add(new BigDecimal[] {operand(random), operand(random)});
    }
    pairs.add(new BigDecimal[] {new BigDecimal("1"), new BigDecimal("3")});
    pairs.add(new BigDecimal[] {new BigDecimal("10000"), new BigDecimal("0.0003")});
    pairs.add(new BigDecimal[] {new BigDecimal("-2.50"), new BigDecimal("7")});
    StringBuilder values = new StringBuilder();
    for (BigDecimal[] p : pairs) {
      values.append(values.length() == 0 ? "" : ", ").append("(").append(values.length()).append(", ")
          .append(p[0].toPlainString()).append("::numeric, ").append(p[1].toPlainString()).append("::numeric)");
    }
    try (MergeShards m = MergeShards.postgres(1);
         Statement s = m.reference.createStatement();
         ResultSet rs = s.executeQuery("SELECT x / y, x, y FROM (VALUES " + values + ") v(n, x, y) ORDER BY n")) {
      int i = 0;
      while (rs.next()) {
        BigDecimal x = rs.getBigDecimal(2);
        BigDecimal y = rs.getBigDecimal(3);
        assertThat(Arithmetic.postgresDivide(x, y)).as("%s / %s", x, y).isEqualTo(rs.getBigDecimal(1));
        i++;
      }
      assertThat(i).isEqualTo(pairs.size());
    }
  }

  private static BigDecimal operand(Random random) {
    long unscaled = random.nextInt(4) == 0 ? random.nextLong() % 1_000_000_000_000L : random.nextInt(100_000);
    if (unscaled == 0) {
      unscaled = 1;
    }
    return BigDecimal.valueOf(unscaled, random.nextInt(9));
  }
}
