package org.collegedb.internal.rewrite;

import java.util.List;
import org.collegedb.parse.Tokens;

/**
 * A statement CollegeDB derives from the caller's, as a value: the parts, in order (Strings as they are,
 * {@link Splice.Copy} ranges and {@link Splice.Rest} of the caller's tokens, {@link Splice.Bound} placeholders), made
 * into text by {@link Splice#compose}. {@link #toString} is a stable text, for plans and tests:
 * {@code compose 'SELECT a FROM ' + copy 2..2 + ' ' + copy 3..7}.
 */
public record Composed(List<Object> parts) {
  public Composed {
    parts = List.copyOf(parts);
  }

  public static Composed of(Object... parts) {
    return new Composed(List.of(parts));
  }

  /** The caller's tokens from {@code from} to the end of the text, as written. */
  public static Composed rest(int from) {
    return of(new Splice.Rest(from));
  }

  /** The text over {@code tokens}, with the caller's parameters its copies hold. */
  public ShardSql apply(Tokens tokens) {
    return Splice.compose(tokens, parts.toArray());
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("compose ");
    Edit.appendParts(b, parts);
    return b.toString();
  }
}
