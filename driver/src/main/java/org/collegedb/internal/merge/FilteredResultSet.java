package org.collegedb.internal.merge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Predicate;

/** The rows of a result set that a test accepts: for hiding CollegeDB's own tables from metadata. */
public final class FilteredResultSet extends ForwardingResultSet {
  /** A test of the current row. */
  @FunctionalInterface
  public interface RowTest {
    boolean accept(ResultSet row) throws SQLException;
  }

  private final ResultSet rows;
  private final RowTest keep;

  public FilteredResultSet(ResultSet rows, RowTest keep) {
    this.rows = rows;
    this.keep = keep;
  }

  /** Keeps rows whose {@code column} is not accepted by {@code hidden}. */
  public static ResultSet hiding(ResultSet rows, String column, Predicate<String> hidden) {
    return new FilteredResultSet(rows, r -> {
      String v = r.getString(column);
      return v == null || !hidden.test(v);
    });
  }

  @Override
  protected ResultSet delegate() {
    return rows;
  }

  @Override
  public boolean next() throws SQLException {
    while (rows.next()) {
      if (keep.accept(rows)) {
        return true;
      }
    }
    return false;
  }
}
