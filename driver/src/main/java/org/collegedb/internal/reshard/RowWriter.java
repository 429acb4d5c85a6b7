package org.collegedb.internal.reshard;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.internal.copy.KeyOrder;
import org.collegedb.internal.copy.Replace;

/**
 * The mover's rows as column-name maps (what the hash and the change log speak) over {@code internal.copy}, the
 * copy machinery split and unshard use too: reads in primary-key order after a key, writes as "delete the key,
 * insert the row" in one transaction (idempotent), deletes keys.
 */
final class RowWriter {
  private RowWriter() {
  }

  /** Up to {@code limit} rows of {@code t} after {@code after} (null: from the start), in primary-key order. */
  static List<Map<String, Object>> readAfter(Connection c, TableShape t, Object[] after, int limit)
      throws SQLException {
    return readAfter(c, t, after, null, limit);
  }

  /** As {@link #readAfter(Connection, TableShape, Object[], int)}, up to the key {@code upTo} (null: no end). */
  static List<Map<String, Object>> readAfter(Connection c, TableShape t, Object[] after, Object[] upTo, int limit)
      throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Object[] values : KeyOrder.after(c, t.copy, after, upTo, limit)) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < values.length; i++) {
        row.put(t.columns.get(i), values[i]);
      }
      rows.add(row);
    }
    return rows;
  }

  /** One operation on a row: delete its key, then (when {@code row} is not null) insert it. */
  record Op(TableShape table, Object[] key, Map<String, Object> row) {
  }

  /** Applies {@code ops} as if in order, in one transaction ({@link Replace#apply}). */
  static void apply(Connection c, List<Op> ops) throws SQLException {
    List<Replace.Op> out = new ArrayList<>(ops.size());
    for (Op op : ops) {
      out.add(new Replace.Op(op.table().copy, op.key(), op.row() == null ? null : op.table().copy.values(op.row())));
    }
    Replace.apply(c, out);
  }

  /** Deletes the keys {@code keys} of {@code t} in one transaction. */
  static void delete(Connection c, TableShape t, List<Object[]> keys) throws SQLException {
    Replace.delete(c, t.copy, keys);
  }
}
