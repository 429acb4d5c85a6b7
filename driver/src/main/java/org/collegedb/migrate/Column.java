package org.collegedb.migrate;

/**
 * One column of a table as {@code DatabaseMetaData.getColumns} describes it; {@code name} in lower case.
 */
record Column(String name, int jdbcType, String typeName, int size, int scale, boolean nullable) {
}
