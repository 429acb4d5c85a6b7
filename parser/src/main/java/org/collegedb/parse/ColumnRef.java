package org.collegedb.parse;

/**
 * A column a predicate names: {@code table} is the table the qualifier or the only table in scope resolves to
 * (as written, unquoted), or {@code null} when an unqualified column could belong to several tables of a join.
 * {@code qualifier} is what the statement wrote in front of the column (an alias or a table name), or {@code null}
 * when it wrote none: it tells two occurrences of one table apart ({@code FROM users u JOIN users v}), and an
 * unqualified name from one resolved by the analyser's guess. Two references to the same column of the same table are
 * equal whatever their qualifiers.
 */
public record ColumnRef(String table, String column, String qualifier) {
  public ColumnRef(String table, String column) {
    this(table, column, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColumnRef c && java.util.Objects.equals(table, c.table)
        && java.util.Objects.equals(column, c.column);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(table, column);
  }
}
