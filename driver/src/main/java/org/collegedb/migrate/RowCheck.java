package org.collegedb.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Row-by-row comparison of one table between where its rows come from (one database, or every shard) and where
 * they went (every shard, or one database): every row present exactly once where it belongs, with the same values
 * (compared as {@link Values#canonical canonical text}), and no row that has no origin. Keys that differ are kept,
 * so that they can be checked again after a catch-up while the origin is still being written.
 */
final class RowCheck {
  /** A database rows are read from, by name. */
  record Place(String name, Connection connection) {
  }

  /** Where a row belongs: one place's name, or null: exactly one place, any. */
  interface Owner {
    String of(Object[] row) throws SQLException;
  }

  private static final int BATCH = 5000;
  private static final int MAX_PROBLEMS = 1000;

  /** What a check found. {@code differing}: keys of rows that differ, for a check again. */
  record Result(long rows, List<String> problems, List<Object[]> differing) {
  }

  private RowCheck() {
  }

  /** Compares every row; {@code keys} null for every row of the table, else only the rows of these keys. */
  static Result check(SourceTable t, List<Place> origins, List<Place> places, Owner owner, boolean everywhere,
      List<Object[]> keys, Progress progress) throws SQLException {
    try {
      return compare(t, origins, places, owner, everywhere, keys, progress);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof SQLException s) {
        throw s;
      }
      throw e;
    }
  }

  private static Result compare(SourceTable t, List<Place> origins, List<Place> places, Owner owner,
      boolean everywhere, List<Object[]> keys, Progress progress) throws SQLException {
    int[] keyIdx = t.keyIndexes();
    Map<String, String> want = new HashMap<>();
    Map<String, Object[]> wantKey = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Map<String, Object[]> differing = new LinkedHashMap<>();
    long rows = 0;
    for (Place o : origins) {
      for (List<Object[]> batch : rows(o.connection(), t, keys)) {
        for (Object[] row : batch) {
          rows++;
          String k = Values.key(row, keyIdx);
          Object[] key = keyOf(row, keyIdx);
          if (want.put(k, Values.row(row)) != null) {
            note(problems, t.key() + " " + Values.show(row, keyIdx) + ": on more than one of "
                + names(origins) + " at the origin");
            differing.put(k, key);
          }
          wantKey.put(k, key);
        }
        progress.advance(batch.size());
      }
    }
    Map<String, List<String>> seen = new HashMap<>();
    for (Place p : places) {
      for (List<Object[]> batch : rows(p.connection(), t, keys)) {
        for (Object[] row : batch) {
          String k = Values.key(row, keyIdx);
          String where = Values.show(row, keyIdx);
          seen.computeIfAbsent(k, x -> new ArrayList<>()).add(p.name());
          String expected = want.get(k);
          if (expected == null) {
            note(problems, t.key() + " " + where + ": on " + p.name() + " but not at the origin");
            differing.put(k, keyOf(row, keyIdx));
            continue;
          }
          if (!expected.equals(Values.row(row))) {
            note(problems, t.key() + " " + where + ": on " + p.name() + " with other values than at the origin");
            differing.put(k, keyOf(row, keyIdx));
          }
          String belongs = everywhere ? null : owner.of(row);
          if (belongs != null && !belongs.equals(p.name())) {
            note(problems, t.key() + " " + where + ": on " + p.name() + ", but its key belongs on " + belongs);
            differing.put(k, keyOf(row, keyIdx));
          }
        }
      }
    }
    for (Map.Entry<String, Object[]> e : wantKey.entrySet()) {
      List<String> at = seen.getOrDefault(e.getKey(), List.of());
      Object[] key = e.getValue();
      int[] all = new int[key.length];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      boolean every = everywhere && places.size() > 1;
      int expected = every ? places.size() : 1;
      if (at.size() != expected) {
        note(problems, t.key() + " " + Values.show(key, all) + ": " + (at.isEmpty() ? "missing"
            : "on " + at.size() + " place(s) " + at + ", expected " + (every ? "every shard" : "exactly one")));
        differing.put(e.getKey(), key);
      }
    }
    return new Result(rows, problems, new ArrayList<>(differing.values()));
  }

  private static Object[] keyOf(Object[] row, int[] keyIdx) {
    Object[] key = new Object[keyIdx.length];
    for (int i = 0; i < keyIdx.length; i++) {
      key[i] = row[keyIdx[i]];
    }
    return key;
  }

  private static void note(List<String> problems, String p) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(p);
    }
  }

  private static List<String> names(List<Place> places) {
    return places.stream().map(Place::name).toList();
  }

  /** The table's rows in key order, in batches: all of them, or those of {@code keys}. */
  private static Iterable<List<Object[]>> rows(Connection c, SourceTable t, List<Object[]> keys) throws SQLException {
    List<List<Object[]>> out = new ArrayList<>();
    if (keys != null) {
      List<String> eq = new ArrayList<>();
      for (String k : t.primaryKey()) {
        eq.add(k + " = ?");
      }
      List<Object[]> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + String.join(", ", t.columnNames()) + " FROM "
          + t.name() + " WHERE " + String.join(" AND ", eq))) {
        for (Object[] key : keys) {
          for (int i = 0; i < key.length; i++) {
            ps.setObject(i + 1, key[i]);
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Object[] row = new Object[t.columns().size()];
              for (int i = 0; i < row.length; i++) {
                row[i] = RowCopy.value(rs, i + 1, t.columns().get(i));
              }
              rows.add(row);
            }
          }
        }
      }
      out.add(rows);
      return out;
    }
    return () -> new java.util.Iterator<>() {
      private Object[] last;
      private List<Object[]> next = read();

      private List<Object[]> read() {
        if (last == null && next != null && next.isEmpty()) {
          return List.of();
        }
        try {
          List<Object[]> rows = RowCopy.read(c, t, last, BATCH);
          if (!rows.isEmpty()) {
            last = keyOf(rows.get(rows.size() - 1), t.keyIndexes());
          }
          return rows;
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public boolean hasNext() {
        return !next.isEmpty();
      }

      @Override
      public List<Object[]> next() {
        List<Object[]> out = next;
        next = out.size() < BATCH ? List.of() : read();
        return out;
      }
    };
  }
}
