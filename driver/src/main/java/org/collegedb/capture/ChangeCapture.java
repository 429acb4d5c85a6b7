package org.collegedb.capture;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Change capture on one database (SQLite, H2, PostgreSQL, MariaDB/MySQL), whether or not it is a CollegeDB shard:
 * triggers append every committed INSERT, UPDATE and DELETE of the captured tables to a change log in the same
 * database, in the writing transaction, so that writes by any client are captured and rolled-back ones are not.
 * Named {@link ChangeConsumer consumers} read the log in position order and acknowledge positions, kept in the same
 * database.
 *
 * <p>Positions are strictly increasing and follow commit order for each key. They are given to committed entries
 * by the readers (each {@link ChangeConsumer#poll}, {@link #head}), never by writers, so that no transaction can
 * commit a position below one a reader has already passed; see {@code LogStore} for the argument.
 *
 * <p>The log's tables are {@code collegedb_change_log}, {@code collegedb_change_counter}, {@code
 * collegedb_change_consumers} and {@code collegedb_change_tables}, in the schema {@code collegedb_internal} on
 * PostgreSQL and H2 and unqualified on SQLite and MariaDB; the triggers are named {@code collegedb_cap_<table>_*}
 * ({@code collegedb_capture} on PostgreSQL, with the function {@code collegedb_internal.collegedb_capture()}). On
 * H2 the trigger is the Java class {@link H2CaptureTrigger}, which must be on the class path of the H2 database
 * (it is, for embedded and in-memory H2).
 *
 * <p>Use a connection of its own, in auto-commit mode: the consumer's bookkeeping then runs in short transactions
 * of its own.
 */
public final class ChangeCapture {
  private ChangeCapture() {
  }

  /**
   * Captures the changes of {@code table} (any case) from now on. Idempotent: installing again re-creates the
   * triggers with the table's current columns (do so after altering the table's columns on SQLite and MariaDB).
   *
   * @throws SQLException 42P01 when the table does not exist, 0A000 when it has no primary key or the database is
   *                      not one capture runs on
   */
  public static void install(Connection c, String table) throws SQLException {
    LogStore store = new LogStore(c);
    CapturedTable t = CapturedTable.read(c, table, true);
    store.create();
    ddlTransaction(store, () -> {
      store.register(t);
      store.backend().installTriggers(c, t);
      return null;
    });
    store.backend().awaitWriters(c, t); // H2: no transaction that saw the table uncaptured is still open
  }

  /**
   * H2 only (the reshard's write fence): puts on {@code table} the one trigger that both checks the session's shard
   * map version against the shard's ({@code collegedb_internal.collegedb_map_version}, which must exist) and
   * captures changes while the table is {@link #install installed}; idempotent. The trigger is never dropped: see
   * {@link H2CaptureTrigger}.
   */
  public static void installH2Fence(Connection c, String table) throws SQLException {
    LogStore store = new LogStore(c);
    if (store.backend() != CaptureBackend.H2) {
      throw new SQLException("installH2Fence is for H2 databases", org.collegedb.SqlStates.NOT_SUPPORTED);
    }
    CapturedTable t = CapturedTable.read(c, table, false);
    if (t == null) {
      throw new SQLException("no table " + table + " on " + CapturedTable.where(c),
          org.collegedb.SqlStates.UNDEFINED_TABLE);
    }
    store.createRegistry();
    store.backend().installH2FenceTrigger(c, t);
    store.backend().awaitWriters(c, t);
  }

  /**
   * Stops capturing {@code table}: drops its triggers. Its entries stay in the log for the consumers. Does nothing
   * when it is not captured.
   */
  public static void uninstall(Connection c, String table) throws SQLException {
    LogStore store = new LogStore(c);
    if (!store.exists()) {
      return;
    }
    CapturedTable t = CapturedTable.read(c, table, false);
    ddlTransaction(store, () -> {
      if (t != null) {
        store.backend().dropTriggers(c, t);
      }
      store.unregister(t != null ? t.logName() : table.toLowerCase(java.util.Locale.ROOT));
      return null;
    });
    if (t != null) {
      store.backend().awaitWriters(c, t); // H2: the trigger stays; no transaction that saw the table captured is open
    }
  }

  /** Removes change capture from the database: every trigger, the log, the consumers and their positions. */
  public static void uninstallAll(Connection c) throws SQLException {
    LogStore store = new LogStore(c);
    if (!store.exists()) {
      return;
    }
    for (String table : store.capturedTables().keySet()) {
      uninstall(c, table);
    }
    ddlTransaction(store, () -> {
      try (java.sql.Statement s = c.createStatement()) {
        for (String ddl : store.backend().dropTables()) {
          s.execute(ddl);
        }
      }
      return null;
    });
  }

  /** The captured tables, lower case, sorted. */
  public static List<String> capturedTables(Connection c) throws SQLException {
    LogStore store = new LogStore(c);
    return store.exists() ? new ArrayList<>(store.capturedTables().keySet()) : List.of();
  }

  /**
   * The names of the triggers capture keeps on {@code table}, as the database's catalog lists them (for checks).
   */
  public static List<String> triggerNames(Connection c, String table) throws SQLException {
    CapturedTable t = CapturedTable.read(c, table, false);
    return t == null ? List.of() : new LogStore(c).backend().triggerNames(t);
  }

  /**
   * The consumer {@code name}, registered at the current end of the log when it is new (it then sees the changes
   * committed after this call); otherwise it resumes after its acknowledged position.
   *
   * @throws SQLException 55000 when capture is not installed on the database
   */
  public static ChangeConsumer consumer(Connection c, String name) throws SQLException {
    LogStore store = new LogStore(c);
    store.requireExists();
    return new ChangeConsumer(store, name, null);
  }

  static ChangeConsumer consumer(Connection c, String name, String shard) throws SQLException {
    LogStore store = new LogStore(c);
    store.requireExists();
    return new ChangeConsumer(store, name, shard);
  }

  /** Forgets consumer {@code name} and its position: pruning no longer waits for it. */
  public static boolean dropConsumer(Connection c, String name) throws SQLException {
    LogStore store = new LogStore(c);
    return store.exists() && store.dropConsumer(name);
  }

  /** The registered consumers and their acknowledged positions. */
  public static Map<String, Long> consumers(Connection c) throws SQLException {
    LogStore store = new LogStore(c);
    store.requireExists();
    return store.consumers();
  }

  /** Gives positions to the changes committed so far and returns the last position (0 when there is none). */
  public static long head(Connection c) throws SQLException {
    LogStore store = new LogStore(c);
    store.requireExists();
    return store.sequence();
  }

  /**
   * Up to {@code max} changes after {@code position}, in position order, without a consumer: for a reader that
   * keeps its position itself.
   */
  public static List<Change> read(Connection c, long position, int max) throws SQLException {
    LogStore store = new LogStore(c);
    store.requireExists();
    store.sequence();
    return store.read(position, max, new java.util.HashMap<>());
  }

  /**
   * Deletes the entries every registered consumer has acknowledged (with no consumer registered: every entry
   * given a position so far).
   *
   * @return the number of entries deleted
   */
  public static int prune(Connection c) throws SQLException {
    LogStore store = new LogStore(c);
    store.requireExists();
    store.sequence();
    return store.prune();
  }

  /**
   * Deletes the entries at or below {@code position} (a reader's own position: everything up to it is applied) that
   * every registered consumer has also acknowledged: entries a consumer still needs stay.
   *
   * @return the number of entries deleted
   */
  public static int prune(Connection c, long position) throws SQLException {
    LogStore store = new LogStore(c);
    store.requireExists();
    return store.prune(position);
  }

  /** The number of entries in the log (acknowledged or not, pruning removes them). */
  public static long size(Connection c) throws SQLException {
    LogStore store = new LogStore(c);
    store.requireExists();
    return store.size();
  }

  /** DDL with the registry change, atomically where the database has transactional DDL (PostgreSQL, SQLite). */
  private static <T> T ddlTransaction(LogStore store, LogStore.Work<T> work) throws SQLException {
    return store.transaction(work);
  }
}
