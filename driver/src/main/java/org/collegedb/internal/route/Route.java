package org.collegedb.internal.route;

import java.util.Arrays;
import java.util.List;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.rewrite.Edits;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.rewrite.Splice;

/**
 * Where one execution of a statement goes: the shards (indices into the sorted shard list) and, for each, the edits
 * to the caller's text it needs (an INSERT's own rows, an IN list's own keys), or none.
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
    DDL,
    /** A read that locks the rows it reads (FOR UPDATE) on several shards: rows as for READ, shards in order. */
    LOCKING_READ,
    /**
     * A locking read of tables that are whole on every shard: it locks their rows on every shard, in shard order, so
     * that two clients cannot both hold the lock; the rows are the first shard's.
     */
    BROADCAST_LOCK
  }

  private final Kind kind;
  private final int[] shards;
  private final Edits[] edits;
  private List<String> cacheUsed = List.of();
  /** For a text CollegeDB rewrote: which caller parameter each of its parameters is; null when it is the caller's. */
  private int[] callerParams;

  public Route(Kind kind, int[] shards, Edits[] edits) {
    this.kind = kind;
    this.shards = shards;
    this.edits = edits;
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

  /**
   * The text for the {@code i}th target with its own edits and {@code common} ones (for every target; may be null),
   * or null when the caller's text runs unchanged.
   */
  public ShardSql sql(int i, Tokens tokens, Edits common) {
    Edits own = edits == null ? null : edits[i];
    Edits all = Edits.both(own, common);
    ShardSql sql = null;
    if (all != null) {
      Splice splice = new Splice(tokens);
      all.addTo(splice);
      sql = splice.isEmpty() ? null : splice.apply();
    }
    if (callerParams == null) {
      return sql;
    }
    if (sql == null) {
      return new ShardSql(tokens.sql(), callerParams.clone());
    }
    int[] composed = new int[sql.params().length];
    for (int p = 0; p < composed.length; p++) {
      composed[p] = callerParams[sql.params()[p] - 1];
    }
    return new ShardSql(sql.sql(), composed);
  }

  /**
   * This route over a text CollegeDB rewrote, whose parameter {@code p + 1} is the caller's parameter
   * {@code map[p]}.
   */
  public Route withCallerParameters(int[] map) {
    this.callerParams = map.clone();
    return this;
  }

  /** Whether target {@code i} runs the caller's text unchanged (when no common edits are added). */
  public boolean unchanged(int i) {
    return callerParams == null && (edits == null || edits[i] == null);
  }

  /** The directory cache entries this route was chosen by (empty when none): a read that finds no row re-checks. */
  public List<String> cacheUsed() {
    return cacheUsed;
  }

  public Route withCacheUsed(List<String> entries) {
    this.cacheUsed = List.copyOf(entries);
    return this;
  }

  /** The same targets and texts as another kind of route. */
  public Route as(Kind other) {
    return new Route(other, shards, edits);
  }

  /**
   * Whether the shards must run one after the other in shard order: statements that lock copies of the same rows on
   * several shards, which two clients running them in parallel could lock in opposite orders (a deadlock).
   */
  public boolean ordered() {
    return shards.length > 1 && (kind == Kind.BROADCAST_WRITE || kind == Kind.LOCKING_READ
        || kind == Kind.BROADCAST_LOCK);
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
