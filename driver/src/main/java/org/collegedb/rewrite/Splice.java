package org.collegedb.rewrite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;

/**
 * Edits a statement by splicing its original text: ranges of tokens are replaced by new text or by copies of other
 * token ranges, and everything else, comments and spacing included, stays as the application wrote it. Parameters
 * follow their tokens: the result says, for each {@code ?} it holds, which of the caller's parameters it is.
 */
public final class Splice {
  private final Tokens tokens;
  private final List<Edit> edits = new ArrayList<>();

  private record Edit(int from, int to, List<Object> parts) {
  }

  /** A copy of tokens {@code from} to {@code to}, inclusive, with the text between them. */
  public record Copy(int from, int to) {
  }

  /**
   * A new {@code ?} placeholder; {@code index} is recorded among the result's parameters as it is (use indices that
   * cannot be the caller's, e.g. negative ones, for values of the driver's own).
   */
  public record Bound(int index) {
  }

  public Splice(Tokens tokens) {
    this.tokens = tokens;
  }

  /**
   * Replaces tokens {@code from} to {@code to} (inclusive; {@code to == from - 1} inserts before {@code from}) with
   * the parts: Strings, inserted as they are, and {@link Copy} ranges of the original.
   */
  public Splice replace(int from, int to, Object... parts) {
    edits.add(new Edit(from, to, List.of(parts)));
    return this;
  }

  /** Inserts text right after token {@code after}. */
  public Splice insertAfter(int after, String text) {
    return replace(after + 1, after, text);
  }

  public boolean isEmpty() {
    return edits.isEmpty();
  }

  public ShardSql apply() {
    String sql = tokens.sql();
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort((a, b) -> a.from != b.from ? Integer.compare(a.from, b.from) : Integer.compare(a.to, b.to));
    StringBuilder out = new StringBuilder(sql.length() + 32);
    Params params = new Params(tokens.paramCount() + 4);
    int nextToken = 0;
    int copiedTo = 0; // text offset copied so far
    for (Edit e : sorted) {
      if (e.from < nextToken) {
        throw new IllegalStateException("overlapping edits at token " + e.from);
      }
      boolean insertion = e.to < e.from;
      int editStart = insertion && e.from > 0 ? tokens.end(e.from - 1)
          : e.from < tokens.size() ? tokens.start(e.from) : sql.length();
      out.append(sql, copiedTo, editStart);
      params.collect(tokens, nextToken, e.from - 1);
      for (Object part : e.parts) {
        if (part instanceof Copy c) {
          out.append(sql, tokens.start(c.from), tokens.end(c.to));
          params.collect(tokens, c.from, c.to);
        } else if (part instanceof Bound b) {
          out.append('?');
          params.add(b.index());
        } else {
          out.append(part);
        }
      }
      copiedTo = insertion ? editStart : tokens.end(e.to);
      nextToken = insertion ? e.from : e.to + 1;
    }
    out.append(sql, copiedTo, sql.length());
    params.collect(tokens, nextToken, tokens.size() - 1);
    return new ShardSql(out.toString(), params.toArray());
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
