package org.collegedb.internal.run;


import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.value.Bindings;

/**
 * A statement CollegeDB rewrote (a subquery answered, a key guard added) with its parameters, and how
 * parameters are fed to such statements: from a splice's parameter map.
 */
record Rewritten(String sql, ParameterStore params) {
  /**
   * The parameters of a spliced text: where {@code map} holds a caller's index (positive), that parameter exactly as
   * the caller set it; where it holds {@code -k}, the value {@code values.get(k - 1)} of the driver's own.
   */
  static ParameterStore parameters(int[] map, Bindings.Parameters caller, List<Object> values) throws SQLException {
    ParameterStore store = new ParameterStore();
    for (int i = 0; i < map.length; i++) {
      if (map[i] < 0) {
        Object v = values.get(-map[i] - 1);
        if (v == null) {
          store.set(i + 1, ParameterStore.Setter.NULL, null, Types.NULL, 0);
        } else {
          store.set(i + 1, ParameterStore.Setter.OBJECT, v);
        }
      } else if (caller instanceof ParameterStore own) {
        own.copy(map[i], store, i + 1);
      } else {
        store.set(i + 1, ParameterStore.Setter.OBJECT, caller.value(map[i]));
      }
    }
    return store;
  }
}
