package org.collegedb.internal.run;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import org.collegedb.internal.merge.FilteredResultSet;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TableRef;
import org.collegedb.internal.route.ShardRouter;
import org.collegedb.internal.schema.SystemTables;

/**
 * Queries of the databases' own catalogs ({@link SystemTables}): their rows that name CollegeDB's own tables are
 * hidden, as {@link CollegeDatabaseMetaData} hides them, so that a tool listing the tables of the schema (Flyway's
 * {@code clean}, its SQLite emptiness check) sees the logical database. Counts and EXISTS over a catalog still count
 * CollegeDB's tables.
 */
final class CatalogReads {
  private CatalogReads() {
  }

  /** The rows of {@code rows} none of whose text values names a CollegeDB object. */
  static ResultSet hidingInternal(ResultSet rows) throws SQLException {
    ResultSetMetaData md = rows.getMetaData();
    int n = md.getColumnCount();
    boolean[] text = new boolean[n + 1];
    for (int i = 1; i <= n; i++) {
      int type = md.getColumnType(i);
      text[i] = type == Types.VARCHAR || type == Types.CHAR || type == Types.LONGVARCHAR || type == Types.NVARCHAR
          || type == Types.NCHAR || type == Types.LONGNVARCHAR || type == Types.OTHER || type == Types.NULL;
    }
    return new FilteredResultSet(rows, row -> {
      for (int i = 1; i <= n; i++) {
        if (text[i] && SystemTables.namesInternal(row.getString(i))) {
          return false;
        }
      }
      return true;
    });
  }
}
