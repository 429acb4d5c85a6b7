package org.collegedb.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calcite reports line and column; the analysis must turn them back into the right token whatever stands between
 * the tokens: tabs, CRLF, LF or lone CR line breaks, multi-byte characters, comments. Checked by the text each
 * value, IN element and row points at.
 */
class PositionMappingTest {
  /** Line breaks and white space between the tokens of the statements below. */
  private static final String[] SEPARATORS = {" ", "\t", "\n", "\r\n", "\r", " \t\r\n\t ", "\n\n\n",
      " /* é 😀 */ ", " -- ünïcode ☃ comment\n", "/*\r\n multi\r\n line \r\n*/", " -- comment\r\n\t"};

  private static String join(String separator, String... parts) {
    return String.join(separator, parts);
  }

  /** The text a value refers to: the parameter's or literal's token, with the minus of a negated literal. */
  private static String textOf(Tokens tokens, ValueRef v) {
    if (v instanceof ValueRef.Param p) {
      for (int i = 0; i < tokens.size(); i++) {
        if (tokens.is(i, TokenType.PARAM) && tokens.paramIndex(i) == p.index()) {
          return "?" + p.index();
        }
      }
      throw new AssertionError("no parameter " + p.index());
    }
    if (v instanceof ValueRef.Literal l) {
      return (l.negated() ? "-" : "") + tokens.text(l.token());
    }
    return v instanceof ValueRef.Constant c ? String.valueOf(c.value()) : String.valueOf(v);
  }

  private static List<String> texts(Tokens tokens, List<ValueRef> values) {
    List<String> out = new ArrayList<>();
    for (ValueRef v : values) {
      out.add(textOf(tokens, v));
    }
    return out;
  }

  /** The text of IN element {@code i}, from the original statement. */
  private static String element(Tokens tokens, Condition.In in, int i) {
    return tokens.sql().substring(tokens.start(in.elementStarts()[i]), tokens.end(in.elementEnds()[i]));
  }

