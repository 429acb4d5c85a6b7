package org.collegedb.internal.reshard;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.collegedb.internal.copy.SchemaExtras;
import org.collegedb.internal.schema.Dialect;

/**
 * Creates a table on a shard joining the cluster as it is on an existing shard: SQLite's own text of the table and
 * its indexes, MariaDB's {@code SHOW CREATE TABLE}, and for PostgreSQL and H2 the columns' types, nullability,
 * defaults and primary key from the catalog, then its secondary indexes ({@code internal.copy.SchemaExtras}; a
 * default that is not a literal or the current timestamp, such as a sequence's, and an index on an expression are
 * left out with a warning; other constraints are not copied there).
 */
final class SchemaCopy {
  private SchemaCopy() {
  }

  static boolean exists(Connection c, String table) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0")) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Creates the table on {@code target} unless it is there; returns the warnings (what was not copied). */
  static List<String> create(Connection source, Connection target, TableShape table) throws SQLException {
    List<String> warnings = new ArrayList<>();
    if (exists(target, table.name)) {
      return warnings;
    }
    Dialect d = Dialect.detect(source);
    List<String> ddl = new ArrayList<>();
    if (d == Dialect.SQLITE) {
      try (java.sql.PreparedStatement ps = source.prepareStatement("SELECT sql FROM sqlite_master WHERE tbl_name = ? "
          + "COLLATE NOCASE AND sql IS NOT NULL AND type IN ('table', 'index') ORDER BY type DESC")) {
        ps.setString(1, table.name);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ddl.add(rs.getString(1));
          }
        }
      }
    } else if (d == Dialect.MYSQL) {
      try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + table.name)) {
        rs.next();
        ddl.add(rs.getString(2));
      }
    } else {
      ddl.add(fromCatalog(source, table, d, warnings));
      for (SchemaExtras.Index ix : SchemaExtras.indexes(source, table.name, table.primaryKey, warnings)) {
        ddl.add(ix.createSql(table.name));
      }
    }
    try (Statement s = target.createStatement()) {
      for (String sql : ddl) {
        s.execute(sql);
      }
    }
    return warnings;
  }

  private static String fromCatalog(Connection c, TableShape table, Dialect d, List<String> warnings)
      throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String schema = c.getSchema();
    StringBuilder b = new StringBuilder("CREATE TABLE ").append(table.name).append(" (");
    boolean any = false;
    for (String candidate : new String[] {table.name, table.name.toUpperCase(Locale.ROOT)}) {
      try (ResultSet rs = md.getColumns(c.getCatalog(), schema, candidate, "%")) {
        while (rs.next()) {
          any = true;
          String type = rs.getString("TYPE_NAME");
          int size = rs.getInt("COLUMN_SIZE");
          int digits = rs.getInt("DECIMAL_DIGITS");
          String t = type.toLowerCase(Locale.ROOT);
          if (t.equals("serial")) {
            type = "integer";
          } else if (t.equals("bigserial")) {
            type = "bigint";
          } else if (t.equals("bpchar")) {
            type = "char(" + size + ")";
          } else if ((t.contains("char") || t.contains("binary")) && !t.contains("large") && size > 0
              && size < 1_000_000) {
            type = type + "(" + size + ")";
          } else if ((t.equals("numeric") || t.equals("decimal")) && size > 0 && size < 1000) {
            type = type + "(" + size + ", " + digits + ")";
          }
          String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
          String def = rs.getString("COLUMN_DEF");
          String defaultSql = "";
          if (def != null && !def.isBlank()) {
            String translated = SchemaExtras.translateDefault(def, type, d);
            if (translated == null) {
              warnings.add("table " + table.name + ", column " + column + ": default " + def.trim() + " is not "
                  + "copied to the joining shard: set it there yourself");
            } else if (!translated.equals("NULL")) {
              defaultSql = " DEFAULT " + translated;
            }
          }
          b.append(b.charAt(b.length() - 1) != '(' ? ", " : "").append(column).append(' ').append(type)
              .append(defaultSql).append("NO".equals(rs.getString("IS_NULLABLE")) ? " NOT NULL" : "");
        }
      }
      if (any) {
        break;
      }
    }
    return b.append(", PRIMARY KEY (").append(table.keyList()).append("))").toString();
  }
}
