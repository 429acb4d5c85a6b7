package org.collegedb.internal.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.collegedb.internal.schema.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ValueOrder}: values compare as the shards' database compares them (numbers by exact value whatever their
 * Java type, text in the backend's order, bytes unsigned, times in time order) and group as it groups them.
 */
class ValueOrderTest {
  private static final ValueOrder H2 = new ValueOrder(Dialect.H2);

  @Provide
  Arbitrary<Number> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(l -> (Number) l),
        Arbitraries.integers().between(-1000, 1000).map(i -> (Number) i),
        Arbitraries.shorts().map(s -> (Number) s),
        Arbitraries.doubles().between(-1e19, 1e19).map(d -> (Number) d),
        Arbitraries.bigDecimals().between(new BigDecimal("-1e20"), new BigDecimal("1e20")).ofScale(3)
            .map(d -> (Number) d),
        Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, 9.223372036854776E18, -9.223372036854776E18, 0.1,
            new BigDecimal("0.1"), new BigDecimal("1.000"), 1, 1L, new BigInteger("9223372036854775808")));
  }

  private static BigDecimal exact(Number n) {
    return n instanceof BigDecimal d ? d : n instanceof BigInteger i ? new BigDecimal(i)
        : n instanceof Double || n instanceof Float ? new BigDecimal(n.doubleValue()) : BigDecimal.valueOf(n.longValue());
  }

  @Property(tries = 1000)
  void numbersCompareByExactValueWhateverTheirJavaType(@ForAll("numbers") Number a, @ForAll("numbers") Number b) {
    int expected = Integer.signum(exact(a).compareTo(exact(b)));
    assertThat(Integer.signum(H2.compare(a, b))).isEqualTo(expected);
    assertThat(Integer.signum(H2.compare(b, a))).isEqualTo(-expected);
    assertThat(H2.groupingKey(a).equals(H2.groupingKey(b))).isEqualTo(expected == 0);
  }

  @Test
  void numbersNearTheEndsOfLongAreNotRoundedThroughDouble() {
    assertThat(H2.compare(Long.MAX_VALUE, 9.223372036854776E18)).isNegative(); // 2^63 - 1 < 2^63
    assertThat(H2.compare(Long.MAX_VALUE - 1, Long.MAX_VALUE)).isNegative();
    assertThat(H2.compare(0.1, new BigDecimal("0.1"))).isPositive(); // the double 0.1 is a bit more
    assertThat(H2.compare(Double.NaN, 1L)).isPositive();
    assertThat(H2.compare(Double.NEGATIVE_INFINITY, Long.MIN_VALUE)).isNegative();
  }

  @Test
  void textOrderIsTheBackends() {
    String emoji = "\ud83d\ude00"; // U+1F600: after U+FF5E by code point, before it in UTF-16
    String wide = "\uff5e";
    assertThat(new ValueOrder(Dialect.H2).compare(emoji, wide)).isNegative();
    assertThat(new ValueOrder(Dialect.SQLITE).compare(emoji, wide)).isPositive();
    assertThat(new ValueOrder(Dialect.POSTGRES).compare(emoji, wide)).isPositive();
    assertThat(new ValueOrder(Dialect.POSTGRES).compare("B", "a")).isNegative();
    ValueOrder mysql = new ValueOrder(Dialect.MYSQL);
    assertThat(mysql.compare("a", "B")).isNegative();
    assertThat(mysql.compare("\u00e9t\u00e9", "ETE")).isZero();
    assertThat(mysql.compare("abc  ", "ABC")).isZero(); // PAD SPACE
    assertThat(mysql.groupingKey("\u00c9t\u00e9 ")).isEqualTo(mysql.groupingKey("ete"));
    assertThat(new ValueOrder(Dialect.POSTGRES).groupingKey("ete")).isNotEqualTo("ETE");
    // utf8mb4_general_ci: ß is s, characters beyond the BMP weigh as U+FFFD, a combining mark is a character
    assertThat(mysql.compare("\u00df", "s")).isZero();
    assertThat(mysql.compare("\u00df", "ss")).isNegative();
    assertThat(mysql.compare(emoji, wide)).isPositive();
    assertThat(mysql.compare(emoji, "\ud83d\ude01")).isZero();
    assertThat(mysql.compare("a\u0301", "ab")).isPositive();
    assertThat(mysql.compare("\u00e1", "ab")).isNegative();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void textOrderEqualsTheDatabases(String backend) throws SQLException {
    List<String> words = List.of("a", "B", "b", "ab", "a b", "\u00e9", "E", "z", "Z", "\ud83d\ude00", "\uff5e", "",
        "a\u0301", "\u00df", "ss", "10", "9", "~", "_");
    try (MergeShards m = MergeShards.of(backend, 1)) {
      Connection c = m.reference;
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE w (n INT, v VARCHAR(20))");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO w VALUES (?, ?)")) {
        for (int i = 0; i < words.size(); i++) {
          ps.setInt(1, i);
          ps.setString(2, words.get(i));
          ps.executeUpdate();
        }
      }
      List<String> database = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM w ORDER BY v, n")) {
        while (rs.next()) {
          database.add(rs.getString(1));
        }
      }
      ValueOrder order = new ValueOrder(m.dialect);
      List<String> ours = new ArrayList<>(words);
      ours.sort(order::compare);
      assertThat(ours).isEqualTo(database);
    }
  }

  @Test
  void bytesCompareUnsignedAndGroupByContent() {
    assertThat(H2.compare(new byte[] {(byte) 0x80}, new byte[] {0x7f})).isPositive();
    assertThat(H2.compare(new byte[] {1, 2}, new byte[] {1, 2, 0})).isNegative();
    assertThat(H2.groupingKey(new byte[] {1, 2})).isEqualTo(H2.groupingKey(new byte[] {1, 2}));
  }

  @Test
  void timesCompareInTimeOrderAcrossTheirJavaTypes() {
    LocalDateTime noon = LocalDateTime.of(2024, 2, 29, 12, 0);
    assertThat(H2.compare(Timestamp.valueOf(noon), noon.plusSeconds(1))).isNegative();
    assertThat(H2.compare(Timestamp.valueOf(noon), noon)).isZero();
    assertThat(H2.compare(java.sql.Date.valueOf("2024-01-01"), LocalDate.of(2023, 12, 31))).isPositive();
    OffsetDateTime paris = OffsetDateTime.of(noon, ZoneOffset.ofHours(1));
    assertThat(H2.compare(paris, noon.toInstant(ZoneOffset.UTC))).isNegative(); // 11:00 UTC before 12:00 UTC
    assertThat(H2.compare(paris, paris.atZoneSameInstant(ZoneOffset.UTC))).isZero();
    assertThat(H2.groupingKey(Timestamp.valueOf(noon))).isEqualTo(H2.groupingKey(noon));
    assertThat(H2.groupingKey(paris)).isEqualTo(Instant.parse("2024-02-29T11:00:00Z"));
  }

  @Test
  void differentKindsOrderNumbersThenTextThenBytes() {
    assertThat(H2.compare(999L, "1")).isNegative();
    assertThat(H2.compare("zzz", new byte[] {0})).isNegative();
    assertThat(H2.compare(true, "a")).isNegative();
    assertThat(H2.compare(false, true)).isNegative();
    assertThat(H2.groupingKey(null)).isNull();
  }

  @Test
  void aForeignCollationRefusesToCompareTextOnly() {
    ValueOrder foreign = new ValueOrder(Dialect.POSTGRES, "de_DE.UTF-8");
    assertThat(foreign.compare(1L, 2L)).isNegative();
    assertThatThrownBy(() -> foreign.compare("a", "b")).isInstanceOf(ValueOrder.UnsupportedCollationException.class)
        .hasMessageContaining("'de_DE.UTF-8'").hasMessageContaining("COLLATE \"C\"");
  }

  @Test
  void aDatabaseTimestampAndItsJavaTimeFormCompareEqual() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:");
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT TIMESTAMP '2024-02-29 12:00:00', DATE '2024-02-29'")) {
      rs.next();
      assertThat(H2.compare(rs.getObject(1), LocalDateTime.of(2024, 2, 29, 12, 0))).isZero();
      assertThat(H2.compare(rs.getObject(2), LocalDate.of(2024, 2, 29))).isZero();
    }
  }
}
