package org.collegedb.parse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;

/** The value of a literal token: a {@link Long} or {@link BigDecimal} for numbers, a String, or bytes for X'..'. */
public final class Literals {
  private Literals() {
  }

  public static Object value(Tokens tokens, ValueRef.Literal ref, boolean backslashEscapes) {
    int t = ref.token();
    String text = tokens.text(t);
    if (tokens.type(t) == TokenType.NUMBER) {
      return number(ref.negated() ? "-" + text : text);
    }
    if (tokens.type(t) != TokenType.STRING) {
      throw new IllegalArgumentException("token " + t + " is not a literal: " + text);
    }
    char first = Character.toUpperCase(text.charAt(0));
    if (first == '$') {
      int tagEnd = text.indexOf('$', 1) + 1;
      return text.substring(tagEnd, text.length() - tagEnd);
    }
    if (first == 'X') {
      return HexFormat.of().parseHex(text.substring(2, text.length() - 1));
    }
    boolean escapes = backslashEscapes || first == 'E';
    int open = text.indexOf('\'');
    return unescape(text.substring(open + 1, text.length() - 1), escapes);
  }

  private static Object number(String text) {
    boolean negative = text.startsWith("-");
    String digits = negative ? text.substring(1) : text;
    if (digits.startsWith("0x") || digits.startsWith("0X")) {
      BigInteger hex = new BigInteger(negative ? "-" + digits.substring(2) : digits.substring(2), 16);
      return hex.bitLength() < 64 ? (Object) hex.longValue() : new BigDecimal(hex);
    }
    if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0 && text.length() < 19) {
      return Long.parseLong(text);
    }
    return new BigDecimal(text);
  }

  private static String unescape(String body, boolean backslashEscapes) {
    if (body.indexOf('\'') < 0 && (!backslashEscapes || body.indexOf('\\') < 0)) {
      return body;
    }
    StringBuilder b = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
        b.append('\'');
        i++;
      } else if (c == '\\' && backslashEscapes && i + 1 < body.length()) {
        char n = body.charAt(++i);
        b.append(switch (n) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          case '0' -> '\0';
          case 'b' -> '\b';
          case 'Z' -> (char) 26;
          default -> n;
        });
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
