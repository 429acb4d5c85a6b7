package org.collegedb.internal.plan;

import java.sql.SQLException;
import java.util.List;
import org.collegedb.internal.merge.MergePlan;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.route.Route;
import org.collegedb.internal.schema.TableRule;

/**
 * What one execution of a statement does, decided before any shard is touched: which shards, which text each runs,
 * how their answers combine, or why it is refused. {@link Planner} makes plans without I/O of its own; the runner
 * ({@code org.collegedb.internal.run.Runner}) carries them out. A plan prints as one line per node ({@link #explain}), the
 * text of the golden plan files and of {@code ExecutionInfo}.
 */
public sealed interface Plan {

  /** The plan's text: one line per node, then one line per shard with the text it runs. */
  default String explain(List<String> shardNames) {
    StringBuilder b = new StringBuilder();
    PlanText.write(this, shardNames, b, "");
    return b.toString();
  }

  /**
   * A query on its shards. With several shards their rows are combined by {@code merge} (null: one shard answers).
   * {@code lock} says how a locking read (FOR UPDATE) runs; {@code catalog} that the rows of the databases' own
   * catalogs naming CollegeDB's tables are hidden.
   */
  record ShardRead(Tokens tokens, ParsedStatement.Select select, Route route, MergePlan merge, Lock lock,
      boolean catalog) implements Plan {
  }

  /** How a read locks. */
  enum Lock {
    /** Not a locking read, or one on one shard. */
    NONE,
    /** A locking read of sharded rows on several shards: the shards run in shard order. */
    IN_SHARD_ORDER,
    /** A locking read of broadcast tables: every shard locks its copy, in shard order; the rows are the first's. */
    EVERY_COPY
  }

  /**
   * A write on its shards (a sharded table's rows, or a broadcast table's copies: see the route's kind). {@code owned}
   * is set for an UPDATE/DELETE of several shards while a reshard moves rows: its count keeps only the rows each
   * shard owns.
   */
  record ShardWrite(Tokens tokens, Route route, OwnedCount owned) implements Plan {
    public ShardWrite(Tokens tokens, Route route) {
      this(tokens, route, null);
    }
  }

  /**
   * How an UPDATE/DELETE of several shards counts only the rows each shard owns while a reshard moves rows (a shard
   * may hold copies, or old rows, that the statement also changes; the catch-up and the cleanup make them right, but
   * they are not the application's rows): {@code returning} (PostgreSQL, SQLite) adds {@code RETURNING <key>} to the
   * statement (H2: makes it a data change delta table, {@code SELECT <key> FROM FINAL TABLE (UPDATE ...)}, {@code OLD
   * TABLE (DELETE ...)}), whose returned keys are checked against {@code ownership}; else (MariaDB/MySQL: no
   * {@code UPDATE ... RETURNING}) {@code lockingRead} reads the keys of the rows the statement will change, locking
   * them, in the same shard transaction, and the statement then runs restricted to the keys read that the shard owns
   * ({@code ownedKeys}), so that its count is the count of owned rows it changed whatever the isolation level.
   * {@code callerRows}: the statement has a {@code RETURNING} clause of its own; on PostgreSQL and SQLite
   * {@code returning} appends the key to it, and its rows are returned without the rows each shard does not own, the
   * key's columns hidden; on MariaDB the restricted statement's rows are returned (only owned rows changed).
   * {@code spans}: where the statement's parts stand, for the text that returns generated keys asked for as it runs.
   */
  record OwnedCount(org.collegedb.internal.merge.Ownership ownership,
      org.collegedb.internal.rewrite.Edits returning, org.collegedb.internal.rewrite.Composed lockingRead,
      org.collegedb.internal.rewrite.OwnedKeysText ownedKeys, boolean callerRows,
      org.collegedb.parse.WriteSpans spans) {
  }

  /**
   * A write the directory takes part in: an INSERT whose keys the directory hands out or places, or a write to a
   * table with lookup keys, whose entries are written before the rows and made stale after them. {@code route} is
   * where the statement goes (null for an INSERT: its rows are placed as it runs).
   */
  record DirectoryWrite(Tokens tokens, ParsedStatement statement, TableRule rule, Route route, OwnedCount owned)
      implements Plan {
    /** {@code owned}: as {@link ShardWrite#owned}, for an UPDATE/DELETE of several shards while rows move. */
    public DirectoryWrite(Tokens tokens, ParsedStatement statement, TableRule rule, Route route) {
      this(tokens, statement, rule, route, null);
    }
  }

  /**
   * The rows of a directory INSERT once its keys are known (handed out as it runs): {@code owners[r]} is the shard
   * of row {@code r}, {@code route} where the statement (split per shard) goes. Planned by
   * {@link Planner#placeRows} for the runner of a {@link DirectoryWrite}, which writes the rows and records the
   * directory's entries for them.
   */
  record PlacedInsert(Tokens tokens, ParsedStatement.Insert insert, int[] owners, Route route) implements Plan {
  }

  /**
   * An UPDATE that sets the shard key to a value its WHERE clause does not pin: the rows it would move are counted
   * first (refused with {@code refusal} if any), then it runs with {@code AND key = value} added.
   */
  record GuardedKeyUpdate(Tokens tokens, ParsedStatement.Update update, int assignment, String refusal)
      implements Plan {
  }

