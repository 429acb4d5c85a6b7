package org.collegedb.internal.directory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.parse.ValueRef;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.rewrite.Splice;
import org.collegedb.internal.schema.TableRule;

/**
 * The generated keys of a prepared single-row INSERT's batch, into a table whose key the database would generate: the
 * key becomes one more parameter of the text ({@code INSERT INTO t (name) VALUES (?)} runs as
 * {@code INSERT INTO t (id, name) VALUES (?, ?)}), so that every entry runs the same text and a shard can run its
 * entries as one batch. Entries that give their key keep it; the others get values taken from the directory's
 * counter in one step (as {@link GeneratedKeys} does for one statement), and given values are reported to the
 * counter once, as the largest of the batch.
 */
public final class BatchKeys {
  /**
   * The batch's text with the key as a parameter.
   *
   * @param sql     the text every entry runs
   * @param params  for each {@code ?} of it, the index in an entry's store ({@link #entries})
   * @param entries each entry's parameters, the key added at the index after the caller's
   * @param keys    each entry's key, in the caller's order (generated or given)
   * @param generated how many keys the directory handed out
   */
  public record Rewrite(String sql, int[] params, List<ParameterStore> entries, List<Object> keys, int generated) {
  }

  private BatchKeys() {
  }

  /**
   * The rewrite, or null when the batch cannot run so: several rows per entry, a key given as a literal or an
   * expression, a text that names no columns (each entry then runs on its own, as before).
   */
  public static Rewrite rewrite(Directory directory, ShardConnections shards, TableRule rule,
      ParsedStatement.Insert insert, Tokens tokens, List<ParameterStore> entries) throws SQLException {
    if (insert.rows().size() != 1 || insert.source() != null || insert.returning()) {
      return null;
    }
    String key = rule.generatedKey();
    List<String> columns = insert.columns().isEmpty() ? rule.columns()
        : insert.columns().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
    int position = columns.indexOf(key);
    ParsedStatement.Row row = insert.rows().get(0);
    int given = 0; // the caller's parameter holding the key, or 0 when every entry needs one generated
    if (position >= 0) {
      ValueRef ref = row.values().get(position);
      if (ref instanceof ValueRef.Param p) {
        given = p.index();
      } else if (!(ref == ValueRef.Computed.DEFAULT || ref instanceof ValueRef.Constant c && c.value() == null)) {
        return null; // a literal or an expression: the same for every entry, run each on its own
      }
    } else if (insert.columns().isEmpty()) {
      return null; // the single-statement path says what is wrong
    }
    int keyIndex = tokens.paramCount() + 1;
    Splice splice = new Splice(tokens);
    if (position < 0) {
      splice.insertAfter(GeneratedKeys.columnListOpen(tokens, insert), key + ", ");
      splice.replace(row.open() + 1, row.open(), new Splice.Bound(keyIndex), ", ");
    } else {
      int[] range = GeneratedKeys.element(tokens, row, position);
      splice.replace(range[0], range[1], new Splice.Bound(keyIndex));
    }
    ShardSql sql = splice.apply();

    List<Object> keys = new ArrayList<>(entries.size());
    int missing = 0;
    long highest = Long.MIN_VALUE;
    for (ParameterStore entry : entries) {
      Object value = given == 0 ? null : entry.value(given);
      keys.add(value);
      if (value == null) {
        missing++;
      } else {
        Long l = GeneratedKeys.asLong(value);
        if (l != null) {
          highest = Math.max(highest, l);
        }
      }
    }
    String counter = KeyBlocks.counter(rule.name(), key);
    long[] generated = missing == 0 ? new long[0] : directory.blocks().take(counter, missing,
        () -> GeneratedKeys.largestKey(shards, insert.table().name(), key));
    if (highest != Long.MIN_VALUE) {
      directory.blocks().saw(counter, highest);
    }
    List<ParameterStore> out = new ArrayList<>(entries.size());
    int next = 0;
    for (int e = 0; e < entries.size(); e++) {
      ParameterStore store = entries.get(e).copy();
      if (keys.get(e) == null) {
        long k = generated[next++];
        keys.set(e, k);
        store.setPrimitive(keyIndex, ParameterStore.Setter.LONG, k);
      } else {
        entries.get(e).copy(given, store, keyIndex); // bound as the caller bound it
        Object v = keys.get(e);
        keys.set(e, v instanceof Number n && !(v instanceof java.math.BigDecimal) ? (Object) n.longValue() : v);
      }
      out.add(store);
    }
    return new Rewrite(sql.sql(), sql.params(), out, keys, missing);
  }
}
