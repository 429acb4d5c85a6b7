package org.collegedb;

/** The SQLStates CollegeDB reports, in one place. */
public final class SqlStates {
  /** A statement CollegeDB cannot run correctly across shards: feature not supported. */
  public static final String NOT_SUPPORTED = "0A000";
  /** A warning without subclass (partial results: shards skipped). */
  public static final String WARNING = "01000";
  /** Malformed or unanalysable SQL. */
  public static final String SYNTAX = "42000";
  /** A table CollegeDB does not know how to write. */
  public static final String UNDEFINED_TABLE = "42P01";
  /** A configuration value is missing, unknown or invalid. */
  public static final String BAD_CONFIG = "HY024";
  /** A shard cannot be reached. */
  public static final String CONNECTION_FAILED = "08001";
  /** The logical connection is closed. */
  public static final String CONNECTION_CLOSED = "08003";
  /** A multi-shard commit failed part-way: some shards committed, others rolled back. */
  public static final String PARTIAL_COMMIT = "40003";
  /** A required value (such as a shard key) is NULL. */
  public static final String NOT_NULL = "23502";
  /** A unique value exists already. */
  public static final String UNIQUE = "23505";
  /** A subquery compared with one value returns several columns (as MySQL/MariaDB say it: cardinality). */
  public static final String SUBQUERY_COLUMNS = "21000";
  /** Wrong use of the API, e.g. a parameter not set. */
  public static final String INVALID_PARAMETER = "07001";
  /**
   * An object is not in the state the operation needs: change capture is not installed on a database or table, or
   * a consumer asks for changes that were pruned.
   */
  public static final String NOT_PREPARED = "55000";
  /**
   * An object is in use by a long operation: a schema change (CREATE/ALTER/DROP TABLE or INDEX, TRUNCATE) while a
   * reshard is running.
   */
  public static final String OBJECT_IN_USE = "55006";
  /** A query needs more than a configured limit allows (e.g. rows fetched for a query across shards). */
  public static final String LIMIT_EXCEEDED = "54000";
  /** A general error in CollegeDB itself. */
  /** A shard is at its cap of physical connections ({@code shards.<name>.maxConnections}). */
  public static final String TOO_MANY_CONNECTIONS = "53300";
  /** The connection to a shard broke (I/O error) while a statement or a commit was talking to it. */
  public static final String CONNECTION_FAILURE = "08006";
  /** A commit whose outcome on a shard is not known: the in-doubt resolver finishes it. */
  public static final String TRANSACTION_RESOLUTION_UNKNOWN = "08007";
  /** Two-phase commit is unavailable on a shard (PostgreSQL's max_prepared_transactions = 0). */
  public static final String PREPARE_UNAVAILABLE = "55000";
  /** The transaction was rolled back on every shard. */
  public static final String ROLLED_BACK = "40000";
  /** A general error in CollegeDB itself. */
  public static final String GENERAL = "HY000";
  /** A statement that writes on a read-only connection. */
  public static final String READ_ONLY = "25006";
  /** commit()/rollback() in auto-commit mode, savepoints without a transaction. */
  public static final String INVALID_TRANSACTION_STATE = "25000";

  private SqlStates() {
  }
  /** A value that is not a number where one is needed. */
  public static final String INVALID_NUMBER = "22018";
  /** Division by zero. */
  public static final String DIVISION_BY_ZERO = "22012";
  /** A number outside the range it must fall in (a key outside every placement range). */
  public static final String OUT_OF_RANGE = "22003";
  /** A subquery used as a value returned more than one row. */
  public static final String CARDINALITY = "21000";
  /** An INSERT whose rows have another number of values than columns. */
  public static final String VALUE_COUNT = "21S01";
  /** A result set read without a current row. */
  public static final String NO_CURRENT_ROW = "24000";
  /** A column label that names no column of a result. */
  public static final String UNDEFINED_COLUMN = "42S22";
  /** A statement whose parts do not agree (UNION branches of different widths). */
  public static final String SYNTAX_ERROR = "42601";
  /** A name that names nothing of this database (a shard hint's unknown shard). */
  public static final String UNDEFINED_OBJECT = "42704";
  /** The shard map changed under a transaction (a reshard switched ranges): retry the transaction. */
  public static final String SERIALIZATION_FAILURE = "40001";
}
