package org.collegedb.route;

import java.util.Arrays;
import org.collegedb.rewrite.ShardSql;

/**
 * Where one execution of a statement goes: the shards (indices into the sorted shard list) and, for each, the text
 * it runs ({@code null} entries run the caller's text unchanged).
 */
public final class Route {
  public enum Kind {
    /** A query; with several shards their rows are concatenated (or merged). */
    READ,
    /** A write to rows of a sharded table; the update count is the sum over shards. */
    WRITE,
    /** A write to a table that is whole on every shard: the update count is one shard's. */
    BROADCAST_WRITE,
    /** A schema change, run on every shard. */
    DDL
  }

  private final Kind kind;
  private final int[] shards;
  private final ShardSql[] sql; // null: every target runs the caller's text

  public Route(Kind kind, int[] shards, ShardSql[] sql) {
    this.kind = kind;
    this.shards = shards;
    this.sql = sql;
  }

  public static Route to(Kind kind, int... shards) {
    return new Route(kind, shards, null);
  }

  public Kind kind() {
    return kind;
  }

  public int[] shards() {
    return shards;
  }

  /** The text for the {@code i}th target, or null for the caller's text unchanged. */
  public ShardSql sql(int i) {
    return sql == null ? null : sql[i];
  }

  public boolean single() {
    return shards.length == 1;
  }

  public boolean isWrite() {
    return kind != Kind.READ;
  }

  @Override
  public String toString() {
    return kind + Arrays.toString(shards);
  }
}
