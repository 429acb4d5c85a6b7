package org.collegedb.parse;

import java.util.Arrays;

/**
 * A small SQL lexer covering the dialects of SQLite, H2, PostgreSQL and MySQL/MariaDB: quoted identifiers, string
 * literals with their prefixes and escapes, dollar quoting, comments and {@code ?} placeholders. It finds statement
 * boundaries, placeholders and literals for every text, including those Calcite cannot parse.
 */
public final class SqlLexer {
  /**
   * Dialect switches that change where a token ends. {@code hashComments} selects MySQL's comment rules: {@code #}
   * starts a comment, and {@code --} does only when white space or a control character follows it ({@code 1--1} is
   * {@code 1 - -1}).
   */
  public record Options(boolean backslashEscapes, boolean hashComments) {
    public static final Options STANDARD = new Options(false, false);
    public static final Options MYSQL = new Options(true, true);
  }

  private SqlLexer() {
  }

  public static Tokens lex(String sql) {
    return lex(sql, Options.STANDARD);
  }

  /**
   * Splits {@code sql} into tokens.
   *
   * @throws SqlSyntaxException for an unterminated string, quoted identifier or comment
   */
  public static Tokens lex(String sql, Options options) {
    int n = sql.length();
    int capacity = Math.max(8, n / 3);
    TokenType[] types = new TokenType[capacity];
    int[] starts = new int[capacity];
    int[] ends = new int[capacity];
    int[] params = new int[capacity];
    int count = 0;
    int paramCount = 0;
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      TokenType type;
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-'
          && (!options.hashComments() || i + 2 == n || sql.charAt(i + 2) <= ' ')
          || c == '#' && options.hashComments()) {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        continue;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        if (close < 0) {
          throw new SqlSyntaxException("unterminated comment starting at offset " + i);
        }
        boolean hint = i + 2 < n && sql.charAt(i + 2) == '+';
        i = close + 2;
        if (!hint) {
          continue;
        }
        type = TokenType.HINT;
      } else if (c == '\'') {
        i = endOfQuoted(sql, i, '\'', options.backslashEscapes());
        type = TokenType.STRING;
      } else if (c == '"' || c == '`') {
        i = endOfQuoted(sql, i, c, false);
        type = TokenType.QUOTED_ID;
      } else if ((c == 'N' || c == 'n' || c == 'X' || c == 'x' || c == 'B' || c == 'b')
          && i + 1 < n && sql.charAt(i + 1) == '\'') {
        i = endOfQuoted(sql, i + 1, '\'', options.backslashEscapes());
        type = TokenType.STRING;
      } else if ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'') {
        i = endOfQuoted(sql, i + 1, '\'', true);
        type = TokenType.STRING;
      } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
        int tagEnd = dollarTagEnd(sql, i);
        String tag = sql.substring(i, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        if (close < 0) {
          throw new SqlSyntaxException("unterminated dollar-quoted string starting at offset " + i);
        }
        i = close + tag.length();
        type = TokenType.STRING;
      } else if (isDigit(c) || c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1))) {
        i = endOfNumber(sql, i);
        type = TokenType.NUMBER;
      } else if (Character.isLetter(c) || c == '_') {
        i++;
        while (i < n && isWordPart(sql.charAt(i))) {
          i++;
        }
        type = TokenType.WORD;
      } else if (c == '?') {
        i++;
        type = TokenType.PARAM;
      } else if (c == '(') {
        i++;
        type = TokenType.LPAREN;
      } else if (c == ')') {
        i++;
        type = TokenType.RPAREN;
      } else if (c == ',') {
        i++;
        type = TokenType.COMMA;
      } else if (c == ';') {
        i++;
        type = TokenType.SEMICOLON;
      } else {
        i = endOfOperator(sql, i);
        type = TokenType.OP;
      }
      if (count == types.length) {
        int grown = count * 2;
        types = Arrays.copyOf(types, grown);
        starts = Arrays.copyOf(starts, grown);
        ends = Arrays.copyOf(ends, grown);
        params = Arrays.copyOf(params, grown);
      }
      types[count] = type;
      starts[count] = start;
      ends[count] = i;
      if (type == TokenType.PARAM) {
        params[count] = ++paramCount;
      }
      count++;
    }
    return new Tokens(sql, types, starts, ends, params, count, paramCount);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static int endOfQuoted(String sql, int open, char quote, boolean backslashEscapes) {
    int n = sql.length();
    int i = open + 1;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\\' && backslashEscapes) {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    String what = quote == '\'' ? "string literal" : "quoted identifier";
    throw new SqlSyntaxException("unterminated " + what + " starting at offset " + open);
  }

  /** The end of a {@code $tag$} opener at {@code i}, or -1 when {@code $} does not open a dollar-quoted string. */
  private static int dollarTagEnd(String sql, int i) {
    int n = sql.length();
    int j = i + 1;
    if (j < n && isDigit(sql.charAt(j))) {
      return -1; // $1 is a positional parameter, not a tag
    }
    while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j < n && sql.charAt(j) == '$' ? j + 1 : -1;
  }

  private static int endOfNumber(String sql, int i) {
    int n = sql.length();
    if (sql.charAt(i) == '0' && i + 1 < n && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'X')) {
      i += 2;
      while (i < n && Character.digit(sql.charAt(i), 16) >= 0) {
        i++;
      }
      return i;
    }
    while (i < n && isDigit(sql.charAt(i))) {
      i++;
    }
    if (i < n && sql.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(sql.charAt(i))) {
        i++;
      }
    }
    if (i + 1 < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (sql.charAt(j) == '+' || sql.charAt(j) == '-') {
        j++;
      }
      if (j < n && isDigit(sql.charAt(j))) {
        i = j;
        while (i < n && isDigit(sql.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }

  private static final String[] OPERATORS = {"->>", "<=>", "::", "<=", ">=", "<>", "!=", "||", "->", ":=", "==",
      "<<", ">>"};

  private static int endOfOperator(String sql, int i) {
    for (String op : OPERATORS) {
      if (sql.startsWith(op, i)) {
        return i + op.length();
      }
    }
    if (sql.charAt(i) == ':' && i + 1 < sql.length() && Character.isLetter(sql.charAt(i + 1))) {
      int j = i + 1;
      while (j < sql.length() && isWordPart(sql.charAt(j))) {
        j++;
      }
      return j; // a named parameter such as :name
    }
    if (sql.charAt(i) == '$' && i + 1 < sql.length() && isDigit(sql.charAt(i + 1))) {
      int j = i + 1;
      while (j < sql.length() && isDigit(sql.charAt(j))) {
        j++;
      }
      return j; // a positional parameter such as $1: one token, so that $1 and $2 differ in shape
    }
    return i + Character.charCount(sql.codePointAt(i));
  }
}
