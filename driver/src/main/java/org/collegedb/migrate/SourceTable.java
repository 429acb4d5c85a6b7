package org.collegedb.migrate;

import java.util.List;
import org.collegedb.internal.copy.SchemaExtras;

/**
 * A table found on a database: its name as the database spells it ({@code name}) and in lower case
 * ({@code key}), its columns in order, its primary-key columns (empty when it has none), its secondary indexes and
 * the warnings reading them gave (an index on an expression is not copied).
 */
record SourceTable(String name, List<Column> columns, List<String> primaryKey, List<SchemaExtras.Index> indexes,
    List<String> notes) {
  String key() {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  Column column(String column) {
    for (Column c : columns) {
      if (c.name().equalsIgnoreCase(column)) {
        return c;
      }
    }
    return null;
  }

  List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  int[] keyIndexes() {
    int[] idx = new int[primaryKey.size()];
    List<String> names = columnNames();
    for (int i = 0; i < idx.length; i++) {
      idx[i] = names.indexOf(primaryKey.get(i));
    }
    return idx;
  }
}
