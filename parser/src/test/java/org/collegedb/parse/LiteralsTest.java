package org.collegedb.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The values {@link Literals} reads from the literal a plan points at, as analysed. */
class LiteralsTest {
  /** The value of the first value the analysis of {@code WHERE a = <literal>} refers to. */
  private static Object valueOf(String literal, SqlLexer.Options options) {
    Tokens tokens = SqlLexer.lex("SELECT * FROM t WHERE a = " + literal, options);
    ParsedStatement.Select s = (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
    ValueRef.Literal ref = (ValueRef.Literal) ((Condition.Eq) s.where()).value();
    return Literals.value(tokens, ref, options.backslashEscapes());
  }

  @ParameterizedTest
  @CsvSource({"5, 5", "-5, -5", "+5, 5", "0x1F, 31", "0X1f, 31", "-0x1F, -31", "123456789012345678, "
      + "123456789012345678"})
  void integers(String literal, long value) {
    assertThat(valueOf(literal, SqlLexer.Options.STANDARD)).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource({"1.5, 1.5", "-1.5, -1.5", ".5, 0.5", "1e3, 1E+3", "2.5E-3, 0.0025", "12345678901234567890, "
      + "12345678901234567890", "0xFFFFFFFFFFFFFFFFFF, 4722366482869645213695", "-0x8000000000000001, "
      + "-9223372036854775809"})
  void decimalsAndBigNumbers(String literal, BigDecimal value) {
    assertThat(valueOf(literal, SqlLexer.Options.STANDARD)).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "'x'|x",
      "'it''s'|it's",
      "''|",
      "N'Zoë 😀'|Zoë 😀",
      "'a\\b'|a\\b",
      "E'a\\'b\\tc'|a'b\tc",
      "$$it's$$|it's",
      "$t$a$$b$t$|a$$b",
      "DATE '2024-01-31'|2024-01-31"})
  void stringsInStandardMode(String literal, String value) {
    assertThat(valueOf(literal, SqlLexer.Options.STANDARD)).isEqualTo(value == null ? "" : value);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "'it\\'s'|it's",
      "'a\\\\b'|a\\b",
      "'tab\\there'|tab\there",
      "'it''s'|it's"})
  void stringsWithBackslashEscapesInMysqlMode(String literal, String value) {
    assertThat(valueOf(literal, SqlLexer.Options.MYSQL)).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource(quoteCharacter = '"', value = {"X'0A1b', 0A1B", "x'', \"\""})
  void hexStringsAreBytes(String literal, String hex) {
    assertThat((byte[]) valueOf(literal, SqlLexer.Options.STANDARD))
        .isEqualTo(java.util.HexFormat.of().parseHex(hex));
  }
}
