package org.collegedb.internal.schema;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The databases' own catalogs, which tools query directly (Flyway and Hibernate read {@code pg_class},
 * {@code information_schema.tables} or {@code sqlite_master}): every shard has its own copy describing the same schema,
 * so CollegeDB reads them from one shard, as it reads a broadcast table, and hides the rows that describe its own
 * tables. Only names the shards do not have as tables of their own count: a user's table named {@code tables} stays
 * the user's.
 */
public final class SystemTables {
  /** The INFORMATION_SCHEMA views tools read (the parser keeps the last part of a qualified name). */
  private static final Set<String> INFORMATION_SCHEMA = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  static {
    INFORMATION_SCHEMA.addAll(List.of("tables", "columns", "views", "schemata", "sequences",
        "table_constraints", "key_column_usage", "referential_constraints", "constraint_column_usage", "routines",
        "parameters", "triggers", "indexes", "index_columns", "check_constraints", "statistics", "domains",
        "element_types", "character_sets", "collations", "table_privileges", "column_privileges", "settings"));
  }

  private SystemTables() {
  }

  /** Whether {@code table}, which the shards do not have as a table of their own, is a system catalog. */
  public static boolean isSystem(String table) {
    return startsWith(table, 0, "pg_") || startsWith(table, 0, "sqlite_") || INFORMATION_SCHEMA.contains(table);
  }

  /**
   * Whether a catalog row's value names one of CollegeDB's own objects: its tables ({@code collegedb_*}), their
   * indexes and types, and SQLite's automatic indexes of them.
   */
  public static boolean namesInternal(String value) {
    return value != null && (startsWith(value, 0, INTERNAL) || startsWith(value, 0, SQLITE_AUTOINDEX)
        && startsWith(value, SQLITE_AUTOINDEX.length(), INTERNAL));
  }

  private static final String INTERNAL = "collegedb_";
  private static final String SQLITE_AUTOINDEX = "sqlite_autoindex_";

  private static boolean startsWith(String value, int from, String prefix) {
    return value.regionMatches(true, from, prefix, 0, prefix.length());
  }
}
