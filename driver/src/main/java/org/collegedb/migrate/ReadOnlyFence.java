package org.collegedb.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes tables of one database refuse writes, by triggers that raise on every INSERT, UPDATE and DELETE (on all four
 * products: SQLite {@code RAISE(ABORT)}, PostgreSQL a PL/pgSQL function, MariaDB {@code SIGNAL SQLSTATE '45000'}, H2
 * the Java trigger {@link H2ReadOnlyTrigger}). Used to stop the old database's writes before the final catch-up;
 * {@link #remove} takes them away (abort).
 */
final class ReadOnlyFence {
  static final String MESSAGE = "this database has moved to CollegeDB and is read-only";
  private static final String PG_FUNCTION = "collegedb_read_only";

  private ReadOnlyFence() {
  }

  static void install(Connection c, Product p, String table) throws SQLException {
    List<String> ddl = new ArrayList<>(drops(p, table));
    String base = "collegedb_ro_" + table;
    switch (p) {
      case SQLITE -> {
        for (String event : List.of("INSERT", "UPDATE", "DELETE")) {
          ddl.add("CREATE TRIGGER " + base + "_" + event.charAt(0) + " BEFORE " + event + " ON " + table
              + " BEGIN SELECT RAISE(ABORT, '" + MESSAGE + "'); END");
        }
      }
      case POSTGRES -> {
        ddl.add(0, "CREATE OR REPLACE FUNCTION " + PG_FUNCTION + "() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
            + "RAISE EXCEPTION '" + MESSAGE + "' USING ERRCODE = '25006'; END $f$");
        ddl.add("CREATE TRIGGER " + base + " BEFORE INSERT OR UPDATE OR DELETE ON " + table
            + " FOR EACH STATEMENT EXECUTE FUNCTION " + PG_FUNCTION + "()");
      }
      case MARIADB -> {
        for (String event : List.of("INSERT", "UPDATE", "DELETE")) {
          ddl.add("CREATE TRIGGER " + base + "_" + event.charAt(0) + " BEFORE " + event + " ON " + table
              + " FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '" + MESSAGE + "'");
        }
      }
      case H2 -> ddl.add("CREATE TRIGGER " + base + " BEFORE INSERT, UPDATE, DELETE ON " + table
          + " FOR EACH ROW CALL '" + H2ReadOnlyTrigger.class.getName() + "'");
      default -> throw new IllegalStateException(p.toString());
    }
    run(c, ddl);
  }

  static void remove(Connection c, Product p, String table) throws SQLException {
    run(c, drops(p, table));
  }

  private static List<String> drops(Product p, String table) {
    String base = "collegedb_ro_" + table;
    return switch (p) {
      case SQLITE, MARIADB -> List.of("DROP TRIGGER IF EXISTS " + base + "_I", "DROP TRIGGER IF EXISTS " + base + "_U",
          "DROP TRIGGER IF EXISTS " + base + "_D");
      case POSTGRES -> List.of("DROP TRIGGER IF EXISTS " + base + " ON " + table);
      case H2 -> List.of("DROP TRIGGER IF EXISTS " + base);
    };
  }

  private static void run(Connection c, List<String> ddl) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String sql : ddl) {
        s.execute(sql);
      }
    }
  }
}
