package org.collegedb.internal.rewrite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;

/**
 * Edits a statement by splicing its original text: ranges of tokens are replaced by new text or by copies of other
 * token ranges, and everything else, comments and spacing included, stays as the application wrote it. Parameters
 * follow their tokens: the result says, for each {@code ?} it holds, which of the caller's parameters it is. This is
 * the one routine that applies {@link Edit} records; every rewrite of a caller's text goes through it.
 */
public final class Splice {
  private final Tokens tokens;
  private final List<Edit> edits = new ArrayList<>();

  /** A copy of tokens {@code from} to {@code to}, inclusive, with the text between them. */
  public record Copy(int from, int to) {
    @Override
    public String toString() {
      return "copy " + from + ".." + to;
    }
  }

  /**
   * The original text from token {@code from} to the end of the text, as written (trailing spacing and comments
   * included): a statement inside another, such as the query of an INSERT ... SELECT.
   */
  public record Rest(int from) {
    @Override
    public String toString() {
      return "rest " + from + "..";
    }
  }

  /**
   * A new {@code ?} placeholder; {@code index} is recorded among the result's parameters as it is (use indices that
   * cannot be the caller's, e.g. negative ones, for values of the driver's own).
   */
  public record Bound(int index) {
    @Override
    public String toString() {
      return index < 0 ? "?v" + -index : "?" + index;
    }
  }

  public Splice(Tokens tokens) {
    this.tokens = tokens;
  }

  /**
   * Replaces tokens {@code from} to {@code to} (inclusive; {@code to == from - 1} inserts before {@code from}) with
   * the parts: Strings, inserted as they are, and {@link Copy} ranges of the original.
   */
  public Splice replace(int from, int to, Object... parts) {
    return add(Edit.replace(from, to, parts));
  }

  /** Inserts text right after token {@code after}. */
  public Splice insertAfter(int after, String text) {
    return add(Edit.insertAfter(after, text));
  }

  /** Adds one edit. */
  public Splice add(Edit edit) {
    edits.add(edit);
    return this;
  }

  /**
   * A new text made of the parts only (Strings, {@link Copy} ranges of {@code tokens}, {@link Rest}, {@link Bound}
   * placeholders),
   * with the caller's parameters the copies hold: a statement CollegeDB derives from the caller's, such as a count
   * or a subquery run on its own.
   */
  public static ShardSql compose(Tokens tokens, Object... parts) {
    StringBuilder out = new StringBuilder();
    Params params = new Params(tokens.paramCount() + 4);
    appendParts(out, params, tokens, List.of(parts));
    return new ShardSql(out.toString(), params.toArray());
  }

  /** The edits added so far, in the order they were added. */
  public List<Edit> edits() {
    return List.copyOf(edits);
  }

  public boolean isEmpty() {
    return edits.isEmpty();
  }

  public ShardSql apply() {
    String sql = tokens.sql();
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort((a, b) -> a.from() != b.from() ? Integer.compare(a.from(), b.from())
        : Integer.compare(a.to(), b.to()));
    StringBuilder out = new StringBuilder(sql.length() + 32);
    Params params = new Params(tokens.paramCount() + 4);
    int nextToken = 0;
    int copiedTo = 0; // text offset copied so far
    for (Edit e : sorted) {
      if (e.from() < nextToken) {
        throw new IllegalStateException("overlapping edits at token " + e.from());
      }
      boolean insertion = e.insertion();
      int editStart = insertion && e.from() > 0 ? tokens.end(e.from() - 1)
          : e.from() < tokens.size() ? tokens.start(e.from()) : sql.length();
      out.append(sql, copiedTo, editStart);
      params.collect(tokens, nextToken, e.from() - 1);
      appendParts(out, params, tokens, e.parts());
      copiedTo = insertion ? editStart : tokens.end(e.to());
      nextToken = insertion ? e.from() : e.to() + 1;
    }
    out.append(sql, copiedTo, sql.length());
    params.collect(tokens, nextToken, tokens.size() - 1);
    return new ShardSql(out.toString(), params.toArray());
  }

  private static void appendParts(StringBuilder out, Params params, Tokens tokens, List<Object> parts) {
    String sql = tokens.sql();
    for (Object part : parts) {
      if (part instanceof Copy c) {
        out.append(sql, tokens.start(c.from), tokens.end(c.to));
        params.collect(tokens, c.from, c.to);
      } else if (part instanceof Rest r) {
        out.append(sql, r.from < tokens.size() ? tokens.start(r.from) : sql.length(), sql.length());
        params.collect(tokens, r.from, tokens.size() - 1);
      } else if (part instanceof Bound b) {
        out.append('?');
        params.add(b.index());
      } else {
        out.append(part);
      }
    }
  }

  /** The caller's parameter indices, in the order the spliced text holds them. */
  private static final class Params {
    private int[] indices;
    private int size;

    Params(int capacity) {
      indices = new int[capacity];
    }

    void collect(Tokens tokens, int from, int to) {
      for (int i = from; i <= to; i++) {
        if (tokens.type(i) == TokenType.PARAM) {
          add(tokens.paramIndex(i));
        }
      }
    }

    void add(int index) {
      if (size == indices.length) {
        indices = Arrays.copyOf(indices, size * 2 + 4);
      }
      indices[size++] = index;
    }

    int[] toArray() {
      return Arrays.copyOf(indices, size);
    }
  }
}