  private static List<Condition> terms(Condition c) {
    return c instanceof Condition.And and ? and.terms() : List.of(c);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void selectValuesAndInElements(int separator) {
    String s = SEPARATORS[separator];
    String sql = join(s, "/* lead é */", "SELECT", "u.name", ",", "'😀'", "FROM", "users", "u", "WHERE", "u.name",
        "=", "'Zoë 😀 it''s'", "AND", "u.id", "IN", "(", "?", ",", "42", ",", "-", "7", ",", "( ? )", ",",
        "CAST(? AS INT)", ")", "AND", "u.day", "=", "DATE '2024-01-01'", "AND", "u.kind", "=", "?");
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement.Select select = (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
    List<Condition> terms = terms(select.where());
    assertThat(terms).hasSize(4);
    Condition.Eq name = (Condition.Eq) terms.get(0);
    assertThat(textOf(tokens, name.value())).isEqualTo("'Zoë 😀 it''s'");
    Condition.In in = (Condition.In) terms.get(1);
    assertThat(texts(tokens, in.values())).containsExactly("?1", "42", "-7", "?2", "?3");
    assertThat(tokens.text(in.open())).isEqualTo("(");
    assertThat(tokens.text(in.close())).isEqualTo(")");
    assertThat(tokens.matchingParen(in.open())).isEqualTo(in.close());
    assertThat(element(tokens, in, 0)).isEqualTo("?");
    assertThat(element(tokens, in, 1)).isEqualTo("42");
    assertThat(element(tokens, in, 2)).isEqualTo(join(s, "-", "7"));
    assertThat(element(tokens, in, 3)).isEqualTo("( ? )");
    assertThat(element(tokens, in, 4)).isEqualTo("CAST(? AS INT)");
    assertThat(textOf(tokens, ((Condition.Eq) terms.get(2)).value())).isEqualTo("'2024-01-01'");
    assertThat(textOf(tokens, ((Condition.Eq) terms.get(3)).value())).isEqualTo("?4");
    assertThat(AnalysisInvariants.violations(tokens, select)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void insertRows(int separator) {
    String s = SEPARATORS[separator];
    String sql = join(s, "/* Zoë's rows */", "INSERT", "INTO", "\"tablé\"", "(", "id", ",", "name", ",", "day", ")",
        "VALUES", "(", "?", ",", "'é😀'", ",", "DATE '2024-01-01'", ")", ",", "(", "-", "1.5", ",", "N'x'", ",",
        "DEFAULT", ")", ",", "(", "( 3 )", ",", "?", ",", "NULL", ")", "ON CONFLICT (id) DO UPDATE SET name = ?",
        "RETURNING", "id");
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement.Insert insert = (ParsedStatement.Insert) StatementAnalyzer.analyze(tokens);
    assertThat(insert.table().name()).isEqualTo("tablé");
    assertThat(insert.rows()).hasSize(3);
    List<List<String>> rows = new ArrayList<>();
    for (ParsedStatement.Row row : insert.rows()) {
      assertThat(tokens.text(row.open())).isEqualTo("(");
      assertThat(tokens.matchingParen(row.open())).isEqualTo(row.close());
      rows.add(texts(tokens, row.values()));
    }
    assertThat(rows).containsExactly(List.of("?1", "'é😀'", "'2024-01-01'"), List.of("-1.5", "N'x'", "DEFAULT"),
        List.of("3", "?2", "null"));
    assertThat(tokens.sql().substring(tokens.start(insert.rows().get(1).open()),
        tokens.end(insert.rows().get(1).close()))).isEqualTo(join(s, "(", "-", "1.5", ",", "N'x'", ",", "DEFAULT",
        ")"));
    assertThat(AnalysisInvariants.violations(tokens, insert)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void updateAndDelete(int separator) {
    String s = SEPARATORS[separator];
    String sql = join(s, "UPDATE", "users", "SET", "name", "=", "'😀😀'", ",", "date", "=", "?", "WHERE", "id", "IN",
        "(", "0x1F", ",", "?", ")", "AND", "status", "=", "E'a\\'b'");
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement.Update update = (ParsedStatement.Update) StatementAnalyzer.analyze(tokens);
    assertThat(update.setColumns()).containsExactly("name", "date");
    assertThat(texts(tokens, update.setValues())).containsExactly("'😀😀'", "?1");
    List<Condition> terms = terms(update.where());
    Condition.In in = (Condition.In) terms.get(0);
    assertThat(texts(tokens, in.values())).containsExactly("0x1F", "?2");
    assertThat(element(tokens, in, 1)).isEqualTo("?");
    assertThat(textOf(tokens, ((Condition.Eq) terms.get(1)).value())).isEqualTo("E'a\\'b'");

    String delete = join(s, "DELETE", "FROM", "\"😀\"", "WHERE", "\"😀\".id", "=", "-", "5", "OR", "\"😀\".id", "=",
        "$$é$$");
    tokens = SqlLexer.lex(delete);
    ParsedStatement.Delete d = (ParsedStatement.Delete) StatementAnalyzer.analyze(tokens);
    Condition.Or or = (Condition.Or) d.where();
    assertThat(textOf(tokens, ((Condition.Eq) or.terms().get(0)).value())).isEqualTo("-5");
    assertThat(textOf(tokens, ((Condition.Eq) or.terms().get(1)).value())).isEqualTo("$$é$$");
  }

  @Test
  void mysqlCommentsAndEscapes() {
    String sql = "# who\r\nSELECT * FROM t WHERE a = 'it\\'s 😀' -- x\r\n AND b IN (\t'\\\\', ?) # tail";
    Tokens tokens = SqlLexer.lex(sql, SqlLexer.Options.MYSQL);
    ParsedStatement.Select select = (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
    List<Condition> terms = terms(select.where());
    assertThat(textOf(tokens, ((Condition.Eq) terms.get(0)).value())).isEqualTo("'it\\'s 😀'");
    Condition.In in = (Condition.In) terms.get(1);
    assertThat(texts(tokens, in.values())).containsExactly("'\\\\'", "?1");
    assertThat(element(tokens, in, 0)).isEqualTo("'\\\\'");
  }

  @Test
  void stringsSpanningLines() {
    String sql = "SELECT * FROM t WHERE a = 'one\r\ntwo\rthree\nfour' AND b = ? AND c IN (1,\r2)";
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement.Select select = (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
    List<Condition> terms = terms(select.where());
    assertThat(textOf(tokens, ((Condition.Eq) terms.get(0)).value())).isEqualTo("'one\r\ntwo\rthree\nfour'");
    assertThat(textOf(tokens, ((Condition.Eq) terms.get(1)).value())).isEqualTo("?1");
    assertThat(element(tokens, (Condition.In) terms.get(2), 1)).isEqualTo("2");
  }

  @Test
  void reservedNamesQuotedForCalciteKeepTheirPositions() {
    // Quoting date and time for Calcite inserts characters into its copy; positions must be mapped back.
    String sql = "SELECT date,\ttime FROM t\r\nWHERE date = 'é' AND time IN (?,\n 5) AND x = DATE '2024-02-03'";
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement.Select select = (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
    List<Condition> terms = terms(select.where());
    assertThat(textOf(tokens, ((Condition.Eq) terms.get(0)).value())).isEqualTo("'é'");
    Condition.In in = (Condition.In) terms.get(1);
    assertThat(texts(tokens, in.values())).containsExactly("?1", "5");
    assertThat(element(tokens, in, 1)).isEqualTo("5");
    assertThat(textOf(tokens, ((Condition.Eq) terms.get(2)).value())).isEqualTo("'2024-02-03'");
  }
}
