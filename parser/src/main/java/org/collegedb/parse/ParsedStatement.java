package org.collegedb.parse;

import java.util.List;
import java.util.Set;

/**
 * What the analyser found in one statement. Immutable and free of values: every value is a {@link ValueRef}, so a
 * plan built from one text serves every text of the same {@link Tokens#shapeKey() shape}.
 */
public sealed interface ParsedStatement {
  /** Whether the plan depends on the value of a literal (an ORDER BY or GROUP BY ordinal), so its shape is not enough. */
  default boolean literalSensitive() {
    return false;
  }

  /**
   * A query. {@code tables} are all tables it reads, nested queries included; {@code scope} the tables of the top
   * level's FROM clause; {@code where} the top level's WHERE with the ON conditions of its inner joins;
   * {@code joins} the ON condition of every join of the top level, outer joins included; {@code windowPartitions}
   * the PARTITION BY columns of each window function of the top level (empty for an unpartitioned one).
   */
  record Select(List<TableRef> tables, List<TableRef> scope, Condition where, List<Condition> joins,
      Set<Feature> features, boolean forUpdate, boolean literalSensitive, SelectShape shape, List<Block> blocks,
      List<List<ColumnRef>> windowPartitions, SetQuery setQuery) implements ParsedStatement {
    public boolean has(Feature f) {
      return features.contains(f);
    }
  }

  /**
   * A nested query block (subquery, derived table, set-operation branch): its FROM tables, its WHERE (with inner
   * join conditions), the equalities that tie its columns to columns of enclosing blocks, whether it refers to an
   * enclosing block at all ({@code correlated}), where it stands ({@code context}) and the tokens of the query
   * inside its parentheses ({@code first} to {@code last}; -1 when it has none).
   */
  record Block(List<TableRef> scope, Condition where, List<Correlation> correlations, boolean correlated,
      BlockContext context, int first, int last, Names names) {
    public Block(List<TableRef> scope, Condition where, List<Correlation> correlations, boolean correlated,
        BlockContext context, int first, int last) {
      this(scope, where, correlations, correlated, context, first, last, Names.NONE);
    }
  }

  /**
   * What a nested block's column names need to be resolved against the tables' columns, which the analyser does not
   * know: the block's number ({@code id}, the top level is 0) and its enclosing block's ({@code parent}), the
   * unqualified column names its own expressions use ({@code unqualified}; an unqualified name that no table of the
   * block has belongs to an enclosing block: the block is then correlated), and for {@code x [NOT] IN (SELECT ...)}
   * the first token of {@code x} ({@code operand}, -1 otherwise), so that the whole predicate can be replaced.
   */
  record Names(int id, int parent, List<String> unqualified, int operand) {
    public static final Names NONE = new Names(-1, -1, List.of(), -1);
  }

  /** Where a nested block stands: what its result means to the enclosing statement. */
  enum BlockContext {
    /** {@code x [NOT] IN (SELECT ...)}: a list of values. */
    IN,
    /** {@code [NOT] EXISTS (SELECT ...)}: whether there is a row. */
    EXISTS,
    /** {@code (SELECT ...)} used as a value. */
    SCALAR,
    /** A derived table, a set-operation branch, a WITH query, a comparison with ANY/ALL. */
    OTHER
  }

  /** {@code inner = outer}: a column of a nested block equal to a column of an enclosing one. */
  record Correlation(ColumnRef inner, ColumnRef outer) {
  }

  /**
   * An INSERT. {@code columns} is empty when the statement names none. {@code rows} is empty for INSERT ... SELECT,
   * whose query is {@code source}.
   */
  record Insert(TableRef table, List<String> columns, List<Row> rows, Select source, Upsert upsert,
      boolean returning) implements ParsedStatement {
  }

  /** One row of INSERT ... VALUES: the tokens of its parentheses and its values. */
  record Row(int open, int close, List<ValueRef> values) {
  }

  /** How an INSERT treats a row whose key already exists. */
  enum Upsert {
    NONE, REPLACE, IGNORE, ON_CONFLICT, ON_DUPLICATE_KEY
  }

  /** {@code spans}: where its table, SET, WHERE and RETURNING stand in the tokens. */
  record Update(TableRef table, List<String> setColumns, List<ValueRef> setValues, Condition where,
      List<TableRef> tables, Set<Feature> features, boolean returning, List<Block> blocks, WriteSpans spans)
      implements ParsedStatement {
  }

  /** {@code spans}: where its table, WHERE and RETURNING stand in the tokens. */
  record Delete(TableRef table, Condition where, List<TableRef> tables, Set<Feature> features, boolean returning,
      List<Block> blocks, WriteSpans spans) implements ParsedStatement {
  }

  /**
   * {@code EXPLAIN} of a statement that starts at token {@code innerStart}. {@code collegedb}: CollegeDB's own plan
   * ({@code EXPLAIN COLLEGEDB [ANALYZE] <statement>}); otherwise the backend's ({@code EXPLAIN [ANALYZE] [(...)]},
   * MariaDB's {@code ANALYZE <statement>}, {@code DESCRIBE <query>}), which runs on the shards of the statement it
   * explains. {@code analyze}: the statement is run, not only planned (so a write it explains writes).
   */
  record Explain(boolean collegedb, boolean analyze, int innerStart) implements ParsedStatement {
  }

  /** Schema changes, classified by the lexer and sent unchanged. {@code table} is null when none is named. */
  record Ddl(DdlKind kind, String table) implements ParsedStatement {
  }

  enum DdlKind {
    CREATE_TABLE, ALTER_TABLE, DROP_TABLE, TRUNCATE, CREATE_INDEX, DROP_INDEX, CREATE_SEQUENCE, DROP_SEQUENCE,
    CREATE_VIEW, DROP_VIEW, OTHER
  }

  /** Transaction control and session statements, classified by the lexer. */
  record Control(ControlKind kind) implements ParsedStatement {
  }

  enum ControlKind {
    BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE_SAVEPOINT, ROLLBACK_TO_SAVEPOINT,
    /** Session settings: SET, PRAGMA, USE. */
    SESSION,
    /** Reads of server state: SHOW, EXPLAIN, CALL of a read function. */
    INFO,
    /** VACUUM, ANALYZE, CHECKPOINT and the like. */
    MAINTENANCE
  }

  /**
   * A statement the analyser could not parse. {@code kind} and {@code table} are the lexer's reading of its first
   * words (either may be null); {@code reason} is the parser's message.
   */
  record Unparsed(StatementKind kind, String table, String reason) implements ParsedStatement {
  }

  enum StatementKind {
    SELECT, INSERT, UPDATE, DELETE
  }

  /** Query constructs that decide how a statement spanning shards can be answered. */
  enum Feature {
    ORDER_BY, LIMIT, OFFSET, AGGREGATE, GROUP_BY, HAVING, DISTINCT, JOIN, OUTER_JOIN, SUBQUERY, SET_OPERATION, WITH,
    WINDOW
  }
}
