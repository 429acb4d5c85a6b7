package org.collegedb.internal.directory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import org.collegedb.SqlStates;
import org.collegedb.internal.schema.CreateIfMissing;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.execute.BackendDrivers;

/**
 * The directory database: an ordinary database (an embedded SQLite or H2 file, or a server every instance reaches)
 * holding, in tables it creates on first use, the lookup entries, the placements of keys and the counters (generated
 * keys, round-robin). Every operation is one short transaction of its own, committed before it returns: the
 * directory never takes part in the shards' transactions.
 *
 * <p>Schema version {@value #SCHEMA_VERSION}: {@code collegedb_dir_meta(meta_name, meta_value)} (schema version, key
 * mode, secret fingerprint), {@code collegedb_dir_lookup(tbl, col, vkey, shard, token, created)},
 * {@code collegedb_dir_placement(grp, vkey, shard, created)}, {@code collegedb_dir_counter(counter_name,
 * counter_value)}.
 */
final class DirectoryStore {
  static final int SCHEMA_VERSION = 1;
  static final String META = "collegedb_dir_meta";
  static final String LOOKUP = "collegedb_dir_lookup";
  static final String PLACEMENT = "collegedb_dir_placement";
  static final String COUNTER = "collegedb_dir_counter";

  enum Dialect { SQLITE, H2, POSTGRES, MYSQL, OTHER }

  /** A lookup entry: the shard of the row, the token of the write that made it, when (epoch ms). */
  record Entry(String shard, long token, long created) {
  }

  private final ShardSpec spec;
  private final Dialect dialect;
  private final DirectoryKeys keys;
  private final BlockingQueue<Connection> idle;
  private final Semaphore permits;
  private volatile boolean ready;
  private volatile Work<Void> onFirstOpen;

  /** Work to do with the directory's connection when it is first opened (before any other use). */
  void onFirstOpen(Work<Void> work) {
    this.onFirstOpen = work;
  }

  /** Whether this store has opened its database (and checked the shards' binding). */
  boolean ready() {
    return ready;
  }

  /** Opens the directory (running the first-open checks) unless it is open already. */
  void ensureOpen() throws SQLException {
    if (!ready) {
      read(c -> null);
    }
  }

  DirectoryStore(String url, String user, String password, DirectoryKeys keys) {
    this.dialect = dialectOf(url);
    Properties p = new Properties();
    if (dialect == Dialect.SQLITE) {
      p.setProperty("busy_timeout", "60000");
      p.setProperty("transaction_mode", "IMMEDIATE"); // take the write lock at BEGIN: no upgrade deadlocks
    }
    this.spec = new ShardSpec("directory", url, user, password, p, null, 0);
    this.keys = keys;
    int size = dialect == Dialect.SQLITE ? 1 : 8;
    this.idle = new ArrayBlockingQueue<>(size);
    this.permits = new Semaphore(size, true);
  }

