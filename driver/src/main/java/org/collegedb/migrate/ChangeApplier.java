package org.collegedb.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.capture.Change;

/**
 * Applies captured changes to a sink by primary key, idempotently: every change deletes the key's row, and an INSERT
 * or UPDATE then inserts the row as it is after the change (which the change carries whole). Applying a change twice,
 * or a change to a row the copy already had in its new state, leaves the same row.
 */
final class ChangeApplier implements AutoCloseable {
  private final Connection sink;
  private final Map<String, SourceTable> tables;
  private final Map<String, PreparedStatement[]> statements = new HashMap<>();

  ChangeApplier(Connection sink, Map<String, SourceTable> tables) {
    this.sink = sink;
    this.tables = tables;
  }

  /** Applies {@code changes} in order in one transaction of the sink's; changes of other tables are skipped. */
  int apply(List<Change> changes) throws SQLException {
    boolean auto = sink.getAutoCommit();
    sink.setAutoCommit(false);
    int applied = 0;
    try {
      for (Change ch : changes) {
        SourceTable t = tables.get(ch.table());
        if (t == null) {
          continue;
        }
        PreparedStatement[] ps = statements.computeIfAbsent(t.key(), k -> new PreparedStatement[2]);
        if (ps[0] == null) {
          ps[0] = sink.prepareStatement(RowCopy.deleteSql(t));
          ps[1] = sink.prepareStatement(RowCopy.insertSql(t));
        }
        List<String> key = t.primaryKey();
        Map<String, Object> keyValues = ch.before() != null && ch.operation() == Change.Operation.DELETE
            ? ch.before() : ch.key();
        for (int i = 0; i < key.size(); i++) {
          ps[0].setObject(i + 1, keyValues.get(key.get(i)));
        }
        ps[0].executeUpdate();
        if (ch.after() != null) {
          Object[] row = new Object[t.columns().size()];
          for (int i = 0; i < row.length; i++) {
            row[i] = ch.after().get(t.columns().get(i).name());
          }
          RowCopy.bind(ps[1], row, 0);
          ps[1].executeUpdate();
        }
        applied++;
      }
      sink.commit();
    } catch (SQLException e) {
      sink.rollback();
      throw e;
    } finally {
      sink.setAutoCommit(auto);
    }
    return applied;
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement[] ps : statements.values()) {
      for (PreparedStatement p : ps) {
        if (p != null) {
          p.close();
        }
      }
    }
  }
}
