package org.collegedb.parse;

import java.util.List;

/**
 * An expression of a query's select list, GROUP BY, HAVING or ORDER BY, as far as merging the answers of several
 * shards needs to understand it. Every node knows the tokens it spans ({@code first} to {@code last}, inclusive),
 * so its text can be spliced into a shard's statement.
 */
public sealed interface Expr {
  int first();

  int last();

  /** A column reference. */
  record Column(ColumnRef column, int first, int last) implements Expr {
  }

  /** A literal, parameter or constant keyword. */
  record Value(ValueRef value, int first, int last) implements Expr {
  }

  /** An aggregate call; {@code argument} is null for {@code COUNT(*)}. {@code function} is lower case. */
  record Aggregate(String function, boolean distinct, Expr argument, int first, int last) implements Expr {
  }

  /**
   * An operator or function the merge engine can evaluate over aggregates: {@code + - * / % NEG = <> < <= > >= AND
   * OR NOT IS_NULL IS_NOT_NULL COALESCE NULLIF ROUND ABS CASE}; {@code CASE} operands are (when, then)* [else].
   */
  record Call(String operator, List<Expr> operands, int first, int last) implements Expr {
  }

  /** {@code *} or {@code t.*}. */
  record Star(int first, int last) implements Expr {
  }

  /** Anything else: the shard computes it. {@code aggregate} when it holds an aggregate (then it cannot be merged). */
  record Other(String description, boolean aggregate, int first, int last) implements Expr {
  }
}
