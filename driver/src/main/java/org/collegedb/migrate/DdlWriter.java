package org.collegedb.migrate;

import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.collegedb.SqlStates;
import org.collegedb.internal.copy.SchemaExtras;
import org.collegedb.internal.schema.Dialect;

/**
 * The {@code CREATE TABLE IF NOT EXISTS} text of a table for a target product, from its columns' JDBC types: the
 * same columns, NULL-ness, defaults (where they translate safely) and primary key, types translated where products
 * differ (SQLite's 64-bit INTEGER becomes BIGINT, unbounded text a key can hold on MariaDB becomes VARCHAR(255),
 * ...). A type with no translation is refused with the table and column named. The secondary indexes follow as
 * {@code CREATE INDEX IF NOT EXISTS} texts.
 */
final class DdlWriter {
  private DdlWriter() {
  }

  static String createTable(SourceTable t, Product from, Product to) throws SQLException {
    return createTable(t, from, to, new ArrayList<>());
  }

  /**
   * The {@code CREATE TABLE}, with the columns' defaults where {@link SchemaExtras#translateDefault} translates them;
   * a default it does not is named in {@code warnings}.
   */
  static String createTable(SourceTable t, Product from, Product to, List<String> warnings) throws SQLException {
    List<String> parts = new ArrayList<>();
    for (Column c : t.columns()) {
      boolean key = t.primaryKey().contains(c.name());
      String type = type(t, c, from, to, key);
      String def = "";
      if (c.def() != null && !c.def().isBlank()) {
        String translated = SchemaExtras.translateDefault(c.def(), type, dialect(to));
        if (translated == null) {
          warnings.add("table " + t.key() + ", column " + c.name() + ": default " + c.def() + " is not copied (no "
              + "safe translation for " + to + "): set it yourself");
        } else if (!translated.equals("NULL")) {
          def = " DEFAULT " + translated;
        }
      }
      parts.add(c.name() + " " + type + def + (c.nullable() && !key ? "" : " NOT NULL"));
    }
    if (!t.primaryKey().isEmpty()) {
      parts.add("PRIMARY KEY (" + String.join(", ", t.primaryKey()) + ")");
    }
    return "CREATE TABLE IF NOT EXISTS " + t.key() + " (" + String.join(", ", parts) + ")";
  }

  static String type(SourceTable t, Column c, Product from, Product to, boolean key) throws SQLException {
    int size = c.size();
    String name = c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
    switch (c.jdbcType()) {
      case Types.BIT, Types.BOOLEAN:
        return size > 1 && c.jdbcType() == Types.BIT ? "BIGINT" : "BOOLEAN";
      case Types.TINYINT, Types.SMALLINT:
        return from == Product.SQLITE ? "BIGINT" : "SMALLINT";
      case Types.INTEGER:
        return from == Product.SQLITE || name.contains("unsigned") ? "BIGINT" : "INTEGER";
      case Types.BIGINT:
        return name.contains("unsigned") ? "DECIMAL(20, 0)" : "BIGINT";
      case Types.REAL, Types.FLOAT, Types.DOUBLE:
        return to == Product.SQLITE ? "REAL" : to == Product.MARIADB ? "DOUBLE" : "DOUBLE PRECISION";
      case Types.NUMERIC, Types.DECIMAL:
        if (size > 0 && size <= 65) {
          return "DECIMAL(" + Math.min(size, 65) + ", " + Math.max(0, c.scale()) + ")";
        }
        return to == Product.MARIADB ? "DECIMAL(65, 15)" : "NUMERIC";
      case Types.CHAR, Types.NCHAR:
        if (size > 0 && size <= 255) {
          return "CHAR(" + size + ")";
        }
        return text(to, key);
      case Types.VARCHAR, Types.NVARCHAR, Types.LONGVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB:
        if (size > 0 && size <= (to == Product.MARIADB ? (key ? 768 : 16_000) : 1_000_000)
            && c.jdbcType() != Types.CLOB && !name.equals("text")) {
          return "VARCHAR(" + size + ")";
        }
        return text(to, key);
      case Types.DATE:
        return "DATE";
      case Types.TIME:
        return "TIME";
      case Types.TIMESTAMP:
        return to == Product.MARIADB ? "DATETIME(6)" : "TIMESTAMP";
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return to == Product.POSTGRES || to == Product.H2 ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
        return switch (to) {
          case POSTGRES -> "BYTEA";
          case H2 -> key ? "VARBINARY(1000)" : "VARBINARY";
          case SQLITE -> "BLOB";
          case MARIADB -> key ? "VARBINARY(255)" : "LONGBLOB";
        };
      default:
        if (name.equals("uuid")) {
          return to == Product.POSTGRES || to == Product.H2 ? "UUID" : "CHAR(36)";
        }
        throw new SQLException("table '" + t.key() + "', column '" + c.name() + "': its type " + c.typeName()
            + " (JDBC type " + c.jdbcType() + ") has no translation for " + to + "; create the table on the target "
            + "yourself with the same name and columns, then run again", SqlStates.NOT_SUPPORTED);
    }
  }

  /** The table's secondary indexes as {@code CREATE INDEX IF NOT EXISTS} texts, on its lower-case name. */
  static List<String> createIndexes(SourceTable t) {
    List<String> out = new ArrayList<>();
    for (SchemaExtras.Index ix : t.indexes()) {
      out.add(ix.createSql(t.key()));
    }
    return out;
  }

  static Dialect dialect(Product p) {
    return switch (p) {
      case SQLITE -> Dialect.SQLITE;
      case H2 -> Dialect.H2;
      case POSTGRES -> Dialect.POSTGRES;
      case MARIADB -> Dialect.MYSQL;
    };
  }

  private static String text(Product to, boolean key) {
    return switch (to) {
      case MARIADB -> key ? "VARCHAR(255)" : "LONGTEXT";
      case H2 -> "VARCHAR";
      default -> "TEXT";
    };
  }
}