  static Dialect dialectOf(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:sqlite:")) {
      return Dialect.SQLITE;
    }
    if (u.startsWith("jdbc:h2:")) {
      return Dialect.H2;
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return Dialect.POSTGRES;
    }
    if (u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:")) {
      return Dialect.MYSQL;
    }
    return Dialect.OTHER;
  }

  String url() {
    return spec.url();
  }

  /** Work on the directory inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction of its own and commits it. When a pooled connection turns out broken (the
   * directory server restarted), the work runs once more on a new connection: every operation here can be repeated.
   */
  <T> T transaction(Work<T> work) throws SQLException {
    return withRetry(work, true);
  }

  /** Runs a read of one statement in auto-commit mode: no transaction, no write lock. */
  <T> T read(Work<T> work) throws SQLException {
    return withRetry(work, false);
  }

  private <T> T withRetry(Work<T> work, boolean transaction) throws SQLException {
    boolean pooled = !idle.isEmpty();
    try {
      return attempt(work, transaction);
    } catch (SQLException e) {
      if (!pooled || !(e.getCause() instanceof SQLException cause) || !isConnectionError(cause)) {
        throw e;
      }
      return attempt(work, transaction);
    }
  }

  private static boolean isConnectionError(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("08")
        || e instanceof java.sql.SQLRecoverableException || e instanceof java.sql.SQLNonTransientConnectionException;
  }

  private <T> T attempt(Work<T> work, boolean transaction) throws SQLException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the directory", SqlStates.GENERAL, e);
    }
    Connection c = null;
    boolean broken = false;
    try {
      c = idle.poll();
      if (c == null) {
        c = open();
      }
      if (!transaction) {
        return work.run(c);
      }
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        if (dialect == Dialect.SQLITE) {
          c.setAutoCommit(true); // commits; commit() would open the next transaction (and take the lock) at once
        } else {
          c.commit();
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          broken = true;
          e.addSuppressed(r);
        }
        throw e;
      }
    } catch (SQLException e) {
      if (c != null && !broken && isBroken(c)) {
        broken = true;
      }
      throw directoryError(e);
    } finally {
      if (c != null && !broken) {
        try {
          c.setAutoCommit(true); // an idle SQLite connection must hold no transaction (and so no lock)
        } catch (SQLException e) {
          broken = true;
        }
      }
      if (c != null) {
        if (broken || !idle.offer(c)) {
          closeQuietly(c);
        }
      }
      permits.release();
    }
  }

  private static boolean isBroken(Connection c) {
    try {
      return c.isClosed() || !c.isValid(2);
    } catch (SQLException e) {
      return true;
    }
  }

  private SQLException directoryError(SQLException e) {
    if (e.getMessage() != null && e.getMessage().startsWith("directory")) {
      return e;
    }
    return new SQLException("directory (" + spec.url() + "): " + e.getMessage(), e.getSQLState(), e.getErrorCode(),
        e);
  }

  private Connection open() throws SQLException {
    if (dialect == Dialect.SQLITE) {
      String file = spec.url().substring("jdbc:sqlite:".length());
      if (!file.isEmpty() && !file.startsWith(":memory:") && !file.startsWith("file:")) {
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
          if (parent != null) {
            Files.createDirectories(parent);
          }
        } catch (java.io.IOException e) {
          throw new SQLException("directory: cannot create " + parent + ": " + e.getMessage(),
              SqlStates.CONNECTION_FAILED, e);
        }
      }
    }
    Connection c;
    try {
      c = BackendDrivers.connect(spec);
    } catch (SQLException e) {
      throw new SQLException("cannot open the directory database " + spec.url() + ": " + e.getMessage(),
          SqlStates.CONNECTION_FAILED, e);
    }
    if (!ready) {
      try {
        createSchema(c);
      } catch (SQLException | RuntimeException e) {
        closeQuietly(c);
        throw e;
      }
    }
    return c;
  }

  /** Creates the tables (if absent) and checks the schema version and key mode; another instance may race us. */
  private synchronized void createSchema(Connection c) throws SQLException {
    if (ready) {
      return;
    }
    String[] ddl = {
        "CREATE TABLE IF NOT EXISTS " + META + " (meta_name VARCHAR(64) NOT NULL PRIMARY KEY, "
            + "meta_value VARCHAR(255) NOT NULL)",
        "CREATE TABLE IF NOT EXISTS " + LOOKUP + " (tbl VARCHAR(100) NOT NULL, col VARCHAR(100) NOT NULL, "
            + "vkey VARCHAR(512) NOT NULL, shard VARCHAR(255) NOT NULL, token BIGINT NOT NULL, created BIGINT NOT NULL, "
            + "PRIMARY KEY (tbl, col, vkey))",
        "CREATE TABLE IF NOT EXISTS " + PLACEMENT + " (grp VARCHAR(100) NOT NULL, vkey VARCHAR(512) NOT NULL, "
            + "shard VARCHAR(255) NOT NULL, created BIGINT NOT NULL, PRIMARY KEY (grp, vkey))",
        "CREATE TABLE IF NOT EXISTS " + COUNTER + " (counter_name VARCHAR(255) NOT NULL PRIMARY KEY, "
            + "counter_value BIGINT NOT NULL)"};
    c.setAutoCommit(true);
    for (String sql : ddl) {
      for (int attempt = 0; ; attempt++) {
        try {
          // PostgreSQL's race with another instance creating the table is ignored at once (it exists then); any other
          // failure (SQLite's lock held by another process past the busy timeout, ...) is tried again, up to 3 times
          CreateIfMissing.run(c, sql);
          break;
        } catch (SQLException e) {
          if (attempt >= 3) {
            throw e;
          }
          pause(50L * (attempt + 1));
        }
      }
    }
    Map<String, String> wanted = new HashMap<>();
    wanted.put("schema_version", Integer.toString(SCHEMA_VERSION));
    wanted.put("key_mode", keys.mode());
    wanted.put("key_check", keys.check());
    c.setAutoCommit(false);
    try {
      for (Map.Entry<String, String> w : wanted.entrySet()) {
        insertIfAbsent(c, META, new String[] {"meta_name", "meta_value"}, new Object[] {w.getKey(), w.getValue()});
      }
      Map<String, String> found = new HashMap<>();
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT meta_name, meta_value FROM " + META)) {
        while (rs.next()) {
          found.put(rs.getString(1), rs.getString(2));
        }
      }
      c.commit();
      if (!Integer.toString(SCHEMA_VERSION).equals(found.get("schema_version"))) {
        throw new SQLException("the directory " + spec.url() + " has schema version " + found.get("schema_version")
            + "; this driver knows version " + SCHEMA_VERSION, SqlStates.BAD_CONFIG);
      }
      if (!keys.mode().equals(found.get("key_mode")) || !keys.check().equals(found.get("key_check"))) {
        throw new SQLException("the directory " + spec.url() + " was written with other key settings (key mode '"
            + found.get("key_mode") + "', this configuration: '" + keys.mode() + "'"
            + (keys.mode().equals(found.get("key_mode")) ? ", and another directory.secret" : "")
            + "). Every instance sharing a directory needs the same directory.secret and directory.hashKeys",
            SqlStates.BAD_CONFIG);
      }
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
    if (onFirstOpen != null) {
      onFirstOpen.run(c); // the shards' binding to this directory
    }
    ready = true;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Inserts a row unless its primary key exists; says whether it inserted. Never aborts the transaction. */
  boolean insertIfAbsent(Connection c, String table, String[] columns, Object[] values) throws SQLException {
    String cols = String.join(", ", columns);
    String marks = "?" + ", ?".repeat(columns.length - 1);
    String sql = switch (dialect) {
      case SQLITE -> "INSERT OR IGNORE INTO " + table + " (" + cols + ") VALUES (" + marks + ")";
      case POSTGRES -> "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT DO NOTHING";
      case MYSQL -> "INSERT IGNORE INTO " + table + " (" + cols + ") VALUES (" + marks + ")";
      default -> "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")";
    };
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if ((dialect == Dialect.H2 || dialect == Dialect.OTHER) && e.getSQLState() != null
          && e.getSQLState().startsWith("23")) {
        return false;
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- lookup entries

  /** The entries of {@code table.column} for these keys, by key. */
  Map<String, Entry> lookups(String table, String column, List<String> vkeys) throws SQLException {
    if (vkeys.isEmpty()) {
      return Map.of();
    }
    return read(c -> {
      Map<String, Entry> out = new HashMap<>();
      for (int from = 0; from < vkeys.size(); from += 200) {
        List<String> part = vkeys.subList(from, Math.min(vkeys.size(), from + 200));
        try (PreparedStatement ps = c.prepareStatement("SELECT vkey, shard, token, created FROM " + LOOKUP
            + " WHERE tbl = ? AND col = ? AND vkey IN (?" + ", ?".repeat(part.size() - 1) + ")")) {
          ps.setString(1, table);
          ps.setString(2, column);
          for (int i = 0; i < part.size(); i++) {
            ps.setString(3 + i, part.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), new Entry(rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
          }
        }
      }
      return out;
    });
  }

  /** A lookup entry to write. */
  record NewLookup(String table, String column, String vkey, String shard) {
  }

  /**
   * Writes the entries that do not exist yet, all with {@code token}, in one transaction; returns the positions of
   * those that existed (written by others: the caller decides whether they are alive).
   */
  List<Integer> insertLookups(List<NewLookup> entries, long token, long now) throws SQLException {
    return transaction(c -> {
      List<Integer> conflicts = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        NewLookup e = entries.get(i);
        if (!insertIfAbsent(c, LOOKUP, new String[] {"tbl", "col", "vkey", "shard", "token", "created"},
            new Object[] {e.table(), e.column(), e.vkey(), e.shard(), token, now})) {
          conflicts.add(i);
        }
      }
      return conflicts;
    });
  }

  /** Re-points an entry, if it is still the one with {@code oldToken}; says whether it did. */
  boolean takeOver(String table, String column, String vkey, long oldToken, String shard, long token, long now)
      throws SQLException {
    return transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + LOOKUP + " SET shard = ?, token = ?, created = ? "
          + "WHERE tbl = ? AND col = ? AND vkey = ? AND token = ?")) {
        ps.setString(1, shard);
        ps.setLong(2, token);
        ps.setLong(3, now);
        ps.setString(4, table);
        ps.setString(5, column);
        ps.setString(6, vkey);
        ps.setLong(7, oldToken);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** An entry to delete if it still carries {@code token}. */
  record StaleLookup(String table, String column, String vkey, long token) {
  }

  /** Deletes the entries that still carry their token (a later write's entry is left alone). */
  void deleteLookups(List<StaleLookup> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + LOOKUP
          + " WHERE tbl = ? AND col = ? AND vkey = ? AND token = ?")) {
        for (StaleLookup e : entries) {
          ps.setString(1, e.table());
          ps.setString(2, e.column());
          ps.setString(3, e.vkey());
          ps.setLong(4, e.token());
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  /** Points an entry at {@code shard}, creating it if absent (admin moves). */
  void pointLookup(String table, String column, String vkey, String shard, long token, long now) throws SQLException {
    transaction(c -> {
      if (!insertIfAbsent(c, LOOKUP, new String[] {"tbl", "col", "vkey", "shard", "token", "created"},
          new Object[] {table, column, vkey, shard, token, now})) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + LOOKUP + " SET shard = ? "
            + "WHERE tbl = ? AND col = ? AND vkey = ?")) {
          ps.setString(1, shard);
          ps.setString(2, table);
          ps.setString(3, column);
          ps.setString(4, vkey);
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  // ---------------------------------------------------------------- placements

  /** The shard a key was placed on, or null. */
  String placement(String group, String vkey) throws SQLException {
    return read(c -> placementIn(c, group, vkey));
  }

  private static String placementIn(Connection c, String group, String vkey) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT shard FROM " + PLACEMENT + " WHERE grp = ? AND vkey = ?")) {
      ps.setString(1, group);
      ps.setString(2, vkey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Places a key on {@code shard} unless it is placed already; returns where it is placed. */
  String placeIfAbsent(String group, String vkey, String shard, long now) throws SQLException {
    return transaction(c -> {
      if (insertIfAbsent(c, PLACEMENT, new String[] {"grp", "vkey", "shard", "created"},
          new Object[] {group, vkey, shard, now})) {
        return shard;
      }
      String placed = placementIn(c, group, vkey);
      if (placed == null) {
        throw new SQLException("directory: placement of a key vanished while placing it", SqlStates.GENERAL);
      }
      return placed;
    });
  }

  /** Points a key at {@code shard}, whatever it pointed at (admin). */
  void setPlacement(String group, String vkey, String shard, long now) throws SQLException {
    transaction(c -> {
      if (!insertIfAbsent(c, PLACEMENT, new String[] {"grp", "vkey", "shard", "created"},
          new Object[] {group, vkey, shard, now})) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + PLACEMENT + " SET shard = ? "
            + "WHERE grp = ? AND vkey = ?")) {
          ps.setString(1, shard);
          ps.setString(2, group);
          ps.setString(3, vkey);
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  /** Deletes one placement (group and key given) or every placement (both null); returns how many. */
  int deletePlacements(String group, String vkey) throws SQLException {
    return transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + PLACEMENT
          + (group == null ? "" : " WHERE grp = ? AND vkey = ?"))) {
        if (group != null) {
          ps.setString(1, group);
          ps.setString(2, vkey);
        }
        return ps.executeUpdate();
      }
    });
  }

  /** Every placement of one group, key to shard (one query). */
  Map<String, String> placements(String group) throws SQLException {
    return placements(group, Integer.MAX_VALUE);
  }

  /** Every placement of one group, key to shard (one query), or null when there are more than {@code most}. */
  Map<String, String> placements(String group, int most) throws SQLException {
    return read(c -> {
      Map<String, String> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT vkey, shard FROM " + PLACEMENT + " WHERE grp = ?")) {
        ps.setString(1, group);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (out.size() == most) {
              return null; // too many to hold: the caller asks key by key
            }
            out.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      return out;
    });
  }

  /** The placements of these keys of one group, by key (keys without one are absent). */
  Map<String, String> placements(String group, List<String> vkeys) throws SQLException {
    if (vkeys.isEmpty()) {
      return Map.of();
    }
    return read(c -> {
      Map<String, String> out = new HashMap<>();
      for (int from = 0; from < vkeys.size(); from += 200) {
        List<String> part = vkeys.subList(from, Math.min(vkeys.size(), from + 200));
        try (PreparedStatement ps = c.prepareStatement("SELECT vkey, shard FROM " + PLACEMENT
            + " WHERE grp = ? AND vkey IN (?" + ", ?".repeat(part.size() - 1) + ")")) {
          ps.setString(1, group);
          for (int i = 0; i < part.size(); i++) {
            ps.setString(2 + i, part.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), rs.getString(2));
            }
          }
        }
      }
      return out;
    });
  }

  /** A lookup entry ({@code column} non-null) or a placement ({@code table} = group, {@code column} null) to move. */
  record Repoint(String table, String column, String vkey, String from, String to) {
  }

  /**
   * In one transaction: points each entry or placement that names {@code from} at {@code to} (one that names
   * another shard, or is absent, is left alone; the token of an entry is kept, so that the write that owns it can
   * still delete it). Returns how many changed.
   */
  int repoint(List<Repoint> moves) throws SQLException {
    if (moves.isEmpty()) {
      return 0;
    }
    return transaction(c -> {
      int n = 0;
      try (PreparedStatement lookup = c.prepareStatement("UPDATE " + LOOKUP + " SET shard = ? "
          + "WHERE tbl = ? AND col = ? AND vkey = ? AND shard = ?");
           PreparedStatement placement = c.prepareStatement("UPDATE " + PLACEMENT + " SET shard = ? "
               + "WHERE grp = ? AND vkey = ? AND shard = ?")) {
        for (Repoint m : moves) {
          if (m.column() != null) {
            lookup.setString(1, m.to());
            lookup.setString(2, m.table());
            lookup.setString(3, m.column());
            lookup.setString(4, m.vkey());
            lookup.setString(5, m.from());
            n += lookup.executeUpdate();
          } else {
            placement.setString(1, m.to());
            placement.setString(2, m.table());
            placement.setString(3, m.vkey());
            placement.setString(4, m.from());
            n += placement.executeUpdate();
          }
        }
      }
      return n;
    });
  }

  /** How many placements name each shard. */
  Map<String, Long> placementsPerShard() throws SQLException {
    return read(c -> {
      Map<String, Long> out = new java.util.TreeMap<>();
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT shard, COUNT(*) FROM " + PLACEMENT + " GROUP BY shard")) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      return out;
    });
  }

  /** Deletes every lookup entry ({@code lookups}) or placement naming {@code shard}; returns how many. */
  int deleteNaming(String shard, boolean lookups) throws SQLException {
    return transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + (lookups ? LOOKUP : PLACEMENT)
          + " WHERE shard = ?")) {
        ps.setString(1, shard);
        return ps.executeUpdate();
      }
    });
  }

  // ---------------------------------------------------------------- counters

  /** Whether a counter exists. */
  boolean hasCounter(String name) throws SQLException {
    return read(c -> counterValue(c, name) != null);
  }

  /** Creates a counter at {@code start} unless it exists. */
  void createCounter(String name, long start) throws SQLException {
    transaction(c -> insertIfAbsent(c, COUNTER, new String[] {"counter_name", "counter_value"},
        new Object[] {name, start}));
  }

  /**
   * Adds {@code n} to a counter (created at 0 if absent) atomically and returns its new value: the caller owns the
   * values {@code (result - n, result]}.
   */
  long add(String name, long n) throws SQLException {
    return transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + COUNTER
          + " SET counter_value = counter_value + ? WHERE counter_name = ?")) {
        ps.setLong(1, n);
        ps.setString(2, name);
        if (ps.executeUpdate() == 0) {
          insertIfAbsent(c, COUNTER, new String[] {"counter_name", "counter_value"}, new Object[] {name, 0L});
          ps.executeUpdate();
        }
      }
      Long v = counterValue(c, name);
      if (v == null) {
        throw new SQLException("directory: counter '" + name + "' vanished", SqlStates.GENERAL);
      }
      return v;
    });
  }

  /** Raises a counter to at least {@code value} (it never goes down). */
  void raise(String name, long value) throws SQLException {
    transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + COUNTER
          + " SET counter_value = ? WHERE counter_name = ? AND counter_value < ?")) {
        ps.setLong(1, value);
        ps.setString(2, name);
        ps.setLong(3, value);
        return ps.executeUpdate();
      }
    });
  }

  private static Long counterValue(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT counter_value FROM " + COUNTER
        + " WHERE counter_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // a broken directory connection
    }
  }
}
