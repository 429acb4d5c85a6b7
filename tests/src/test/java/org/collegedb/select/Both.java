package org.collegedb.select;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * One shard set (4 shards) plus its unsharded reference database per backend, with helpers that run
 * a statement on both.
 */
final class Both {
  /** One shard set per backend, shared by the test classes of this package (each makes its own tables). */
  private static final Map<Backend, TestShards> SETS = new EnumMap<>(Backend.class);

  final TestShards shards;
  final Connection sharded;
  final Connection reference;

  private Both(TestShards shards, Connection sharded, Connection reference) {
    this.shards = shards;
    this.sharded = sharded;
    this.reference = reference;
  }

  /** Fresh tables {@code ddl} on the shards of {@code owner} on {@code backend} and on its reference database. */
  static synchronized Both open(Backend backend, Class<?> owner, List<String> tables, List<String> ddl,
      String... settings) throws Exception {
    TestShards shards = SETS.get(backend);
    if (shards == null) {
      shards = TestShards.create(backend, "select", 4);
      SETS.put(backend, shards);
    }
    Connection sharded = shards.connect(settings);
    Connection reference = shards.reference();
    for (Connection c : List.of(sharded, reference)) {
      try (Statement s = c.createStatement()) {
        for (String t : tables) {
          s.execute("DROP TABLE IF EXISTS " + t);
        }
        for (String d : ddl) {
          s.execute(d);
        }
      }
    }
    return new Both(shards, sharded, reference);
  }

  private final List<Connection> directs = new ArrayList<>();

  void close() throws SQLException {
    try {
      sharded.close();
      for (Connection d : directs) {
        d.close();
      }
    } finally {
      reference.close();
    }
  }

  /** A direct connection to a shard (0-based), kept until {@link #close}. */
  Connection direct(int shard) throws SQLException {
    while (directs.size() < shards.count()) {
      directs.add(shards.direct(directs.size()));
    }
    return directs.get(shard);
  }

  /** Runs a statement on both (the writes of a test's data). */
  void execute(String sql) throws SQLException {
    for (Connection c : List.of(sharded, reference)) {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }

  /** The rows of a query as the driver gives them (no normalisation of number types). */
  static List<List<Object>> rawRows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          row.add(v instanceof Number n && !(v instanceof java.math.BigDecimal) ? (Object) n.longValue() : v);
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** The rows of a query on the reference database, as a sorted multiset. */
  List<List<Object>> expected(String sql) throws SQLException {
    return sorted(rows(reference, sql));
  }

  /** The rows of a query through CollegeDB, as a sorted multiset. */
  List<List<Object>> actual(String sql) throws SQLException {
    return sorted(rows(sharded, sql));
  }

  static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }

  /** The shards the last statement through CollegeDB ran on. */
  List<String> lastShards() throws SQLException {
    return sharded.unwrap(org.collegedb.jdbc.CollegeConnection.class).lastExecution().shards();
  }

  /** The shard (0-based) that holds the row {@code where} of {@code table}, read from each shard directly. */
  int shardHolding(String table, String where) throws SQLException {
    int found = -1;
    for (int i = 0; i < shards.count(); i++) {
      try (Statement s = direct(i).createStatement();
           ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
        rs.next();
        if (rs.getLong(1) > 0) {
          if (found >= 0) {
            throw new AssertionError(table + " WHERE " + where + " is on shards " + found + " and " + i);
          }
          found = i;
        }
      }
    }
    return found;
  }
}
