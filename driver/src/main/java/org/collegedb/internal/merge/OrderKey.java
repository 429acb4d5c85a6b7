package org.collegedb.internal.merge;

/**
 * One key of an ORDER BY: which column of the rows holds it (1-based), its direction, and where NULLs go: first or
 * last as the statement says, else as the backend puts them.
 */
public record OrderKey(int column, boolean descending, boolean nullsFirst, boolean codePointText) {
  /** A key with the backend's NULL placement when {@code nullsFirst} is null. */
  public static OrderKey of(int column, boolean descending, Boolean nullsFirst, boolean nullsLargest) {
    return of(column, descending, nullsFirst, nullsLargest, null);
  }

  /**
   * A key ordered under an explicit collation: {@code C}, {@code POSIX} and {@code binary} ones order text by code
   * point whatever the database's default.
   */
  public static OrderKey of(int column, boolean descending, Boolean nullsFirst, boolean nullsLargest,
      String collation) {
    boolean first = nullsFirst != null ? nullsFirst : descending == nullsLargest;
    String c = collation == null ? "" : collation.toLowerCase(java.util.Locale.ROOT);
    boolean codePoint = c.equals("c") || c.equals("posix") || c.equals("binary") || c.endsWith("_bin")
        || c.equals("ucs_basic");
    return new OrderKey(column, descending, first, codePoint);
  }

  /** The same key on another column. */
  public OrderKey at(int otherColumn) {
    return new OrderKey(otherColumn, descending, nullsFirst, codePointText);
  }

  /** Compares two values of this key. */
  public int compare(Object a, Object b, ValueOrder order) {
    if (a == null || b == null) {
      if (a == b) {
        return 0;
      }
      return (a == null) == nullsFirst ? -1 : 1;
    }
    int c = codePointText && a instanceof String x && b instanceof String y ? org.collegedb.internal.schema.Dialect.compareCodePoints(x, y)
        : order.compare(a, b);
    return descending ? -c : c;
  }

  /** Compares two rows of key values, key by key. */
  public static int compare(Object[] a, Object[] b, OrderKey[] keys, ValueOrder order) {
    for (int i = 0; i < keys.length; i++) {
      int c = keys[i].compare(a[i], b[i], order);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
