package org.collegedb.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * A source database with tables of several key kinds (integer, text, composite, a co-located child, a broadcast
 * table), shards for it, and checks that read every database directly.
 */
final class MigrationFixture {
  static final List<String> TABLES = List.of("countries", "orders", "pairs", "tags", "users");

  final TestShards shards;
  final Database source;
  final Properties config = new Properties();

  MigrationFixture(Backend backend, String name, int count, Path dir) throws Exception {
    this(backend, name, count, dir, null);
  }

  /** With {@code sourceUrl} (an SQLite file, say) as the source instead of the shards' reference database. */
  MigrationFixture(Backend backend, String name, int count, Path dir, String sourceUrl) throws Exception {
    shards = TestShards.create(backend, name, count);
    String user = sourceUrl == null ? user(backend) : null;
    this.sourceUrl = sourceUrl;
    source = new Database("source", sourceUrl != null ? sourceUrl : referenceUrl(), user, user == null ? null : "");
    config.putAll(shards.properties());
    config.setProperty("directory.url", "jdbc:sqlite:" + dir.resolve(name + "-directory.db"));
    config.setProperty("tables.orders.key", "user_id");
    config.setProperty("tables.countries.broadcast", "true");
  }

  static String user(Backend b) {
    return b == Backend.POSTGRES ? "postgres" : b == Backend.MARIADB ? "root" : null;
  }

  private String referenceUrl() throws SQLException {
    try (Connection c = shards.reference()) {
      return c.getMetaData().getURL().startsWith("jdbc:sqlite:") ? c.getMetaData().getURL()
          : c.getMetaData().getURL();
    }
  }

  private final String sourceUrl;

  Connection source() throws SQLException {
    return sourceUrl != null ? DriverManager.getConnection(sourceUrl) : shards.reference();
  }

  /** A fresh empty database of the shards' product, for unshard to merge into. */
  Database target(String name) throws Exception {
    TestShards t = TestShards.create(shards.backend(), name, 1);
    String user = user(shards.backend());
    return new Database("target", t.url(0), user, user == null ? null : "");
  }

  static Connection connect(Database d) throws SQLException {
    return d.user() == null ? DriverManager.getConnection(d.url()) : DriverManager.getConnection(d.url(), d.user(), "");
  }

  /** The tables of every shard, read directly (CollegeDB's own included). */
  List<String> shardTables() throws SQLException {
    List<String> all = new ArrayList<>();
    for (int s = 0; s < shards.count(); s++) {
      try (Connection c = shards.direct(s)) {
        for (SourceTable t : SchemaReader.read(c)) {
          all.add("s" + (s + 1) + "." + t.key());
        }
      }
    }
    return all;
  }

  Connection college() throws SQLException {
    return DriverManager.getConnection("jdbc:collegedb:", config);
  }

