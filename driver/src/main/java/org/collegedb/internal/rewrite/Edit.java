package org.collegedb.internal.rewrite;

import java.util.List;

/**
 * One edit to a statement's text, as a value: tokens {@code from} to {@code to} (inclusive; {@code to == from - 1}
 * inserts before {@code from}) become the parts, in order: Strings as they are, {@link Splice.Copy} ranges of the
 * original tokens and {@link Splice.Bound} new placeholders. {@link #toString} is a stable text, for plans and tests:
 * {@code replace 5..9 with '(' + copy 5..9 + ') AND k = ' + ?v1}.
 */
public record Edit(int from, int to, List<Object> parts) implements Edits {
  public Edit {
    parts = List.copyOf(parts);
  }

  /** Tokens {@code from} to {@code to}, inclusive, replaced by the parts. */
  public static Edit replace(int from, int to, Object... parts) {
    return new Edit(from, to, List.of(parts));
  }

  /** Text inserted right after token {@code after}. */
  public static Edit insertAfter(int after, String text) {
    return new Edit(after + 1, after, List.of(text));
  }

  /** Tokens {@code from} to {@code to}, inclusive, removed. */
  public static Edit delete(int from, int to) {
    return new Edit(from, to, List.of(""));
  }

  boolean insertion() {
    return to < from;
  }

  @Override
  public void addTo(Splice splice) {
    splice.add(this);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(insertion() ? "insert before " + from : "replace " + from + ".." + to).append(" with ");
    appendParts(b, parts);
    return b.toString();
  }

  /** The parts as {@code 'text' + copy 3..5 + ?v1}: Strings quoted, copies by their token range, placeholders. */
  static void appendParts(StringBuilder b, List<Object> parts) {
    if (parts.isEmpty()) {
      b.append("''");
    }
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        b.append(" + ");
      }
      Object p = parts.get(i);
      if (p instanceof String s) {
        b.append('\'').append(s.replace("'", "''")).append('\'');
      } else {
        b.append(p);
      }
    }
  }
}
