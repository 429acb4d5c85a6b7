package org.collegedb.parse;

import java.util.Arrays;

/**
 * The tokens of one SQL text, as the {@link SqlLexer} found them: immutable, stored in parallel arrays.
 *
 * <p>Comments and white space are not tokens. Two texts that differ only in the values of their literals have the
 * same {@link #shapeKey()} and the same token indices for every token, which is what lets one analysed plan serve
 * both: a plan refers to literals by token index, never by value.
 */
public final class Tokens {
  private final String sql;
  private final TokenType[] types;
  private final int[] starts;
  private final int[] ends;
  private final int[] paramIndex; // for PARAM tokens: the 1-based JDBC parameter index; 0 otherwise
  private final int count;
  private final int paramCount;
  private String shapeKey;

  Tokens(String sql, TokenType[] types, int[] starts, int[] ends, int[] paramIndex, int count, int paramCount) {
    this.sql = sql;
    this.types = types;
    this.starts = starts;
    this.ends = ends;
    this.paramIndex = paramIndex;
    this.count = count;
    this.paramCount = paramCount;
  }

  public String sql() {
    return sql;
  }

  public int size() {
    return count;
  }

  /** Number of {@code ?} placeholders. */
  public int paramCount() {
    return paramCount;
  }

  public TokenType type(int i) {
    return types[i];
  }

  public int start(int i) {
    return starts[i];
  }

  public int end(int i) {
    return ends[i];
  }

  public String text(int i) {
    return sql.substring(starts[i], ends[i]);
  }

  /** The 1-based JDBC index of the placeholder at token {@code i}. */
  public int paramIndex(int i) {
    if (types[i] != TokenType.PARAM) {
      throw new IllegalArgumentException("token " + i + " is not a parameter");
    }
    return paramIndex[i];
  }

  /** Whether token {@code i} is the word {@code word} (unquoted, case-insensitive). */
  public boolean isWord(int i, String word) {
    return i >= 0 && i < count && types[i] == TokenType.WORD && ends[i] - starts[i] == word.length()
        && sql.regionMatches(true, starts[i], word, 0, word.length());
  }

  public boolean is(int i, TokenType type) {
    return i >= 0 && i < count && types[i] == type;
  }

  /** Whether token {@code i} is the operator or punctuation {@code symbol}. */
  public boolean isSymbol(int i, String symbol) {
    return i >= 0 && i < count && types[i] != TokenType.WORD && types[i] != TokenType.STRING
        && types[i] != TokenType.QUOTED_ID && ends[i] - starts[i] == symbol.length()
        && sql.startsWith(symbol, starts[i]);
  }

  /** The index of the token that starts at {@code offset}, or of the token containing it; -1 if none. */
  public int tokenAt(int offset) {
    int i = Arrays.binarySearch(starts, 0, count, offset);
    if (i >= 0) {
      return i;
    }
    int before = -i - 2;
    return before >= 0 && offset < ends[before] ? before : -1;
  }

  /** The index of the parenthesis that closes the one at {@code open}, or -1. */
  public int matchingParen(int open) {
    int depth = 0;
    for (int i = open; i < count; i++) {
      if (types[i] == TokenType.LPAREN) {
        depth++;
      } else if (types[i] == TokenType.RPAREN && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The comma-separated items of tokens {@code from} to {@code to} (inclusive), split at the commas outside
   * parentheses: each item as its first and last token.
   */
  public java.util.List<int[]> items(int from, int to) {
    java.util.List<int[]> spans = new java.util.ArrayList<>();
    int depth = 0;
    int start = from;
    for (int i = from; i <= to; i++) {
      if (types[i] == TokenType.LPAREN) {
        depth++;
      } else if (types[i] == TokenType.RPAREN) {
        depth--;
      } else if (types[i] == TokenType.COMMA && depth == 0) {
        spans.add(new int[] {start, i - 1});
        start = i + 1;
      }
    }
    if (start <= to) {
      spans.add(new int[] {start, to});
    }
    return spans;
  }

  /** The nesting depth of parentheses just before token {@code i}. */
  public int depthAt(int i) {
    int depth = 0;
    for (int j = 0; j < i; j++) {
      if (types[j] == TokenType.LPAREN) {
        depth++;
      } else if (types[j] == TokenType.RPAREN) {
        depth--;
      }
    }
    return depth;
  }

  /**
   * A key under which every text of the same shape files: the tokens with each literal replaced by a marker of its
   * kind. Texts that differ only in literal values, white space or plain comments share it.
   */
  public String shapeKey() {
    String key = shapeKey;
    if (key == null) {
      StringBuilder b = new StringBuilder(sql.length() + 8);
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          b.append(' ');
        }
        switch (types[i]) {
          case NUMBER -> b.append('\u0001');
          case STRING -> b.append('\u0002');
          default -> b.append(sql, starts[i], ends[i]);
        }
      }
      key = b.toString();
      shapeKey = key;
    }
    return key;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < count; i++) {
      b.append(types[i]).append('(').append(text(i)).append(") ");
    }
    return b.toString();
  }
}