  void createSource(int users) throws SQLException {
    if (shards.backend() == Backend.SQLITE) {
      for (int i = 0; i < shards.count(); i++) {
        try (Connection c = shards.direct(i); Statement s = c.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL"); // unshard reads them while the application writes
        }
      }
    }
    try (Connection c = source(); Statement s = c.createStatement()) {
      if (shards.backend() == Backend.SQLITE || sourceUrl != null) {
        s.execute("PRAGMA journal_mode=WAL"); // readers and the writer do not block each other
      }
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, score DECIMAL(10, 2))");
      s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, total INTEGER)");
      s.execute("CREATE TABLE tags (tag VARCHAR(30) PRIMARY KEY, hits INTEGER)");
      s.execute("CREATE TABLE pairs (a INTEGER NOT NULL, b VARCHAR(20) NOT NULL, v VARCHAR(50), PRIMARY KEY (a, b))");
      s.execute("CREATE TABLE countries (code CHAR(2) PRIMARY KEY, name VARCHAR(40))");
      c.setAutoCommit(false);
      try (PreparedStatement u = c.prepareStatement("INSERT INTO users VALUES (?, ?, ?)");
           PreparedStatement o = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)");
           PreparedStatement t = c.prepareStatement("INSERT INTO tags VALUES (?, ?)");
           PreparedStatement p = c.prepareStatement("INSERT INTO pairs VALUES (?, ?, ?)")) {
        for (int i = 1; i <= users; i++) {
          u.setLong(1, i);
          u.setString(2, "user " + i);
          u.setBigDecimal(3, new java.math.BigDecimal(i % 97 + ".25"));
          u.addBatch();
          for (int j = 0; j < 3; j++) {
            o.setLong(1, i * 10L + j);
            o.setLong(2, i);
            o.setInt(3, i * j);
            o.addBatch();
          }
          t.setString(1, "tag-" + i);
          t.setInt(2, i);
          t.addBatch();
          p.setInt(1, i % 17);
          p.setString(2, "b" + i);
          p.setString(3, "v" + i);
          p.addBatch();
        }
        u.executeBatch();
        o.executeBatch();
        t.executeBatch();
        p.executeBatch();
      }
      s.execute("INSERT INTO countries VALUES ('de', 'Germany')");
      s.execute("INSERT INTO countries VALUES ('fr', 'France')");
      s.execute("INSERT INTO countries VALUES ('it', 'Italy')");
      c.commit();
    }
  }

  Connection writerConnection() throws SQLException {
    Connection c = source();
    if (shards.backend() == Backend.SQLITE || sourceUrl != null) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 30000");
      }
    }
    return c;
  }

  /** A thread writing to the source directly: inserts, updates and deletes of users, orders, tags and pairs. */
  final class Writer implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong writes = new AtomicLong();
    private final Thread thread;
    private volatile Throwable failure;

    Writer(int base) {
      this(base, false);
    }

    /** With {@code throughCollege}: the writes go through CollegeDB to the shards instead of to the source. */
    Writer(int base, boolean throughCollege) {
      thread = new Thread(() -> {
        try (Connection c = throughCollege ? college() : writerConnection();
             PreparedStatement ins = c.prepareStatement("INSERT INTO users VALUES (?, ?, ?)");
             PreparedStatement ord = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)");
             PreparedStatement upd = c.prepareStatement("UPDATE users SET name = ? WHERE id = ?");
             PreparedStatement del = c.prepareStatement("DELETE FROM orders WHERE id = ?");
             PreparedStatement tag = c.prepareStatement("UPDATE tags SET hits = hits + 1 WHERE tag = ?");
             PreparedStatement pair = c.prepareStatement("DELETE FROM pairs WHERE a = ? AND b = ?")) {
          int i = 0;
          while (!stop.get()) {
            i++;
            int id = base + i;
            ins.setLong(1, id);
            ins.setString(2, "new " + id);
            ins.setBigDecimal(3, new java.math.BigDecimal("1.50"));
            ins.executeUpdate();
            ord.setLong(1, id * 10L);
            ord.setLong(2, id);
            ord.setInt(3, i);
            ord.executeUpdate();
            upd.setString(1, "renamed " + i);
            upd.setLong(2, 1 + i % 50);
            upd.executeUpdate();
            del.setLong(1, (1 + i % 50) * 10L + 1);
            del.executeUpdate();
            tag.setString(1, "tag-" + (1 + i % 30));
            tag.executeUpdate();
            pair.setInt(1, (i + 3) % 17);
            pair.setString(2, "b" + (i + 3));
            pair.executeUpdate();
            writes.addAndGet(6);
            Thread.sleep(5);
          }
        } catch (Throwable e) {
          failure = e;
        }
      });
      thread.start();
    }

    @Override
    public void close() throws Exception {
      stop.set(true);
      thread.join();
      if (failure != null) {
        throw new AssertionError("the writer failed", failure);
      }
    }
  }

  /** Every row of a table in a database, as canonical text, keyed by its primary key's canonical text. */
  static Map<String, String> rows(Connection c, String table, int keyColumns) throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getObject(i + 1);
        }
        int[] idx = new int[keyColumns];
        for (int i = 0; i < keyColumns; i++) {
          idx[i] = i;
        }
        String key = Values.key(row, idx);
        assertThat(rows.put(key, Values.row(row))).as(table + " key " + key + " twice").isNull();
      }
    }
    return rows;
  }

  static int keyColumns(String table) {
    return table.equals("pairs") ? 2 : 1;
  }

  /**
   * Reads every shard directly: each row of a sharded table is on the shard CollegeAdmin names for its key and
   * nowhere else, each broadcast row on every shard; the union equals the source.
   */
  void assertShardsHoldSource() throws SQLException {
    try (Connection cdb = college(); Connection src = source()) {
      CollegeAdmin admin = CollegeAdmin.of(cdb);
      for (String table : TABLES) {
        Map<String, String> expected = rows(src, table, keyColumns(table));
        Map<String, String> union = new TreeMap<>();
        for (int s = 0; s < shards.count(); s++) {
          try (Connection shard = shards.direct(s)) {
            Map<String, String> on = rows(shard, table, keyColumns(table));
            if (table.equals("countries")) {
              assertThat(on).as("broadcast countries on s" + (s + 1)).isEqualTo(expected);
              union.putAll(on);
              continue;
            }
            for (Map.Entry<String, String> e : on.entrySet()) {
              assertThat(union.put(e.getKey(), e.getValue())).as(table + " " + e.getKey() + " on two shards")
                  .isNull();
            }
            checkOwners(admin, shard, table, shards.names().get(s));
          }
        }
        assertThat(union).as(table + ": the shards' rows vs the source's").isEqualTo(expected);
      }
    }
  }

  private static void checkOwners(CollegeAdmin admin, Connection shard, String table, String name)
      throws SQLException {
    String key = table.equals("orders") ? "user_id" : table.equals("users") ? "id" : table.equals("tags") ? "tag"
        : "a, b";
    List<String> wrong = new ArrayList<>();
    try (Statement s = shard.createStatement(); ResultSet rs = s.executeQuery("SELECT " + key + " FROM " + table)) {
      while (rs.next()) {
        Object[] k = table.equals("pairs") ? new Object[] {rs.getObject(1), rs.getObject(2)}
            : new Object[] {rs.getObject(1)};
        String owner = admin.shardOf(table, k);
        if (!owner.equals(name)) {
          wrong.add(table + " " + java.util.Arrays.toString(k) + " on " + name + ", owner " + owner);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** Two databases hold the same rows in every table. */
  static void assertSameRows(Connection a, Connection b) throws SQLException {
    for (String table : TABLES) {
      assertThat(rows(b, table, keyColumns(table))).as(table).isEqualTo(rows(a, table, keyColumns(table)));
    }
  }
}
