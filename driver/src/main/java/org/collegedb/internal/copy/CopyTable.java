package org.collegedb.internal.copy;

import java.util.List;
import java.util.Map;

/**
 * A table as a row copy sees it: the name it is read from (as the database spells it) and written to, its columns
 * in order (lower case), its primary key (the copy order and the key of deletes) and, where known, each column's
 * JDBC type (binary read as bytes, CLOB as text; null: as the driver gives it).
 */
public record CopyTable(String readName, String writeName, List<String> columns, List<String> primaryKey,
    int[] types) {

  public static CopyTable of(String name, List<String> columns, List<String> primaryKey) {
    return new CopyTable(name, name, List.copyOf(columns), List.copyOf(primaryKey), null);
  }

  public String columnList() {
    return String.join(", ", columns);
  }

  public String keyList() {
    return String.join(", ", primaryKey);
  }

  /** {@code pk1 = ? AND pk2 = ?}. */
  public String keyMatch() {
    StringBuilder b = new StringBuilder();
    for (String k : primaryKey) {
      b.append(b.length() > 0 ? " AND " : "").append(k).append(" = ?");
    }
    return b.toString();
  }

  /** {@code pk > ?} or {@code (pk1, pk2) > (?, ?)}. */
  public String keyAfter() {
    if (primaryKey.size() == 1) {
      return primaryKey.get(0) + " > ?";
    }
    return "(" + keyList() + ") > (" + "?, ".repeat(primaryKey.size() - 1) + "?)";
  }

  /** {@code pk <= ?} or {@code (pk1, pk2) <= (?, ?)}. */
  public String keyUpTo() {
    if (primaryKey.size() == 1) {
      return primaryKey.get(0) + " <= ?";
    }
    return "(" + keyList() + ") <= (" + "?, ".repeat(primaryKey.size() - 1) + "?)";
  }

  /** {@code pk1 DESC, pk2 DESC}. */
  public String keyListDescending() {
    return String.join(" DESC, ", primaryKey) + " DESC";
  }

  public String insertSql() {
    return "INSERT INTO " + writeName + " (" + columnList() + ") VALUES (" + "?, ".repeat(columns.size() - 1)
        + "?)";
  }

  public String deleteSql() {
    return "DELETE FROM " + writeName + " WHERE " + keyMatch();
  }

  /** The positions of the primary-key columns among the columns. */
  public int[] keyIndexes() {
    int[] idx = new int[primaryKey.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = columns.indexOf(primaryKey.get(i));
    }
    return idx;
  }

  /** A row's primary-key values. */
  public Object[] keyOf(Object[] row) {
    int[] idx = keyIndexes();
    Object[] k = new Object[idx.length];
    for (int i = 0; i < k.length; i++) {
      k[i] = row[idx[i]];
    }
    return k;
  }

  /** A row given by column name (lower case) as values in column order. */
  public Object[] values(Map<String, Object> row) {
    Object[] v = new Object[columns.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = row.get(columns.get(i));
    }
    return v;
  }
}
