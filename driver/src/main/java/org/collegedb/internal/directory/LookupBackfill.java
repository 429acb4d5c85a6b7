package org.collegedb.internal.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import org.collegedb.SqlStates;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.internal.value.KeyHasher;

/**
 * Builds and checks the directory's lookup entries of one column against the rows the shards really hold: for rows
 * written before the column was declared a lookup key ({@link #backfill}), and to find what is missing or wrong
 * ({@link #verify}). Online: it reads each shard in key order in batches, outside any transaction of the
 * application's; rows written meanwhile through CollegeDB get their entries from the driver. An entry it writes for
 * a row deleted meanwhile is an extra entry, which the directory allows (reads re-check on the shard); it never
 * removes an entry a row needs. Run again, it writes only what is still missing.
 */
public final class LookupBackfill {
  /** What a backfill did. {@code duplicates}: values held by rows on two shards (the lookup key is not unique). */
  public record Result(long rows, long added, long repointed, List<String> duplicates) {
  }

  /** What a check found: rows whose value has no entry, or one naming another shard that lacks the row. */
  public record Check(long rows, long entries, List<String> problems) {
  }

  private static final int BATCH = 1000;

  private final ClusterView view;
  private final Directory directory;
  private final ShardConnections shards;

  public LookupBackfill(ClusterView view) {
    this.view = view;
    this.directory = view.directory();
    this.shards = view.shards();
  }

  /** Writes the missing entries of {@code table.column}; {@code progress} is told the rows read so far. */
  public Result backfill(String table, String column, LongConsumer progress) throws SQLException {
    try {
      return backfillScan(table, column, progress);
    } catch (IllegalStateException e) {
      throw cause(e);
    }
  }

  private Result backfillScan(String table, String column, LongConsumer progress) throws SQLException {
    TableRule rule = lookupRule(table, column);
    String col = column.toLowerCase(Locale.ROOT);
    long token = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    long rows = 0;
    long added = 0;
    long repointed = 0;
    List<String> duplicates = new ArrayList<>();
    for (int s = 0; s < shards.size(); s++) {
      String shard = shards.name(s);
      for (List<Object> batch : values(shards.raw(s), rule, col)) {
        rows += batch.size();
        Map<String, Object> byKey = new HashMap<>();
        List<DirectoryStore.NewLookup> entries = new ArrayList<>();
        for (Object value : batch) {
          String vkey = directory.keys().lookup(rule.name(), col, KeyHasher.canonical(rule.typeOf(col), value));
          if (byKey.putIfAbsent(vkey, value) == null) {
            entries.add(new DirectoryStore.NewLookup(rule.name(), col, vkey, shard));
          } else {
            duplicates.add(rule.name() + "." + col + " = " + value + " twice on " + shard);
          }
        }
        long now = System.currentTimeMillis();
        List<Integer> existing = directory.store().insertLookups(entries, token, now);
        added += entries.size() - existing.size();
        if (!existing.isEmpty()) {
          List<String> vkeys = existing.stream().map(i -> entries.get(i).vkey()).toList();
          Map<String, DirectoryStore.Entry> found = directory.store().lookups(rule.name(), col, vkeys);
          for (String vkey : vkeys) {
            DirectoryStore.Entry entry = found.get(vkey);
            if (entry == null || entry.shard().equals(shard)) {
              continue; // deleted meanwhile, or already right
            }
            Object value = byKey.get(vkey);
            if (holds(entry.shard(), rule, col, value)) {
              duplicates.add(rule.name() + "." + col + " = " + value + " on " + entry.shard() + " and " + shard);
            } else if (directory.store().takeOver(rule.name(), col, vkey, entry.token(), shard, token, now)) {
              repointed++; // the entry named a shard without the row
            }
          }
        }
        progress.accept(rows);
      }
    }
    directory.forgetAll();
    return new Result(rows, added, repointed, duplicates);
  }

  /** Checks every row's value of {@code table.column} against the directory. Writes nothing. */
  public Check verify(String table, String column) throws SQLException {
    try {
      return verifyScan(table, column);
    } catch (IllegalStateException e) {
      throw cause(e);
    }
  }

  private Check verifyScan(String table, String column) throws SQLException {
    TableRule rule = lookupRule(table, column);
    String col = column.toLowerCase(Locale.ROOT);
    long rows = 0;
    long entries = 0;
    List<String> problems = new ArrayList<>();
    for (int s = 0; s < shards.size(); s++) {
      String shard = shards.name(s);
      for (List<Object> batch : values(shards.raw(s), rule, col)) {
        rows += batch.size();
        Map<String, Object> byKey = new HashMap<>();
        for (Object value : batch) {
          byKey.put(directory.keys().lookup(rule.name(), col, KeyHasher.canonical(rule.typeOf(col), value)), value);
        }
        Map<String, DirectoryStore.Entry> found = directory.store().lookups(rule.name(), col,
            new ArrayList<>(byKey.keySet()));
        for (Map.Entry<String, Object> e : byKey.entrySet()) {
          DirectoryStore.Entry entry = found.get(e.getKey());
          if (entry == null) {
            problems.add(rule.name() + "." + col + " = " + e.getValue() + " on " + shard + ": no lookup entry");
          } else if (!entry.shard().equals(shard)) {
            problems.add(rule.name() + "." + col + " = " + e.getValue() + " on " + shard + ": the entry names "
                + entry.shard());
          } else {
            entries++;
          }
        }
      }
    }
    return new Check(rows, entries, problems);
  }