  /**
   * An UPDATE that sets the shard key to a value its WHERE clause does not pin, which may move rows to the shard
   * {@code target} of the new key: {@code guard} first counts the rows it matches whose key differs; with none it runs
   * guarded (as {@link GuardedKeyUpdate}). Otherwise the rows move in one atomic transaction over {@code from} and
   * {@code target}: the UPDATE runs on {@code from} (its WHERE clause's shards), then the rows now holding the new key
   * on shards other than {@code target} are read, deleted there and inserted on {@code target}. {@code refusal}, when
   * not null, is why rows of this table cannot move (they are refused then, nothing written).
   */
  record KeyMove(GuardedKeyUpdate guard, TableRule rule, Route from, int target, String refusal) implements Plan {
  }

  /**
   * Uncorrelated subqueries that read other shards' rows are answered first, each as a plan of its own; their answers
   * replace them in the text, which is then planned again. {@code refusal} when the rewritten text cannot run either.
   */
  record SubqueriesFirst(Tokens tokens, List<ParsedStatement.Block> subqueries, String refusal) implements Plan {
  }

  /** A UNION / UNION ALL chain whose branches read different shards: each branch is a plan, combined above. */
  record SetOperation(Tokens tokens, org.collegedb.parse.SetQuery query) implements Plan {
  }

  /**
   * INSERT ... SELECT into a sharded table: the query runs as a plan of its own, and its rows are inserted in chunks
   * of {@code head} + rows, each row to its key's shard, in one transaction per shard.
   */
  record InsertFromQuery(Tokens tokens, int sourceStart, String head, int width) implements Plan {
  }

  /**
   * A schema change on every shard; the catalog forgets {@code table}. {@code immediate}: the product commits DDL at
   * once (MariaDB/MySQL, H2), so the shards run it one after the other and, if one fails, those that changed run
   * {@code undo} (null when it cannot be undone: they are then named and the failure recorded). Otherwise (PostgreSQL,
   * SQLite) it is one transaction per shard, committed together.
   */
  record Ddl(Tokens tokens, Route route, String table, boolean immediate, String undo, boolean changesTables)
      implements Plan {
    /** {@code changesTables}: CREATE/ALTER/DROP TABLE or INDEX, TRUNCATE or an unknown DDL (not a view or sequence). */
    public Ddl(Tokens tokens, Route route, String table, boolean immediate, String undo) {
      this(tokens, route, table, immediate, undo, true);
    }
  }

  /** BEGIN, COMMIT or ROLLBACK: the connection's transaction. */
  record Transaction(Tokens tokens, ParsedStatement.ControlKind kind) implements Plan {
  }

  /** A statement that runs unchanged on shards for its own purpose. */
  record OnShards(Tokens tokens, Route route, Purpose purpose) implements Plan {
  }

  /** Why a statement runs unchanged on the shards. */
  enum Purpose {
    /** SAVEPOINT and kin on the shards in the transaction (needs a transaction). */
    SAVEPOINT,
    /** Session settings and maintenance on every shard: the first shard's answer. */
    SESSION,
    /** Information about the database: the first shard answers. */
    INFO,
    /** A read CollegeDB cannot parse, sent to every shard as configured ({@code unparsedReads=all-shards}). */
    UNPARSED_READ,
    /** The backend's EXPLAIN ANALYZE of a write on the one shard that write goes to: it runs as a write there. */
    ANALYZED_WRITE
  }

  /**
   * {@code last_insert_rowid()} and kin, answered from the keys CollegeDB generated for the connection's last INSERT;
   * {@code otherwise} when it generated none.
   */
  record LastInsertId(String function, String label, Plan otherwise) implements Plan {
  }

  /**
   * {@code EXPLAIN COLLEGEDB [ANALYZE] <statement>}: the plan of {@code statement} (text {@code tokens}) as rows;
   * with {@code analyze} the statement is run too, and what it did is added.
   */
  record Explain(Plan plan, boolean analyze, Tokens tokens, ParsedStatement statement) implements Plan {
  }

  /**
   * A statement with a shard hint ({@code /*+ collegedb shard(s2) *}{@code /}, or the connection's
   * {@code shardHint}): it runs unchanged (the hint taken out) on exactly those shards, unmerged; rows of several
   * shards come with a last column {@code collegedb_shard} naming each row's shard. {@code write}: it may change
   * data (logged).
   */
  record Hinted(Tokens tokens, Route route, boolean write, String hint) implements Plan {
  }

  /**
   * A SELECT that cannot run shard by shard (the pushdown's refusal is {@code refusal}), answered on the distributed
   * path: each table's rows it needs are read from the shards as fragments, loaded into a scratch database of the
   * shards' own product, and the statement runs there unchanged.
   */
  record CrossShard(Tokens tokens, ParsedStatement.Select select, String refusal) implements Plan {
  }

  /** A statement refused before any shard is touched. */
  record Refusal(String sqlState, String message, Class<? extends SQLException> type) implements Plan {
    /** The exception the caller gets. */
    public SQLException exception() {
      return Refusals.exception(this);
    }
  }

  /** The text shard {@code i} of a route runs, or the caller's when it runs unchanged. */
  static String shardText(Route route, int i, Tokens tokens, MergePlan merge) {
    return shardTextWith(route, i, tokens, merge == null ? null : merge.edits());
  }

  static String shardTextWith(Route route, int i, Tokens tokens, org.collegedb.internal.rewrite.Edits edits) {
    ShardSql sql = route.sql(i, tokens, edits);
    return sql == null ? tokens.sql() : sql.sql();
  }
}
