package org.collegedb.internal.merge;

import java.util.IdentityHashMap;
import java.util.List;
import org.collegedb.parse.Expr;
import org.collegedb.internal.rewrite.Edits;

/**
 * How to answer one query from the answers of several shards: the edits every shard's text gets (hidden columns,
 * a widened LIMIT, partial aggregates) and how the driver combines the shards' rows.
 */
public final class MergePlan {
  /** How rows are combined. */
  public enum Kind {
    /** One shard after the other, then OFFSET and LIMIT. */
    CONCAT,
    /** A streaming k-way merge of the shards' ordered rows, then OFFSET and LIMIT. */
    ORDERED,
    /** Groups merged across shards, aggregates finished, HAVING, ORDER BY, DISTINCT and LIMIT applied. */
    AGGREGATE
  }

  final Kind kind;
  final Edits edits;
  /** Columns appended after the caller's select list, removed from what the caller sees. */
  final int hidden;
  final long skip;
  /** The most rows to return, or -1 for all. */
  final long limit;
  /** For ORDERED: the keys, as columns of a shard's rows. */
  final OrderKey[] orderKeys;
  final Aggregation aggregation;
  private final boolean reusable;
  /** The ownership filter (a reshard moves ranges), or null; its key is at hidden columns {@link #ownerKeys}. */
  final Ownership ownership;
  /** For {@link #ownership}: the key columns, as indices among the hidden ones (0-based). */
  final int[] ownerKeys;
  /** For a reusable aggregate plan: its columns resolved against the shards' result metadata, after the first run. */
  volatile Object resolved;

  MergePlan(Kind kind, Edits edits, int hidden, long skip, long limit, OrderKey[] orderKeys,
      Aggregation aggregation, boolean reusable) {
    this(kind, edits, hidden, skip, limit, orderKeys, aggregation, reusable, null, null);
  }

  MergePlan(Kind kind, Edits edits, int hidden, long skip, long limit, OrderKey[] orderKeys,
      Aggregation aggregation, boolean reusable, Ownership ownership, int[] ownerKeys) {
    this.ownership = ownership;
    this.ownerKeys = ownerKeys;
    this.reusable = reusable;
    this.kind = kind;
    this.edits = edits;
    this.hidden = hidden;
    this.skip = skip;
    this.limit = limit;
    this.orderKeys = orderKeys;
    this.aggregation = aggregation;
  }

  /** The edits every shard's text gets, or null. */
  public Edits edits() {
    return edits;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Whether the plan depends on no parameter value: then it serves every execution of the same prepared statement
   * (the same text), and need not be made again.
   */
  public boolean reusable() {
    return reusable;
  }

  /** The ownership filter of a read while a reshard moves ranges, or null. */
  public Ownership ownership() {
    return ownership;
  }

  /** {@link #describe()}, with the ownership filter's shards named. */
  public String describe(java.util.List<String> shardNames) {
    return ownership == null ? describe() : describe() + ownership.describe(shardNames);
  }

  /** One line saying how rows are combined: for plan texts (EXPLAIN, golden plan files). */
  public String describe() {
    StringBuilder b = new StringBuilder(kind.name().toLowerCase(java.util.Locale.ROOT));
    if (orderKeys != null && orderKeys.length > 0) {
      b.append(" order=").append(keys(orderKeys));
    }
    if (aggregation != null) {
      if (aggregation.groupColumns == null) {
        b.append(" distinct-rows");
      } else if (aggregation.global) {
        b.append(" global");
      } else {
        b.append(" group=").append(java.util.Arrays.toString(aggregation.groupColumns));
      }
      if (!aggregation.aggregates.isEmpty()) {
        b.append(" aggregates=[");
        for (int i = 0; i < aggregation.aggregates.size(); i++) {
          Aggregate a = aggregation.aggregates.get(i);
          b.append(i == 0 ? "" : ", ").append(a.function()).append(a.distinct() ? "(distinct " : "(")
              .append(a.star() ? "*" : java.util.Arrays.toString(a.columns())).append(')');
        }
        b.append(']');
      }
      if (aggregation.having != null) {
        b.append(" having");
      }
      if (aggregation.orderKeys != null && aggregation.orderKeys.length > 0) {
        b.append(" order=").append(keys(aggregation.orderKeys));
      }
      if (aggregation.distinct) {
        b.append(" distinct");
      }
    }
    if (hidden > 0) {
      b.append(" hidden=").append(hidden);
    }
    if (skip > 0) {
      b.append(" offset=").append(skip);
    }
    if (limit >= 0) {
      b.append(" limit=").append(limit);
    }
    return b.toString();
  }

  private static String keys(OrderKey[] keys) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < keys.length; i++) {
      OrderKey k = keys[i];
      b.append(i == 0 ? "" : ", ").append(k.column()).append(k.descending() ? " desc" : "")
          .append(k.nullsFirst() ? " nulls-first" : "");
    }
    return b.append(']').toString();
  }

  /**
   * The plan of an aggregate merge. A shard's row holds the caller's items first ({@code visible} columns, run
   * verbatim for their names and types), then the hidden columns: group keys, partial aggregates, the arguments of
   * DISTINCT aggregates, and "carried" expressions the final expressions need.
   */
  static final class Aggregation {
    /** Shard-row columns (1-based) of the group key, in order. Null: all visible columns (SELECT DISTINCT). */
    int[] groupColumns;
    /** Whether the query has no GROUP BY: then an empty input still gives one row. */
    boolean global;
    /** The aggregates, each with its shard-row columns. */
    List<Aggregate> aggregates;
    /** Per visible item: null to carry the shard's value, else the expression to evaluate. */
    Expr[] itemExprs;
    Expr having;
    /** ORDER BY: per key, a visible column (1-based) or 0 and an expression to evaluate. */
    int[] orderColumns;
    Expr[] orderExprs;
    OrderKey[] orderKeys;
    boolean distinct;
    /** Which aggregate each aggregate node is, and which carried column each carried node is. */
    IdentityHashMap<Expr, Integer> aggregateOf = new IdentityHashMap<>();
    IdentityHashMap<Expr, Integer> carriedColumnOf = new IdentityHashMap<>();
    /** Values of literals and parameters, by node. */
    IdentityHashMap<Expr, Object> values = new IdentityHashMap<>();
  }

  /**
   * One aggregate: {@code function} is count, sum, min, max or avg; {@code columns} its partials in the shard rows
   * (avg: sum then count; distinct: the argument's column); {@code typeColumn} the verbatim aggregate, whose metadata
   * gives the type one database would return (0 when the partial's type is the answer's).
   */
  record Aggregate(String function, boolean distinct, boolean star, int[] columns, int typeColumn) {
  }
}
