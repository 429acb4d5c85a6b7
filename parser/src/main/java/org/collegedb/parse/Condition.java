package org.collegedb.parse;

import java.util.List;

/**
 * The part of a WHERE (or inner JOIN ... ON) clause that routing can use: equalities and IN lists of columns with
 * values, equalities between columns, and AND/OR of those. Everything else is {@link Opaque}: it filters rows but
 * never narrows the set of shards.
 */
public sealed interface Condition {
  /** {@code column = value}. */
  record Eq(ColumnRef column, ValueRef value) implements Condition {
  }

  /**
   * {@code column IN (v1, v2, ...)}: {@code open} and {@code close} are the token indices of the parentheses and
   * {@code elementStarts[i]}/{@code elementEnds[i]} (inclusive) the tokens of element {@code i}, for pruning the list.
   */
  record In(ColumnRef column, List<ValueRef> values, int open, int close, int[] elementStarts, int[] elementEnds)
      implements Condition {
  }

  /** {@code column IS NULL}: rows whose shard key is NULL live at one fixed position of the hash space. */
  record IsNull(ColumnRef column) implements Condition {
  }

  /** {@code a = b} between two columns, as in a join. */
  record ColumnsEqual(ColumnRef left, ColumnRef right) implements Condition {
  }

  record And(List<Condition> terms) implements Condition {
  }

  record Or(List<Condition> terms) implements Condition {
  }

  /** Anything routing cannot use. */
  enum Opaque implements Condition {
    INSTANCE
  }

  /** The conjunction of {@code terms}, without the opaque ones, nested conjunctions flattened. */
  static Condition and(List<Condition> terms) {
    List<Condition> useful = terms.stream().filter(t -> t != Opaque.INSTANCE)
        .flatMap(t -> t instanceof And and ? and.terms().stream() : java.util.stream.Stream.of(t)).toList();
    return useful.isEmpty() ? Opaque.INSTANCE : useful.size() == 1 ? useful.get(0) : new And(useful);
  }
}
