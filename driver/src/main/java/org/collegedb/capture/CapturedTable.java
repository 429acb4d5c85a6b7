package org.collegedb.capture;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.collegedb.SqlStates;

/**
 * A table as its database's metadata describes it, for writing its capture triggers: its name as stored, its
 * columns in declaration order with their JDBC types, and its primary key.
 *
 * @param schema  the schema the table is in (null where the database has none)
 * @param name    the name as the database stores it
 * @param columns the columns in declaration order
 * @param key     the primary-key columns (names as stored), in key order
 */
record CapturedTable(String schema, String name, List<Column> columns, List<String> key) {

  /** One column: its name as stored and its {@link Types JDBC type}. */
  record Column(String name, int type) {
    String lower() {
      return name.toLowerCase(Locale.ROOT);
    }

    boolean binary() {
      return type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB;
    }
  }

  /** The name the log gives the table: lower case. */
  String logName() {
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code table} (any case) from the metadata of {@code c}. With {@code require}, refuses a table that does
   * not exist or has no primary key; without, returns null for a missing table.
   */
  static CapturedTable read(Connection c, String table, boolean require) throws SQLException {
    return read(c, schema(c), table, require);
  }

  static CapturedTable read(Connection c, String schema, String table, boolean require) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String actual = null;
    try (ResultSet rs = md.getTables(c.getCatalog(), schema, "%", new String[] {"TABLE", "BASE TABLE"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME");
        if (name.equals(table) || actual == null && name.equalsIgnoreCase(table)) {
          actual = name;
        }
      }
    }
    if (actual == null) {
      if (!require) {
        return null;
      }
      throw new SQLException("cannot capture changes of table '" + table + "': the database "
          + where(c) + " has no such table", SqlStates.UNDEFINED_TABLE);
    }
    List<Column> columns = new ArrayList<>();
    TreeMap<Integer, Column> ordered = new TreeMap<>();
    try (ResultSet rs = md.getColumns(c.getCatalog(), schema, actual, "%")) {
      while (rs.next()) {
        if (!actual.equals(rs.getString("TABLE_NAME"))) {
          continue; // '_' in a name is a pattern character
        }
        ordered.put(rs.getInt("ORDINAL_POSITION"), new Column(rs.getString("COLUMN_NAME"),
            type(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"))));
      }
    }
    columns.addAll(ordered.values());
    TreeMap<Integer, String> pk = new TreeMap<>();
    try (ResultSet rs = md.getPrimaryKeys(c.getCatalog(), schema, actual)) {
      while (rs.next()) {
        pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
      }
    }
    if (pk.isEmpty() && require) {
      throw new SQLException("cannot capture changes of table '" + table + "': it has no primary key, and the change "
          + "log names each row by its primary key. Add one (ALTER TABLE ... ADD PRIMARY KEY)", SqlStates.NOT_SUPPORTED);
    }
    return new CapturedTable(schema, actual, List.copyOf(columns), List.copyOf(pk.values()));
  }

  /**
   * The JDBC type of a column, from the declared type name where the driver reports only an affinity (SQLite reports
   * BOOLEAN as NUMERIC and DECIMAL as FLOAT).
   */
  private static int type(int reported, String declared) {
    String name = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
    if (name.startsWith("BOOL")) {
      return Types.BOOLEAN;
    }
    if (name.startsWith("DECIMAL") || name.startsWith("NUMERIC")) {
      return Types.DECIMAL;
    }
    if (name.equals("TIMESTAMPTZ") || name.startsWith("TIMESTAMP WITH TIME ZONE")) {
      return Types.TIMESTAMP_WITH_TIMEZONE;
    }
    if (name.startsWith("DATETIME") || name.startsWith("TIMESTAMP")) {
      return Types.TIMESTAMP;
    }
    if (name.equals("BLOB") || name.equals("BYTEA") || name.startsWith("VARBINARY") || name.startsWith("BINARY")) {
      return Types.VARBINARY;
    }
    if (name.equals("DATE")) {
      return Types.DATE;
    }
    return reported;
  }

  static String schema(Connection c) {
    try {
      return c.getSchema();
    } catch (SQLException | AbstractMethodError e) {
      return null; // drivers without schemas
    }
  }

  static String where(Connection c) {
    try {
      return c.getMetaData().getURL();
    } catch (SQLException e) {
      return "(url unknown: " + e.getMessage() + ")";
    }
  }
}
