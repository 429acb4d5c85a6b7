package org.collegedb.migrate;

/**
 * One column of a table as {@code DatabaseMetaData.getColumns} describes it; {@code name} in lower case,
 * {@code def} its default as the database gives it ({@code COLUMN_DEF}; null when none).
 */
record Column(String name, int jdbcType, String typeName, int size, int scale, boolean nullable, String def) {
}
