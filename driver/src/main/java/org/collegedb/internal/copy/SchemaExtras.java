package org.collegedb.internal.copy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.collegedb.internal.schema.Dialect;

/**
 * What a table has beyond its columns and primary key, read from JDBC metadata and written for another database:
 * secondary indexes (unique and not; {@code getIndexInfo}) and column defaults ({@code COLUMN_DEF}). Used where
 * split and unshard create tables ({@code migrate.DdlWriter}) and where a reshard creates them on a joining shard
 * ({@code reshard.SchemaCopy}). A default is translated only when its meaning is the same on the target (a number,
 * a string, a boolean, the current timestamp); any other default, and an index on an expression, is left out with a
 * warning line naming it.
 */
public final class SchemaExtras {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
  private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
  /** A string literal, with PostgreSQL's cast after it ({@code 'x'::character varying}). */
  private static final Pattern STRING = Pattern.compile("('(?:[^'\\\\]|'')*')(::[A-Za-z ]+(\\(\\d+\\))?)?");
  private static final Pattern NOW = Pattern.compile("(?i)(current_timestamp|now|localtimestamp)(\\s*\\(\\s*\\d*\\s*\\))?");

  private SchemaExtras() {
  }

  /**
   * A secondary index: its name (lower case; SQLite's {@code sqlite_autoindex_*} of a UNIQUE constraint becomes
   * {@code <table>_<columns>_key}), whether it is unique, its columns in order ({@code col DESC} where the driver says
   * so: SQLite's does not).
   */
  public record Index(String name, boolean unique, List<String> columns) {
    /** {@code CREATE [UNIQUE] INDEX IF NOT EXISTS name ON table (columns)}. */
    public String createSql(String table) {
      return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " + name + " ON " + table + " ("
          + String.join(", ", columns) + ")";
    }
  }

  /**
   * The secondary indexes of {@code table} (as the database spells it, or in upper or lower case): every index but
   * the primary key's; an index with an expression is left out and named in {@code warnings}.
   */
  public static List<Index> indexes(Connection c, String table, List<String> primaryKey, List<String> warnings)
      throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String schema = schema(c);
    for (String candidate : candidates(table)) {
      Map<String, TreeMap<Integer, String>> columns = new LinkedHashMap<>();
      Map<String, Boolean> unique = new LinkedHashMap<>();
      List<String> expressions = new ArrayList<>();
      try (ResultSet rs = md.getIndexInfo(c.getCatalog(), schema, candidate, false, false)) {
        while (rs.next()) {
          String name = rs.getString("INDEX_NAME");
          if (rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic || name == null) {
            continue;
          }
          String column = rs.getString("COLUMN_NAME");
          if (column != null && column.length() > 1 && column.startsWith("\"") && column.endsWith("\"")) {
            column = column.substring(1, column.length() - 1);
          }
          if (column == null || !NAME.matcher(column).matches()) {
            expressions.add(name);
            continue;
          }
          String desc = "D".equals(rs.getString("ASC_OR_DESC")) ? " DESC" : "";
          columns.computeIfAbsent(name, k -> new TreeMap<>()).put(rs.getInt("ORDINAL_POSITION"),
              column.toLowerCase(Locale.ROOT) + desc);
          unique.put(name, !rs.getBoolean("NON_UNIQUE"));
        }
      }
      if (columns.isEmpty() && expressions.isEmpty()) {
        continue;
      }
      List<Index> out = new ArrayList<>();
      List<String> key = primaryKey.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
      for (Map.Entry<String, TreeMap<Integer, String>> e : columns.entrySet()) {
        if (expressions.contains(e.getKey())) {
          continue;
        }
        List<String> cols = new ArrayList<>(e.getValue().values());
        if (unique.get(e.getKey()) && cols.equals(key)) {
          continue; // the primary key's own index
        }
        String name = e.getKey().toLowerCase(Locale.ROOT);
        if (name.startsWith("sqlite_")) { // SQLite's name for a UNIQUE constraint's index: reserved there
          name = table.toLowerCase(Locale.ROOT) + "_" + String.join("_", cols).replace(" desc", "") + "_key";
        }
        out.add(new Index(name, unique.get(e.getKey()), cols));
      }
      for (String x : new java.util.TreeSet<>(expressions)) {
        warnings.add("table " + table.toLowerCase(Locale.ROOT) + ": index " + x + " is on an expression and is "
            + "not copied: create it yourself");
      }
      return out;
    }
    return List.of();
  }

  /** Per column (lower case), its default as the database gives it ({@code COLUMN_DEF}); columns with none left out. */
  public static Map<String, String> defaults(Connection c, String table) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String schema = schema(c);
    for (String candidate : candidates(table)) {
      Map<String, String> out = new LinkedHashMap<>();
      boolean any = false;
      try (ResultSet rs = md.getColumns(c.getCatalog(), schema, candidate, "%")) {
        while (rs.next()) {
          any = true;
          String def = rs.getString("COLUMN_DEF");
          if (def != null && !def.isBlank()) {
            out.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), def.trim());
          }
        }
      }
      if (any) {
        return out;
      }
    }
    return Map.of();
  }

  /**
   * A default's text for {@code to}, or null when it is not translated (the caller warns): numbers, string literals
   * (no backslash), TRUE/FALSE, NULL, and the current timestamp for a column of type {@code type} (a timestamp or
   * datetime type; any type on SQLite).
   */
  public static String translateDefault(String def, String type, Dialect to) {
    String d = def.trim();
    while (d.length() > 1 && d.startsWith("(") && d.endsWith(")") && balanced(d.substring(1, d.length() - 1))) {
      d = d.substring(1, d.length() - 1).trim();
    }
    if (d.equalsIgnoreCase("NULL")) {
      return "NULL";
    }
    if (NUMBER.matcher(d).matches()) {
      return d;
    }
    Matcher s = STRING.matcher(d);
    if (s.matches()) {
      return s.group(1);
    }
    if (d.equalsIgnoreCase("TRUE") || d.equalsIgnoreCase("FALSE")) {
      boolean v = d.equalsIgnoreCase("TRUE");
      return to == Dialect.SQLITE || to == Dialect.MYSQL ? (v ? "1" : "0") : (v ? "TRUE" : "FALSE");
    }
    String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (NOW.matcher(d).matches() && (t.startsWith("timestamp") || t.startsWith("datetime")
        || to == Dialect.SQLITE)) { // SQLite: the text 'YYYY-MM-DD HH:MM:SS' in any column, as on an SQLite source
      Matcher p = Pattern.compile("\\((\\d+)\\)").matcher(t);
      if (to == Dialect.MYSQL && p.find()) {
        return "CURRENT_TIMESTAMP(" + p.group(1) + ")"; // MariaDB: the precision of the column
      }
      return "CURRENT_TIMESTAMP";
    }
    return null;
  }

  private static boolean balanced(String s) {
    int depth = 0;
    for (char ch : s.toCharArray()) {
      depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
      if (depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }

  private static List<String> candidates(String table) {
    List<String> out = new ArrayList<>();
    for (String t : new String[] {table, table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)}) {
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  private static String schema(Connection c) {
    try {
      return c.getSchema();
    } catch (SQLException | AbstractMethodError e) {
      return null;
    }
  }
}