  private TableRule lookupRule(String table, String column) throws SQLException {
    TableRule rule = view.rule(table);
    if (!rule.sharded()) {
      throw new SQLException("table '" + table + "' is not sharded by a key", SqlStates.NOT_SUPPORTED);
    }
    if (!rule.lookup().contains(column.toLowerCase(Locale.ROOT))) {
      throw new SQLException("'" + table + "." + column + "' is not a lookup key: declare it first (tables."
          + rule.name() + ".lookup=" + column.toLowerCase(Locale.ROOT) + "), in every instance's configuration",
          SqlStates.BAD_CONFIG);
    }
    return rule;
  }

  /** The non-NULL values of {@code column} on one shard, in batches, in key order. */
  private static Iterable<List<Object>> values(Connection connection, TableRule rule, String column) {
    KeyScan rows = new KeyScan(connection, rule, List.of(column), column);
    return () -> new java.util.Iterator<>() {
      private final java.util.Iterator<List<Object[]>> it = rows.iterator();

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public List<Object> next() {
        return it.next().stream().map(row -> row[rows.keyCount()]).toList();
      }
    };
  }

  /** Whether {@code shard} holds a row with {@code column = value}. */
  private boolean holds(String shard, TableRule rule, String column, Object value) throws SQLException {
    for (int s = 0; s < shards.size(); s++) {
      if (shards.name(s).equals(shard)) {
        try (PreparedStatement ps = shards.raw(s).prepareStatement(
            "SELECT 1 FROM " + rule.name() + " WHERE " + column + " = ?")) {
          ps.setObject(1, value);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
          }
        }
      }
    }
    return false;
  }

  /**
   * The rows of a table on one shard, in batches of {@value #BATCH}, in key order (keyset pagination, so that rows
   * deleted meanwhile never make it skip others): each row's key columns, then {@code extra} columns; only rows whose
   * {@code notNull} column is not NULL when it is given.
   */
  static final class KeyScan implements Iterable<List<Object[]>> {
    private final Connection connection;
    private final TableRule rule;
    private final List<String> extra;
    private final String notNull;

    KeyScan(Connection connection, TableRule rule, List<String> extra, String notNull) {
      this.connection = connection;
      this.rule = rule;
      this.extra = extra;
      this.notNull = notNull;
    }

    int keyCount() {
      return rule.keyColumns().size();
    }

    @Override
    public java.util.Iterator<List<Object[]>> iterator() {
      return new java.util.Iterator<>() {
        private Object[] last;
        private boolean done;
        private List<Object[]> next = read();

        private List<Object[]> read() {
          if (done) {
            return List.of();
          }
          List<String> keys = rule.keyColumns();
          List<String> all = new ArrayList<>(keys);
          all.addAll(extra);
          StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", all)).append(" FROM ")
              .append(rule.name());
          List<String> conditions = new ArrayList<>();
          if (notNull != null) {
            conditions.add(notNull + " IS NOT NULL");
          }
          if (last != null) {
            conditions.add("(" + String.join(", ", keys) + ") > (" + "?, ".repeat(keys.size() - 1) + "?)");
          }
          if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
          }
          sql.append(" ORDER BY ").append(String.join(", ", keys)).append(" LIMIT ").append(BATCH);
          List<Object[]> rows = new ArrayList<>();
          try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            if (last != null) {
              for (int i = 0; i < last.length; i++) {
                ps.setObject(i + 1, last[i]);
              }
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Object[] row = new Object[all.size()];
                for (int i = 0; i < row.length; i++) {
                  row[i] = rs.getObject(i + 1);
                }
                last = java.util.Arrays.copyOf(row, keys.size());
                rows.add(row);
              }
            }
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
          done = rows.size() < BATCH;
          return rows;
        }

        @Override
        public boolean hasNext() {
          return !next.isEmpty();
        }

        @Override
        public List<Object[]> next() {
          List<Object[]> out = next;
          next = read();
          return out;
        }
      };
    }
  }

  /** Unwraps a scan's failure. */
  static SQLException cause(IllegalStateException e) {
    return e.getCause() instanceof SQLException s ? s : new SQLException(e.getMessage(), SqlStates.GENERAL, e);
  }
}
