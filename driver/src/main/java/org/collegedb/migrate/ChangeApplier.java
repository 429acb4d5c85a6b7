package org.collegedb.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.capture.Change;
import org.collegedb.internal.copy.CopyTable;
import org.collegedb.internal.copy.Replace;

/**
 * Applies captured changes to a sink by primary key, idempotently: every change deletes the key's row, and an INSERT
 * or UPDATE then inserts the row as it is after the change (which the change carries whole). Applying a change twice,
 * or a change to a row the copy already had in its new state, leaves the same row. The writing is
 * {@link Replace#apply} (the reshard's too).
 */
final class ChangeApplier implements AutoCloseable {
  private final Connection sink;
  private final Map<String, SourceTable> tables;
  private final Map<String, CopyTable> copies = new HashMap<>();

  ChangeApplier(Connection sink, Map<String, SourceTable> tables) {
    this.sink = sink;
    this.tables = tables;
  }

  /** Applies {@code changes} in order in one transaction of the sink's; changes of other tables are skipped. */
  int apply(List<Change> changes) throws SQLException {
    List<Replace.Op> ops = new ArrayList<>();
    for (Change ch : changes) {
      SourceTable t = tables.get(ch.table());
      if (t == null) {
        continue;
      }
      List<String> key = t.primaryKey();
      Map<String, Object> keyValues = ch.before() != null && ch.operation() == Change.Operation.DELETE
          ? ch.before() : ch.key();
      Object[] k = new Object[key.size()];
      for (int i = 0; i < k.length; i++) {
        k[i] = keyValues.get(key.get(i));
      }
      Object[] row = null;
      if (ch.after() != null) {
        row = new Object[t.columns().size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = ch.after().get(t.columns().get(i).name());
        }
      }
      ops.add(new Replace.Op(copies.computeIfAbsent(t.key(), x -> RowCopy.table(t)), k, row));
    }
    Replace.apply(sink, ops);
    return ops.size();
  }

  @Override
  public void close() {
  }
}
