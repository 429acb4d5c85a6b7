package org.collegedb.internal.run;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;

/**
 * What a statement's last execution produced: a result set or an update count, generated keys, warnings, and what
 * must close with the results (statements run on its behalf whose rows it shows).
 */
public final class Outcome {
  private ResultSet rows;
  private long count = -1;
  private ResultSet keys;
  private SQLWarning warnings;
  private final List<AutoCloseable> attached = new ArrayList<>(0);

  public ResultSet rows() {
    return rows;
  }

  public long count() {
    return rows != null ? -1 : count;
  }

  public ResultSet keys() {
    return keys;
  }

  public SQLWarning warnings() {
    return warnings;
  }

  void rows(ResultSet rs) {
    this.rows = rs;
  }

  void count(long n) {
    this.count = n;
  }

  void keys(ResultSet k) {
    this.keys = k;
  }

  /** Closes the generated keys held and holds {@code k} instead. */
  void replaceKeys(ResultSet k) throws SQLException {
    ResultSet old = keys;
    keys = k;
    if (old != null && old != k) {
      old.close();
    }
  }

  void warn(SQLWarning w) {
    if (warnings == null) {
      warnings = w;
    } else {
      warnings.setNextWarning(w);
    }
  }

  public void clearWarnings() {
    warnings = null;
  }

  /** Closes {@code c} when these results close. */
  void attach(AutoCloseable c) {
    attached.add(c);
  }

  /** Forgets the current result set without closing it (getMoreResults(KEEP_CURRENT_RESULT)). */
  public void dropRows() {
    rows = null;
    count = -1;
  }

  /** Closes the results and what is attached to them; afterwards there is no result. */
  public void close() throws SQLException {
    SQLException first = null;
    try {
      if (rows != null) {
        ResultSet r = rows;
        rows = null;
        r.close();
      }
    } catch (SQLException e) {
      first = e;
    }
    if (!attached.isEmpty()) { // no iterator on the hot path
      for (AutoCloseable c : attached) {
        try {
          c.close();
        } catch (SQLException e) {
          first = first == null ? e : first;
        } catch (Exception e) {
          first = first == null ? new SQLException(e.getMessage(), org.collegedb.SqlStates.GENERAL, e) : first;
        }
      }
      attached.clear();
    }
    try {
      if (keys != null) {
        ResultSet k = keys;
        keys = null;
        k.close();
      }
    } catch (SQLException e) {
      first = first == null ? e : first;
    }
    count = -1;
    warnings = null;
    if (first != null) {
      throw first;
    }
  }
}
