package org.collegedb.differential;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.collegedb.testing.TestShards;

/**
 * The differential schema, loaded identically into one unsharded reference database and into CollegeDB over N
 * shards: {@code accounts} sharded by {@code id}, {@code entries} co-located with it by {@code account_id}, and the
 * broadcast table {@code kinds}, and {@code notes} sharded by the nullable column {@code owner} (a quarter of its
 * rows have a NULL key, which CollegeDB places on one fixed shard). One fixture per backend and shard count, built
 * once per JVM.
 */
final class Fixture {
  static final int ACCOUNTS = 240;
  static final int ENTRIES = 600;
  static final int NOTES = 120;
  static final String[] GROUPS = {"g0", "g1", "G2", "g3", "b", "A"};
  static final String[] LABELS = {"alpha", "Beta", "gamma", "Delta", " x", "é", "zeta", "Alpha", "beta", "10", "9",
      "a b"};
  private static final Map<String, Fixture> FIXTURES = new ConcurrentHashMap<>();

  final TestShards shards;
  final Connection sharded;
  final Connection reference;

  private Fixture(TestShards shards, Connection sharded, Connection reference) {
    this.shards = shards;
    this.sharded = sharded;
    this.reference = reference;
  }

  static Fixture of(TestShards.Backend backend, int shardCount) {
    return FIXTURES.computeIfAbsent(backend + "/" + shardCount, k -> {
      try {
        return create(backend, shardCount);
      } catch (Exception e) {
        throw new IllegalStateException("cannot build the " + k + " fixture: " + e.getMessage(), e);
      }
    });
  }

  private static Fixture create(TestShards.Backend backend, int count) throws Exception {
    TestShards shards = TestShards.create(backend, "diff" + count, count);
    Connection sharded = shards.connect("tables.entries.key", "account_id", "tables.kinds.broadcast", "true",
        "tables.notes.key", "owner");
    Connection reference = shards.reference();
    for (Connection c : List.of(sharded, reference)) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, grp VARCHAR(10), n INTEGER, amt DECIMAL(12,2), "
            + "label VARCHAR(20))");
        s.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, qty INTEGER, "
            + "note VARCHAR(20))");
        s.execute("CREATE TABLE kinds (code VARCHAR(10) PRIMARY KEY, title VARCHAR(20))");
        s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, owner INTEGER, score INTEGER, body VARCHAR(20))");
      }
    }
    Random random = new Random(20261122L);
    List<Object[]> accounts = new ArrayList<>();
    for (int i = 1; i <= ACCOUNTS; i++) {
      accounts.add(new Object[] {i, random.nextInt(8) == 0 ? null : GROUPS[random.nextInt(GROUPS.length)],
          random.nextInt(6) == 0 ? null : random.nextInt(200) - 50,
          random.nextInt(7) == 0 ? null : BigDecimal.valueOf(random.nextInt(2_000_000) - 500_000, 2),
          LABELS[random.nextInt(LABELS.length)]});
    }
    List<Object[]> entries = new ArrayList<>();
    for (int i = 1; i <= ENTRIES; i++) {
      entries.add(new Object[] {i, 1 + random.nextInt(ACCOUNTS), random.nextInt(5) == 0 ? null : random.nextInt(40),
          "n" + random.nextInt(30)});
    }
    List<Object[]> kinds = new ArrayList<>();
    for (int i = 0; i < GROUPS.length - 1; i++) {
      kinds.add(new Object[] {GROUPS[i], "Kind " + GROUPS[i].toUpperCase()});
    }
    List<Object[]> notes = new ArrayList<>();
    for (int i = 1; i <= NOTES; i++) {
      notes.add(new Object[] {i, random.nextInt(4) == 0 ? null : 1 + random.nextInt(ACCOUNTS),
          random.nextInt(6) == 0 ? null : random.nextInt(50), LABELS[random.nextInt(LABELS.length)]});
    }
    for (Connection c : List.of(sharded, reference)) {
      c.setAutoCommit(false); // one transaction: SQLite syncs its files once, not once per row
      load(c, "INSERT INTO accounts (id, grp, n, amt, label) VALUES (?, ?, ?, ?, ?)", accounts);
      load(c, "INSERT INTO entries (id, account_id, qty, note) VALUES (?, ?, ?, ?)", entries);
      load(c, "INSERT INTO kinds (code, title) VALUES (?, ?)", kinds);
      loadNotes(c, notes);
      c.commit();
      c.setAutoCommit(true);
    }
    return new Fixture(shards, sharded, reference);
  }

  /** The notes, with NULL keys bound by {@code setNull} (a typed NULL every driver accepts). */
  private static void loadNotes(Connection c, List<Object[]> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, owner, score, body) VALUES (?, ?, ?, ?)")) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          if (row[i] == null) {
            ps.setNull(i + 1, java.sql.Types.INTEGER);
          } else {
            ps.setObject(i + 1, row[i]);
          }
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void load(Connection c, String sql, List<Object[]> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          ps.setObject(i + 1, row[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
