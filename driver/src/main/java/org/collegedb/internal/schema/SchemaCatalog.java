package org.collegedb.internal.schema;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.TableSpec;
import org.collegedb.internal.value.KeyType;

/**
 * The {@link TableRule} of every table, from the configuration and from what the first shard's metadata says
 * (columns, their types, the primary key). Rules are read once and kept until DDL on the table invalidates them.
 */
public final class SchemaCatalog {
  private final CollegeConfig config;
  private final Map<String, TableRule> rules = new ConcurrentHashMap<>();

  public SchemaCatalog(CollegeConfig config) {
    this.config = config;
  }

  /**
   * The rule for {@code table}. {@code metadataSource} is a connection to a shard, used when the rule must be read.
   */
  public TableRule rule(String table, Connection metadataSource) throws SQLException {
    TableRule rule = rules.get(table); // names written in lower case find their rule without a copy
    if (rule != null) {
      return rule;
    }
    String key = table.toLowerCase(Locale.ROOT);
    rule = rules.get(key);
    if (rule == null) {
      rule = load(key, metadataSource);
      if (rule.exists()) {
        rules.put(key, rule);
      }
    }
    return rule;
  }

  /** Forgets what is known about {@code table} (null: every table), after DDL changed it. */
  public void invalidate(String table) {
    if (table == null) {
      rules.clear();
    } else {
      rules.remove(table.toLowerCase(Locale.ROOT));
    }
  }

  private TableRule load(String table, Connection c) throws SQLException {
    TableSpec spec = config.table(table);
    DatabaseMetaData md = c.getMetaData();
    String actual = actualName(md, c, table);
    Map<String, KeyType> types = new TreeMap<>();
    List<String> columns = new ArrayList<>();
    List<String> generated = new ArrayList<>();
    List<String> primaryKey = new ArrayList<>();
    List<String> required = new ArrayList<>();
    Map<String, String> declared = new TreeMap<>();
    if (actual != null) {
      try (ResultSet rs = md.getColumns(c.getCatalog(), schema(c), actual, null)) {
        while (rs.next()) {
          String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
          columns.add(column);
          types.put(column, KeyType.of(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME")));
          declared.put(column, rs.getString("TYPE_NAME"));
          if (rs.getInt("NULLABLE") == java.sql.DatabaseMetaData.columnNoNulls) {
            required.add(column);
          }
          String auto = safeString(rs, "IS_AUTOINCREMENT");
          String generatedFlag = safeString(rs, "IS_GENERATEDCOLUMN");
          if ("YES".equalsIgnoreCase(auto) && !"YES".equalsIgnoreCase(generatedFlag)) {
            generated.add(column);
          }
        }
      }
      TreeMap<Integer, String> pk = new TreeMap<>();
      try (ResultSet rs = md.getPrimaryKeys(c.getCatalog(), schema(c), actual)) {
        while (rs.next()) {
          pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
      primaryKey.addAll(pk.values());
      for (String p : primaryKey) {
        if (!required.contains(p)) {
          required.add(p); // SQLite reports a non-INTEGER primary key as nullable (and stores NULLs in it)
        }
      }
      // SQLite: a single-column INTEGER PRIMARY KEY is the rowid, which SQLite generates, though the driver
      // reports IS_AUTOINCREMENT only for AUTOINCREMENT columns.
      if (primaryKey.size() == 1 && "INTEGER".equalsIgnoreCase(declared.get(primaryKey.get(0)))
          && !generated.contains(primaryKey.get(0)) && "SQLite".equalsIgnoreCase(md.getDatabaseProductName())) {
        generated.add(primaryKey.get(0));
      }
    }
    boolean exists = actual != null && !columns.isEmpty();
    TableRule.Placement placement;
    List<String> key;
    if (spec.broadcast() || !exists && SystemTables.isSystem(table)) {
      placement = TableRule.Placement.BROADCAST;
      key = List.of();
    } else if (!spec.key().isEmpty()) {
      placement = TableRule.Placement.SHARDED;
      key = spec.key().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
      if (exists) {
        for (String k : key) {
          if (!types.containsKey(k)) {
            throw new SQLException("'tables." + table + ".key' names column '" + k + "', which table '" + table
                + "' does not have (its columns: " + columns + ")", org.collegedb.SqlStates.BAD_CONFIG);
          }
        }
      }
    } else if (!primaryKey.isEmpty()) {
      placement = TableRule.Placement.SHARDED;
      key = List.copyOf(primaryKey);
    } else {
      placement = TableRule.Placement.UNKEYED;
      key = List.of();
    }
    if (exists) {
      for (String l : spec.lookup()) {
        if (!types.containsKey(l)) {
          throw new SQLException("'tables." + table + ".lookup' names column '" + l + "', which table '" + table
              + "' does not have (its columns: " + columns + ")", org.collegedb.SqlStates.BAD_CONFIG);
        }
      }
    }
    KeyType[] keyTypes = key.stream().map(k -> types.getOrDefault(k, KeyType.OTHER)).toArray(KeyType[]::new);
    return new TableRule(table, placement, key, keyTypes, List.copyOf(columns), List.copyOf(generated), exists,
        java.util.Collections.unmodifiableMap(types), spec.lookup(), List.copyOf(required));
  }

  private static String safeString(ResultSet rs, String column) {
    try {
      return rs.getString(column);
    } catch (SQLException e) {
      return null; // drivers that do not report this column
    }
  }

  private static String schema(Connection c) {
    try {
      return c.getSchema();
    } catch (SQLException | AbstractMethodError e) {
      return null;
    }
  }

  /** The table's name as the shard stores it (case differs between databases), or null if it has none such. */
  private static String actualName(DatabaseMetaData md, Connection c, String table) throws SQLException {
    String schema = schema(c);
    for (String candidate : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
      try (ResultSet rs = md.getTables(c.getCatalog(), schema, candidate, new String[] {"TABLE", "BASE TABLE",
          "GLOBAL TEMPORARY", "LOCAL TEMPORARY", "VIEW"})) {
        while (rs.next()) {
          String name = rs.getString("TABLE_NAME");
          if (name.equalsIgnoreCase(table)) {
            return name;
          }
        }
      }
    }
    // Mixed-case names created with quotes: scan.
    try (ResultSet rs = md.getTables(c.getCatalog(), schema, "%", null)) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME");
        if (name.equalsIgnoreCase(table)) {
          return name;
        }
      }
    }
    return null;
  }
}
