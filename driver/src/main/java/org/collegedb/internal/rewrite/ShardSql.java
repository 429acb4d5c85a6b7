package org.collegedb.internal.rewrite;

/**
 * The text one shard runs and where its parameters come from: {@code params[i]} is the caller's 1-based parameter
 * index for the shard statement's parameter {@code i + 1}; {@code null} means "the same parameters, in order".
 */
public record ShardSql(String sql, int[] params) {
  public static ShardSql unchanged(String sql) {
    return new ShardSql(sql, null);
  }
}
