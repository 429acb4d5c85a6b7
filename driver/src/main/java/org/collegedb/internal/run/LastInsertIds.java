package org.collegedb.internal.run;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.collegedb.internal.directory.KeyRows;

/**
 * The keys CollegeDB generated for this connection's last INSERT (from the directory), for the functions that read a
 * session's last generated key: SQLite's {@code last_insert_rowid()} (Hibernate's IDENTITY on SQLite reads its ids
 * so), MySQL's {@code last_insert_id()}, PostgreSQL's {@code lastval()}, H2's {@code identity()}. Sent to a shard, they
 * would answer for that shard's connection, whose last insert may have been on another shard.
 */
final class LastInsertIds {
  private volatile List<Object> keys;

  /** An INSERT on this connection was given these keys, in row order. */
  void record(List<Object> generated) {
    if (!generated.isEmpty()) {
      keys = List.copyOf(generated);
    }
  }

  /**
   * The answer to a call of {@code function} (lower case) labelled {@code label} when CollegeDB generated keys on
   * this connection; else null (the statement runs as any other).
   */
  ResultSet answer(String function, String label) throws SQLException {
    List<Object> last = keys;
    if (last == null) {
      return null;
    }
    // MySQL's LAST_INSERT_ID() is the first row's key of a multi-row INSERT; the others are the last row's.
    Object key = function.equals("last_insert_id") ? last.get(0) : last.get(last.size() - 1);
    return KeyRows.of(label, List.of(key));
  }
}
