package org.collegedb.internal.reshard;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.collegedb.SqlStates;
import org.collegedb.internal.copy.CopyTable;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.internal.value.KeyHasher;

/**
 * A table as the mover sees it: its columns, its primary key (the copy order and the key of deletes) and, for a
 * sharded table, its shard key (the hash that decides where a row lives). Names are lower case.
 */
final class TableShape {
  final String name;
  final List<String> columns;
  final List<String> primaryKey;
  final TableRule rule;
  /** The table as {@code internal.copy} reads and writes it (values as the driver gives them). */
  final CopyTable copy;

  private TableShape(String name, List<String> columns, List<String> primaryKey, TableRule rule) {
    this.name = name;
    this.columns = columns;
    this.primaryKey = primaryKey;
    this.rule = rule;
    this.copy = CopyTable.of(name, columns, primaryKey);
  }

  static TableShape read(Connection c, TableRule rule) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String schema;
    try {
      schema = c.getSchema();
    } catch (SQLException | AbstractMethodError e) {
      schema = null;
    }
    Map<Integer, String> pk = new TreeMap<>();
    for (String candidate : new String[] {rule.name(), rule.name().toUpperCase(Locale.ROOT),
        rule.name().toLowerCase(Locale.ROOT)}) {
      try (ResultSet rs = md.getPrimaryKeys(c.getCatalog(), schema, candidate)) {
        while (rs.next()) {
          pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
      if (!pk.isEmpty()) {
        break;
      }
    }
    if (pk.isEmpty()) {
      throw new SQLException("table '" + rule.name() + "' has no primary key: the reshard copies rows in "
          + "primary-key order and needs one", SqlStates.NOT_SUPPORTED);
    }
    List<String> columns = new ArrayList<>();
    for (String col : rule.columns()) {
      columns.add(col.toLowerCase(Locale.ROOT));
    }
    return new TableShape(rule.name().toLowerCase(Locale.ROOT), columns, new ArrayList<>(pk.values()), rule);
  }

  boolean broadcast() {
    return rule.broadcast();
  }

  /** The hash position of a row (column name to value, lower case). */
  long hash(Map<String, Object> row) throws SQLException {
    Object[] key = new Object[rule.keyColumns().size()];
    for (int i = 0; i < key.length; i++) {
      key[i] = row.get(rule.keyColumns().get(i).toLowerCase(Locale.ROOT));
    }
    return KeyHasher.hash(rule.keyTypes(), key);
  }

  Object[] primaryKeyOf(Map<String, Object> row) {
    Object[] k = new Object[primaryKey.size()];
    for (int i = 0; i < k.length; i++) {
      k[i] = row.get(primaryKey.get(i));
    }
    return k;
  }

  String keyList() {
    return copy.keyList();
  }
}
