package org.collegedb;

/** The SQLStates CollegeDB reports, in one place. */
public final class SqlStates {
  /** A statement CollegeDB cannot run correctly across shards: feature not supported. */
  public static final String NOT_SUPPORTED = "0A000";
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
  /** Wrong use of the API, e.g. a parameter not set. */
  public static final String INVALID_PARAMETER = "07001";
  /** A query needs more than a configured limit allows (e.g. rows fetched for a query across shards). */
  public static final String LIMIT_EXCEEDED = "54000";
  /** A general error in CollegeDB itself. */
  public static final String GENERAL = "HY000";

  private SqlStates() {
  }
}
