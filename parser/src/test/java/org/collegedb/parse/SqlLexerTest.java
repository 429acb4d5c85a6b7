package org.collegedb.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Token boundaries, kinds, placeholder numbering and shape keys of {@link SqlLexer}. */
class SqlLexerTest {
  private static final SqlLexer.Options MYSQL = SqlLexer.Options.MYSQL;
  private static final SqlLexer.Options STANDARD = SqlLexer.Options.STANDARD;

  /** Each token as {@code TYPE:text}. */
  private static List<String> tokens(String sql, SqlLexer.Options options) {
    Tokens t = SqlLexer.lex(sql, options);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      out.add(t.type(i) + ":" + t.text(i));
    }
    return out;
  }

  private static List<String> tokens(String sql) {
    return tokens(sql, STANDARD);
  }

  // ---------------------------------------------------------------- quoted identifiers and strings

  @Test
  void quotedIdentifiersAreOneTokenWithDoubledQuotesInside() {
    assertThat(tokens("select \"my col\", `x``y`, \"a\"\"b\" from t")).containsExactly("WORD:select",
        "QUOTED_ID:\"my col\"", "COMMA:,", "QUOTED_ID:`x``y`", "COMMA:,", "QUOTED_ID:\"a\"\"b\"", "WORD:from",
        "WORD:t");
  }

  @Test
  void quotedIdentifiersHideWhatLooksLikeSyntax() {
    assertThat(tokens("\"a ? -- b\" `c /* d`")).containsExactly("QUOTED_ID:\"a ? -- b\"", "QUOTED_ID:`c /* d`");
    assertThat(SqlLexer.lex("\"a ? b\"").paramCount()).isZero();
  }

  @Test
  void stringsEscapeQuotesByDoublingThem() {
    assertThat(tokens("'it''s' '' ''''")).containsExactly("STRING:'it''s'", "STRING:''", "STRING:''''");
  }

  @ParameterizedTest
  @ValueSource(strings = {"N'Zoë'", "n'x'", "X'0A1B'", "x'ff'", "B'1010'", "E'a\\'b'", "e'\\n'"})
  void prefixedStringsAreOneStringToken(String literal) {
    assertThat(tokens("select " + literal + " from t")).containsExactly("WORD:select", "STRING:" + literal,
        "WORD:from", "WORD:t");
  }

  @Test
  void aPrefixLetterBeforeASpaceIsAWord() {
    assertThat(tokens("select n 'x', e, X")).containsExactly("WORD:select", "WORD:n", "STRING:'x'", "COMMA:,",
        "WORD:e", "COMMA:,", "WORD:X");
  }

  @Test
  void backslashEscapesAQuoteInMysqlMode() {
    assertThat(tokens("'a\\'b' 'c\\\\'", MYSQL)).containsExactly("STRING:'a\\'b'", "STRING:'c\\\\'");
  }

  @Test
  void backslashIsAnOrdinaryCharacterInStandardMode() {
    assertThat(tokens("'a\\' , 'b'")).containsExactly("STRING:'a\\'", "COMMA:,", "STRING:'b'");
    assertThatThrownBy(() -> SqlLexer.lex("'a\\'b'")).isInstanceOf(SqlSyntaxException.class);
  }

  @Test
  void eStringsUseBackslashEscapesInEveryMode() {
    assertThat(tokens("E'it\\'s' x", STANDARD)).containsExactly("STRING:E'it\\'s'", "WORD:x");
  }

  @Test
  void dollarQuotedStringsRunToTheirClosingTag() {
    assertThat(tokens("select $$it's -- not ? a comment$$, $fn$ a $$ b $fn$ from t")).containsExactly(
        "WORD:select", "STRING:$$it's -- not ? a comment$$", "COMMA:,", "STRING:$fn$ a $$ b $fn$", "WORD:from",
        "WORD:t");
    assertThat(SqlLexer.lex("select $$?$$").paramCount()).isZero();
  }

  @Test
  void positionalParametersAreNotDollarQuotes() {
    assertThat(tokens("select * from t where a = $1 and b = $2")).containsExactly("WORD:select", "OP:*",
        "WORD:from", "WORD:t", "WORD:where", "WORD:a", "OP:=", "OP:$1", "WORD:and", "WORD:b", "OP:=", "OP:$2");
  }

  @Test
  void dollarInsideAWordIsPartOfIt() {
    assertThat(tokens("select a$b, sys$x from t$1")).containsExactly("WORD:select", "WORD:a$b", "COMMA:,",
        "WORD:sys$x", "WORD:from", "WORD:t$1");
  }

  // ---------------------------------------------------------------- comments and hints

  @Test
  void lineCommentsRunToTheEndOfTheLine() {
    assertThat(tokens("select 1 -- one ? 'x\nfrom t --")).containsExactly("WORD:select", "NUMBER:1", "WORD:from",
        "WORD:t");
  }

  @Test
  void hashCommentsOnlyInMysqlMode() {
    assertThat(tokens("select 1 # one ? 'x\nfrom t", MYSQL)).containsExactly("WORD:select", "NUMBER:1",
        "WORD:from", "WORD:t");
    assertThat(tokens("select a # b from t")).containsExactly("WORD:select", "WORD:a", "OP:#", "WORD:b",
        "WORD:from", "WORD:t");
  }

  @Test
  void inMysqlModeTwoDashesWithoutASpaceAreMinusMinus() {
    // MySQL: "--" starts a comment only when followed by white space; 1--1 is 1 - (-1).
    assertThat(tokens("select 1--1, 2 -- c\n", MYSQL)).containsExactly("WORD:select", "NUMBER:1", "OP:-", "OP:-",
        "NUMBER:1", "COMMA:,", "NUMBER:2");
    assertThat(tokens("select 1--\n", MYSQL)).containsExactly("WORD:select", "NUMBER:1");
    assertThat(tokens("select 1--1")).containsExactly("WORD:select", "NUMBER:1");
  }

  @Test
  void blockCommentsAreSkippedAcrossLines() {
    assertThat(tokens("select /* a ?\n 'b */ 1 /**/ from/*x*/t")).containsExactly("WORD:select", "NUMBER:1",
        "WORD:from", "WORD:t");
  }

  @Test
  void hintsAreKept() {
    assertThat(tokens("select /*+ INDEX(t ix) */ a from t")).containsExactly("WORD:select",
        "HINT:/*+ INDEX(t ix) */", "WORD:a", "WORD:from", "WORD:t");
  }

  // ---------------------------------------------------------------- numbers and operators

  @ParameterizedTest
  @ValueSource(strings = {"1", "42", "1.5", ".5", "1.", "1e10", "1E10", "1.5e-3", "2E+8", "0x1F", "0XfF",
      "12345678901234567890"})
  void numbersAreOneToken(String number) {
    assertThat(tokens("select " + number + ", x")).containsExactly("WORD:select", "NUMBER:" + number, "COMMA:,",
        "WORD:x");
  }

  @Test
  void anExponentNeedsDigits() {
    assertThat(tokens("1e, 1ex")).containsExactly("NUMBER:1", "WORD:e", "COMMA:,", "NUMBER:1", "WORD:ex");
  }

  @Test
  void aMinusIsAnOperatorBeforeTheNumber() {
    assertThat(tokens("a=-5")).containsExactly("WORD:a", "OP:=", "OP:-", "NUMBER:5");
  }

  @Test
  void multiCharacterOperatorsAndNamedParameters() {
    assertThat(tokens("a->>'k' <> b::int <= :name != c || d")).containsExactly("WORD:a", "OP:->>", "STRING:'k'",
        "OP:<>", "WORD:b", "OP:::", "WORD:int", "OP:<=", "OP::name", "OP:!=", "WORD:c", "OP:||", "WORD:d");
  }

  @Test
  void punctuationHasItsOwnTypes() {
    assertThat(tokens("f(a, b);")).containsExactly("WORD:f", "LPAREN:(", "WORD:a", "COMMA:,", "WORD:b",
        "RPAREN:)", "SEMICOLON:;");
  }

  @Test
  void anEmojiIsOneOperatorTokenAndKeepsOffsetsInUtf16() {
    Tokens t = SqlLexer.lex("select '😀' , 😀 x");
    assertThat(t.text(1)).isEqualTo("'😀'");
    assertThat(t.text(3)).isEqualTo("😀");
    assertThat(t.start(4)).isEqualTo("select '😀' , 😀 ".length());
  }

  // ---------------------------------------------------------------- placeholders

  @Test
  void placeholdersAreNumberedFromOneInTextOrder() {
    Tokens t = SqlLexer.lex("select ? from t where a = ? and b in (?, ?)");
    assertThat(t.paramCount()).isEqualTo(4);
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      if (t.type(i) == TokenType.PARAM) {
        indices.add(t.paramIndex(i));
      }
    }
    assertThat(indices).containsExactly(1, 2, 3, 4);
  }

  @Test
  void placeholdersInStringsCommentsAndQuotedNamesDoNotCount() {
    Tokens t = SqlLexer.lex("select '?', \"?\", `?` /* ? */, $$?$$ -- ?\n from t where a = ? and b = E'\\'?'"
        + " and c = ?");
    assertThat(t.paramCount()).isEqualTo(2);
    Tokens mysql = SqlLexer.lex("select 'a\\'?' # ?\n, ?", MYSQL);
    assertThat(mysql.paramCount()).isEqualTo(1);
    assertThat(mysql.paramIndex(mysql.size() - 1)).isEqualTo(1);
  }

  @Test
  void paramIndexOfAnotherTokenIsRefused() {
    Tokens t = SqlLexer.lex("select ?");
    assertThatThrownBy(() -> t.paramIndex(0)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- unterminated tokens

  static Stream<Arguments> unterminatedTokensAreSyntaxErrors() {
    return Stream.of(
        Arguments.of("select 'abc", "unterminated string literal starting at offset 7"),
        Arguments.of("select 'it''s", "unterminated string literal"),
        Arguments.of("select N'abc", "unterminated string literal"),
        Arguments.of("select E'abc\\'", "unterminated string literal"),
        Arguments.of("select \"abc", "unterminated quoted identifier starting at offset 7"),
        Arguments.of("select `abc", "unterminated quoted identifier"),
        Arguments.of("select /* abc", "unterminated comment starting at offset 7"),
        Arguments.of("select /*+ hint", "unterminated comment"),
        Arguments.of("select $$abc", "unterminated dollar-quoted string"),
        Arguments.of("select $a$ abc $b$", "unterminated dollar-quoted string"));
  }

  @ParameterizedTest
  @MethodSource
  void unterminatedTokensAreSyntaxErrors(String sql, String message) {
    assertThatThrownBy(() -> SqlLexer.lex(sql)).isInstanceOf(SqlSyntaxException.class).hasMessageContaining(message);
  }

  @Test
  void anUnterminatedBackslashEscapedStringInMysqlMode() {
    assertThatThrownBy(() -> SqlLexer.lex("select 'abc\\'", MYSQL)).isInstanceOf(SqlSyntaxException.class);
    assertThatThrownBy(() -> SqlLexer.lex("select 'abc\\", MYSQL)).isInstanceOf(SqlSyntaxException.class);
  }

  @Test
  void anEmptyTextHasNoTokens() {
    assertThat(SqlLexer.lex("").size()).isZero();
    assertThat(SqlLexer.lex("  -- only a comment\n /* and another */ ").size()).isZero();
  }

  // ---------------------------------------------------------------- offsets and navigation

  @Test
  void offsetsPointIntoTheText() {
    String sql = "select  a,\n\tb from t";
    Tokens t = SqlLexer.lex(sql);
    for (int i = 0; i < t.size(); i++) {
      assertThat(sql.substring(t.start(i), t.end(i))).isEqualTo(t.text(i));
      assertThat(t.tokenAt(t.start(i))).isEqualTo(i);
      assertThat(t.tokenAt(t.end(i) - 1)).isEqualTo(i);
    }
    assertThat(t.tokenAt(6)).isEqualTo(-1); // white space
  }

  @Test
  void parenthesesMatchAndNest() {
    Tokens t = SqlLexer.lex("f((a), (b, (c)))");
    assertThat(t.matchingParen(1)).isEqualTo(t.size() - 1);
    assertThat(t.matchingParen(2)).isEqualTo(4);
    assertThat(t.depthAt(3)).isEqualTo(2);
    assertThat(SqlLexer.lex("f(a").matchingParen(1)).isEqualTo(-1);
  }

  // ---------------------------------------------------------------- shape keys

  static Stream<Arguments> textsDifferingOnlyInLiteralsWhiteSpaceAndCommentsShareAShape() {
    return Stream.of(
        Arguments.of("select * from t where a = 1", "select * from t where a = 99999"),
        Arguments.of("select * from t where a = 1.5", "select * from t where a = 1e10"),
        Arguments.of("select * from t where a = 'x'", "select * from t where a = 'a much longer ''quoted'' string'"),
        Arguments.of("select * from t where a = 'x'", "select * from t where a = N'x'"),
        Arguments.of("select * from t where a = 'x'", "select * from t where a = $$x$$"),
        Arguments.of("select * from t where a in (1, 2)", "select * from t where a in (3, 4)"),
        Arguments.of("select * from t where a = 1", "  select *\n\tfrom t\r\nwhere a=1"),
        Arguments.of("select * from t where a = 1", "select * /* c */ from t -- c\n where a = 1"),
        Arguments.of("insert into t values (1, 'a'), (2, 'b')", "insert into t values (7, 'x'), (8, 'yy')"),
        Arguments.of("select * from t where d = DATE '2024-01-01'", "select * from t where d = DATE '1999-12-31'"));
  }

  @ParameterizedTest
  @MethodSource
  void textsDifferingOnlyInLiteralsWhiteSpaceAndCommentsShareAShape(String a, String b) {
    assertThat(SqlLexer.lex(a).shapeKey()).isEqualTo(SqlLexer.lex(b).shapeKey());
  }

  static Stream<Arguments> otherDifferencesMakeDifferentShapes() {
    return Stream.of(
        Arguments.of("select * from t where a in (1, 2)", "select * from t where a in (1, 2, 3)"),
        Arguments.of("select * from t where a in (?, ?)", "select * from t where a in (?)"),
        Arguments.of("select * from t where a = 1", "select * from t where b = 1"),
        Arguments.of("select * from t where a = 1", "select * from u where a = 1"),
        Arguments.of("select * from t where a = 1", "select * from t where a = '1'"),
        Arguments.of("select * from t where a = 1", "select * from t where a = -1"),
        Arguments.of("select * from t where a = 1", "select * from t where a = ?"),
        Arguments.of("select * from t where a = 1", "select * from t where a = null"),
        Arguments.of("select * from t where a = 1", "select * from t where \"a\" = 1"),
        Arguments.of("select * from t where a = $1", "select * from t where a = $2"),
        Arguments.of("select /*+ a */ * from t", "select /*+ b */ * from t"),
        Arguments.of("select * from t where a = 1", "select * from t where a = 1 limit 1"),
        Arguments.of("select a from t", "select a.b from t"));
  }

  @ParameterizedTest
  @MethodSource
  void otherDifferencesMakeDifferentShapes(String a, String b) {
    assertThat(SqlLexer.lex(a).shapeKey()).isNotEqualTo(SqlLexer.lex(b).shapeKey());
  }

  @Test
  void textsOfOneShapeHaveTheSameTokenIndices() {
    Tokens a = SqlLexer.lex("select * from t where a = 1 and b = 'x'");
    Tokens b = SqlLexer.lex("select *\nfrom t where a = 123 and b = 'yyy' -- c");
    assertThat(a.size()).isEqualTo(b.size());
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.type(i)).isEqualTo(b.type(i));
    }
  }
}
