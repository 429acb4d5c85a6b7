package org.collegedb.internal.config;

import java.util.List;

/**
 * The tables that migration tools and ORMs create for themselves, which CollegeDB makes broadcast tables (whole on
 * every shard) unless the configuration says otherwise for the table: Flyway's history, Liquibase's change log and
 * its lock, Hibernate's sequence tables and its temporary tables for bulk mutations. Their rows are few, every
 * client reads them all, and their locks must be one lock.
 */
final class ToolTables {
  /** Exact names, lower case. */
  private static final List<String> NAMES = List.of(
      "flyway_schema_history", // Flyway
      "databasechangelog", "databasechangeloglock", // Liquibase
      "hibernate_sequence", "hibernate_sequences"); // Hibernate's @SequenceGenerator/@TableGenerator defaults
  /** Name prefixes, lower case: Hibernate's temporary tables (TemporaryTable.ENTITY_TABLE_PREFIX, ID_TABLE_PREFIX). */
  private static final List<String> PREFIXES = List.of("hte_", "ht_");
  /**
   * Name suffixes, lower case: Hibernate 6's per-entity sequence ({@code <entity>_SEQ}), a table where the database
   * has no sequences (SQLite).
   */
  private static final List<String> SUFFIXES = List.of("_seq");

  private ToolTables() {
  }

  /** Whether {@code table} (lower case) is one of the tools' own tables. */
  static boolean isToolTable(String table) {
    return NAMES.contains(table) || PREFIXES.stream().anyMatch(table::startsWith)
        || SUFFIXES.stream().anyMatch(table::endsWith);
  }
}
