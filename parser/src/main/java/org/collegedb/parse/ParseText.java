package org.collegedb.parse;

import java.util.Arrays;

/**
 * The copy of a statement that is handed to Calcite: clauses Calcite cannot parse are blanked out with spaces (so
 * every position still points into the original text), and words that Calcite reserves but applications use as
 * column names may be quoted. Quoting shifts positions; {@link #toOriginal(int)} undoes it.
 */
final class ParseText {
  private final String text;
  private final int[] insertAt; // original offsets before which a quote was inserted, ascending
  private final int[] lineStarts;

  private ParseText(String text, int[] insertAt) {
    this.text = text;
    this.insertAt = insertAt;
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      if (endsLine(text, i)) {
        lines++;
      }
    }
    lineStarts = new int[lines];
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      if (endsLine(text, i)) {
        lineStarts[line++] = i + 1;
      }
    }
  }

  String text() {
    return text;
  }

  /** Whether a line ends at {@code i} as Calcite (JavaCC) counts lines: LF, CRLF, or a CR alone. */
  private static boolean endsLine(String text, int i) {
    char c = text.charAt(i);
    return c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n');
  }

  /** The offset in the original text of Calcite's 1-based line and column in this text. */
  int toOriginal(int line, int column) {
    int offset = lineStarts[line - 1] + column - 1;
    // Each inserted quote before this offset shifted it by one.
    int shift = 0;
    for (int at : insertAt) {
      if (at + shift < offset) {
        shift++;
      } else {
        break;
      }
    }
    return offset - shift;
  }

  static Builder from(Tokens tokens, int endToken) {
    return new Builder(tokens, endToken);
  }

  static final class Builder {
    private final Tokens tokens;
    private final char[] chars;
    private int[] quoteTokens = new int[0];
    /** Texts inserted before an original offset: {offset, index into insertedTexts}. */
    private final java.util.List<int[]> insertions = new java.util.ArrayList<>();
    private final java.util.List<String> insertedTexts = new java.util.ArrayList<>();

    private Builder(Tokens tokens, int endToken) {
      this.tokens = tokens;
      String sql = tokens.sql();
      int end = endToken < tokens.size() ? tokens.start(endToken) : sql.length();
      this.chars = sql.substring(0, end).toCharArray();
      // Calcite reads neither '#' comments nor hints before the verb: it sees comments and hints as white space.
      int from = 0;
      for (int t = 0; t < endToken; t++) {
        blankChars(from, tokens.start(t));
        if (tokens.type(t) == TokenType.HINT) {
          blankChars(tokens.start(t), tokens.end(t));
        } else if (tokens.type(t) == TokenType.STRING && !calciteReadsAsIs(tokens.text(t))) {
          neutralString(t);
        }
        from = tokens.end(t);
      }
      blankChars(from, chars.length);
      blankValueCasts(endToken);
    }

    /**
     * Blanks PostgreSQL casts of parameters and literals, {@code ?::bigint}, {@code '5'::int[]}: babel gives
     * {@code ::} the lowest precedence, so {@code a BETWEEN ?::int AND ?::int} does not parse and
     * {@code a = ?::int AND b = ?} casts {@code a = ?}. Casts of columns stay: they change the column's value.
     */
    private void blankValueCasts(int end) {
      for (int t = 1; t < end; t++) {
        if (!tokens.isSymbol(t, "::") || !(tokens.is(t - 1, TokenType.PARAM) || tokens.is(t - 1, TokenType.NUMBER)
            || tokens.is(t - 1, TokenType.STRING))) {
          continue;
        }
        int last = t;
        for (int next = t; tokens.isSymbol(next, "::") && (next = endOfType(next + 1, end)) > 0; ) {
          last = next;
        }
        if (last > t) {
          blankChars(tokens.start(t), tokens.end(last - 1));
          t = last - 1;
        }
      }
    }

    /** The token after the type name starting at {@code i} (int, varchar(10), timestamp with time zone, x.t[]). */
    private int endOfType(int i, int end) {
      if (i >= end || !tokens.is(i, TokenType.WORD) && !tokens.is(i, TokenType.QUOTED_ID)) {
        return -1;
      }
      i++;
      while (i + 1 < end && tokens.isSymbol(i, ".")
          && (tokens.is(i + 1, TokenType.WORD) || tokens.is(i + 1, TokenType.QUOTED_ID))) {
        i += 2;
      }
      if ((tokens.isWord(i, "WITH") || tokens.isWord(i, "WITHOUT")) && tokens.isWord(i + 1, "TIME")
          && tokens.isWord(i + 2, "ZONE")) {
        i += 3;
      } else if (tokens.isWord(i, "PRECISION") || tokens.isWord(i, "VARYING")) {
        i++;
      }
      if (i < end && tokens.is(i, TokenType.LPAREN)) {
        int close = tokens.matchingParen(i);
        if (close < 0 || close >= end) {
          return -1;
        }
        i = close + 1;
      }
      while (i + 1 < end && tokens.isSymbol(i, "[")) {
        int close = tokens.isSymbol(i + 1, "]") ? i + 1 : tokens.isSymbol(i + 2, "]") ? i + 2 : -1;
        if (close < 0) {
          return -1;
        }
        i = close + 1;
      }
      return Math.min(i, end);
    }

    private void blankChars(int from, int to) {
      for (int i = from; i < to; i++) {
        if (chars[i] != '\n' && chars[i] != '\r') {
          chars[i] = ' ';
        }
      }
    }

    /**
     * Whether Calcite reads string token {@code text} as the lexer did: a plain string whose quotes are doubled.
     * Not a prefixed one (Calcite refuses N'😀' and X'0' and knows no B''), a dollar-quoted one, or one whose quotes
     * are backslash-escaped.
     */
    private static boolean calciteReadsAsIs(String text) {
      if (text.charAt(0) != '\'') {
        return false;
      }
      int i = 1;
      while (i < text.length()) {
        if (text.charAt(i) != '\'') {
          i++;
        } else if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
          i += 2;
        } else {
          return i == text.length() - 1;
        }
      }
      return false;
    }

    /** Overwrites string token {@code t} with a plain string literal of the same length. */
    private void neutralString(int t) {
      int s = tokens.start(t);
      int e = tokens.end(t);
      chars[s] = '\'';
      for (int i = s + 1; i < e - 1; i++) {
        chars[i] = chars[i] == '\n' || chars[i] == '\r' ? chars[i] : ' ';
      }
      chars[e - 1] = '\'';
    }

    /** Blanks tokens {@code from} to {@code to} inclusive, with the text between them. */
    Builder blank(int from, int to) {
      int end = Math.min(tokens.end(to), chars.length);
      for (int i = tokens.start(from); i < end; i++) {
        if (chars[i] != '\n') {
          chars[i] = ' ';
        }
      }
      return this;
    }

    /** Writes {@code replacement}, of the same length, over token {@code token}. */
    Builder overwrite(int token, String replacement) {
      if (replacement.length() != tokens.end(token) - tokens.start(token)) {
        throw new IllegalArgumentException("replacement must keep the length");
      }
      replacement.getChars(0, replacement.length(), chars, tokens.start(token));
      return this;
    }

    /** Wraps word token {@code token} in double quotes. */
    Builder quote(int token) {
      quoteTokens = Arrays.copyOf(quoteTokens, quoteTokens.length + 1);
      quoteTokens[quoteTokens.length - 1] = token;
      return this;
    }

    /**
     * Inserts {@code text} before the original offset {@code offset} (for Calcite only: SQLite's {@code x IN ()}
     * becomes {@code x IN (NULL)}). Positions in the inserted text map back to {@code offset}.
     */
    Builder insert(int offset, String text) {
      insertions.add(new int[] {offset, insertedTexts.size()});
      insertedTexts.add(text);
      return this;
    }

    ParseText build() {
      if (quoteTokens.length == 0 && insertions.isEmpty()) {
        return new ParseText(new String(chars), new int[0]);
      }
      java.util.List<Object[]> events = new java.util.ArrayList<>(); // {offset, text}, in offset order
      for (int t : quoteTokens) {
        events.add(new Object[] {tokens.start(t), "\""});
        events.add(new Object[] {tokens.end(t), "\""});
      }
      for (int[] i : insertions) {
        events.add(new Object[] {i[0], insertedTexts.get(i[1])});
      }
      events.sort(java.util.Comparator.comparingInt(e -> (Integer) e[0]));
      StringBuilder b = new StringBuilder(chars.length + 16);
      int inserted = 0;
      for (Object[] e : events) {
        inserted += ((String) e[1]).length();
      }
      int[] insertAt = new int[inserted];
      int copied = 0;
      int k = 0;
      for (Object[] e : events) {
        int at = (Integer) e[0];
        String text = (String) e[1];
        b.append(chars, copied, at - copied).append(text);
        for (int c = 0; c < text.length(); c++) {
          insertAt[k++] = at; // one shift per inserted character
        }
        copied = at;
      }
      b.append(chars, copied, chars.length - copied);
      return new ParseText(b.toString(), insertAt);
    }
  }
}
