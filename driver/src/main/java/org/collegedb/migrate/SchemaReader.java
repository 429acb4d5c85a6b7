package org.collegedb.migrate;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.collegedb.internal.copy.SchemaExtras;

/**
 * The application's tables of one database, from its JDBC metadata: names, columns with their types and defaults,
 * primary keys, secondary indexes.
 * CollegeDB's own tables ({@code collegedb_*}), SQLite's ({@code sqlite_*}) and other schemas are left out.
 */
final class SchemaReader {
  private SchemaReader() {
  }

  static List<SourceTable> read(Connection c) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String schema = schema(c);
    List<String> names = new ArrayList<>();
    try (ResultSet rs = md.getTables(c.getCatalog(), schema, "%", new String[] {"TABLE", "BASE TABLE"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME");
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("collegedb_") && !lower.startsWith("sqlite_")) {
          names.add(name);
        }
      }
    }
    names.sort(String.CASE_INSENSITIVE_ORDER);
    List<SourceTable> tables = new ArrayList<>();
    for (String name : names) {
      tables.add(table(c, md, schema, name));
    }
    return tables;
  }

  static String schema(Connection c) {
    try {
      return c.getSchema();
    } catch (SQLException | AbstractMethodError e) {
      return null;
    }
  }

  private static SourceTable table(Connection c, DatabaseMetaData md, String schema, String name)
      throws SQLException {
    List<Column> columns = new ArrayList<>();
    try (ResultSet rs = md.getColumns(c.getCatalog(), schema, name, "%")) {
      while (rs.next()) {
        columns.add(new Column(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("DATA_TYPE"),
            rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"),
            rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, rs.getString("COLUMN_DEF")));
      }
    }
    TreeMap<Integer, String> key = new TreeMap<>();
    try (ResultSet rs = md.getPrimaryKeys(c.getCatalog(), schema, name)) {
      while (rs.next()) {
        key.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
      }
    }
    List<String> primaryKey = new ArrayList<>(key.values());
    List<String> notes = new ArrayList<>();
    List<SchemaExtras.Index> indexes = SchemaExtras.indexes(c, name, primaryKey, notes);
    return new SourceTable(name, columns, primaryKey, indexes, notes);
  }
}
