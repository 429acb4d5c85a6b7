package org.collegedb.internal.route;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.collegedb.parse.ColumnRef;
import org.collegedb.parse.Condition;
import org.collegedb.parse.ValueRef;
import org.collegedb.internal.value.KeyType;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.value.KeyHasher;

/**
 * The shard-key values a condition allows for one table: a finite set of key tuples, or "any key". A tuple holds the
 * canonical value of each key column. The set is exact in one direction only: every row the condition accepts has a
 * key in it; routing to the owners of those keys therefore never misses a row.
 */
final class KeySet {
  /** More tuples than this and routing gives up narrowing: the statement goes to every shard. */
  private static final int MAX_TUPLES = 10_000;

  private KeySet() {
  }

  /**
   * The key tuples {@code condition} allows, or null for any. {@code keyColumn} says which key column, if any, a
   * column reference is (its index, or -1).
   */
  static List<Object[]> tuples(Condition condition, KeyType[] types, KeyColumns keyColumn, Bindings bindings)
      throws SQLException {
    Set<Key> partial = evaluate(condition, types, keyColumn, bindings);
    if (partial == null) {
      return null;
    }
    Object[][] complete = new Object[partial.size()][];
    int i = 0;
    for (Key k : partial) {
      for (Object v : k.values) {
        if (v == null) {
          return null; // a key column is not pinned
        }
      }
      complete[i++] = k.values;
    }
    return Arrays.asList(complete); // read only
  }

  /** Which key column a column reference is, or -1. */
  interface KeyColumns {
    int indexOf(ColumnRef column);
  }

  private record Key(Object[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(k.values, values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }

  private static Set<Key> evaluate(Condition c, KeyType[] types, KeyColumns keyColumn, Bindings bindings)
      throws SQLException {
    if (c instanceof Condition.Eq eq) {
      int i = keyColumn.indexOf(eq.column());
      return i < 0 ? null : single(types, i, bindings.value(eq.value()));
    }
    if (c instanceof Condition.In in) {
      int i = keyColumn.indexOf(in.column());
      if (i < 0) {
        return null;
      }
      Set<Key> keys = new LinkedHashSet<>();
      for (ValueRef v : in.values()) {
        Set<Key> one = single(types, i, bindings.value(v));
        if (one == null) {
          return null;
        }
        keys.addAll(one);
      }
      return keys;
    }
    if (c instanceof Condition.IsNull isNull) {
      int i = keyColumn.indexOf(isNull.column());
      return i < 0 ? null : single(types, i, KeyHasher.NULL);
    }
    if (c instanceof Condition.And and) {
      Set<Key> result = null;
      for (Condition term : and.terms()) {
        Set<Key> r = evaluate(term, types, keyColumn, bindings);
        if (r == null) {
          continue;
        }
        result = result == null ? r : product(result, r);
        if (result == null) {
          return null;
        }
      }
      return result;
    }
    if (c instanceof Condition.Or or) {
      Set<Key> result = new LinkedHashSet<>();
      for (Condition term : or.terms()) {
        Set<Key> r = evaluate(term, types, keyColumn, bindings);
        if (r == null) {
          return null;
        }
        result.addAll(r);
        if (result.size() > MAX_TUPLES) {
          return null;
        }
      }
      return result;
    }
    return null;
  }

  private static Set<Key> single(KeyType[] types, int column, Object value) throws SQLException {
    if (value == null) {
      return null; // "= NULL" matches no row; let the shards say so
    }
    Object[] values = new Object[types.length];
    values[column] = KeyHasher.canonical(types[column], value);
    return Set.of(new Key(values)); // read only: the callers combine sets into new ones
  }

  /** The pairwise merge of two sets of partial tuples: pairs that disagree on a column match no row. */
  private static Set<Key> product(Set<Key> a, Set<Key> b) {
    if ((long) a.size() * b.size() > MAX_TUPLES) {
      return null;
    }
    Set<Key> out = new LinkedHashSet<>();
    for (Key x : a) {
      for (Key y : b) {
        Object[] merged = merge(x.values, y.values);
        if (merged != null) {
          out.add(new Key(merged));
        }
      }
    }
    return out;
  }

  private static Object[] merge(Object[] x, Object[] y) {
    Object[] m = x.clone();
    for (int i = 0; i < y.length; i++) {
      if (y[i] == null) {
        continue;
      }
      if (m[i] == null) {
        m[i] = y[i];
      } else if (!m[i].equals(y[i])) {
        return null;
      }
    }
    return m;
  }

  /** Whether {@code condition} holds an IN list on a column that {@code isKey} accepts. */
  static void inLists(Condition condition, Predicate<ColumnRef> isKey, List<Condition.In> out) {
    if (condition instanceof Condition.In in && isKey.test(in.column()) && in.open() >= 0) {
      out.add(in);
    } else if (condition instanceof Condition.And and) {
      for (Condition t : and.terms()) {
        inLists(t, isKey, out);
      }
    } else if (condition instanceof Condition.Or or) {
      for (Condition t : or.terms()) {
        inLists(t, isKey, out);
      }
    }
  }
}
