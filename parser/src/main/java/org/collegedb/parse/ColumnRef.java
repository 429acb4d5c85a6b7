package org.collegedb.parse;

/**
 * A column a predicate names: {@code table} is the table the qualifier or the only table in scope resolves to
 * (as written, unquoted), or {@code null} when an unqualified column could belong to several tables of a join.
 */
public record ColumnRef(String table, String column) {
}
