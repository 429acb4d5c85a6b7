package org.collegedb.parse;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * A text that is equal for two analyses exactly when they hold the same structure: records component by component,
 * int arrays by content (records compare arrays by identity), sets in sorted order.
 */
final class Canonical {
  private Canonical() {
  }

  static String of(Object o) {
    StringBuilder b = new StringBuilder();
    append(b, o);
    return b.toString();
  }

  private static void append(StringBuilder b, Object o) {
    if (o == null) {
      b.append("null");
    } else if (o instanceof int[] a) {
      b.append(Arrays.toString(a));
    } else if (o instanceof Set<?> set) {
      TreeSet<String> sorted = new TreeSet<>();
      for (Object e : set) {
        sorted.add(of(e));
      }
      b.append(sorted);
    } else if (o instanceof Collection<?> list) {
      b.append('[');
      for (Object e : list) {
        append(b, e);
        b.append(',');
      }
      b.append(']');
    } else if (o.getClass().isRecord()) {
      b.append(o.getClass().getSimpleName()).append('(');
      for (RecordComponent c : o.getClass().getRecordComponents()) {
        b.append(c.getName()).append('=');
        try {
          append(b, c.getAccessor().invoke(o));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
        b.append(' ');
      }
      b.append(')');
    } else {
      b.append(o);
    }
  }
}
