package org.collegedb.capture;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.collegedb.SqlStates;

/**
 * The change log of one database and the statements on it. Tables (in the schema {@value #SCHEMA} on PostgreSQL and
 * H2, unqualified elsewhere):
 * <ul>
 *   <li>{@value #LOG}{@code (seq, position, table_name, operation, row_key, before_row, after_row)}: one row per
 *       changed row, written by the triggers in the writing transaction with {@code position} NULL;</li>
 *   <li>{@value #COUNTER}{@code (id, position)}: row 1 holds the last position given. Its row lock serializes the
 *       sequencer, registration and pruning (never writers);</li>
 *   <li>{@value #CONSUMERS}{@code (name, position)}: each consumer's last acknowledged position;</li>
 *   <li>{@value #TABLES}{@code (table_name, columns)}: the captured tables, their columns and types (JSON).</li>
 * </ul>
 *
 * <p><b>Why positions are given after commit.</b> A position taken from a sequence inside the writing transaction
 * can commit out of order: A takes 10, B takes 11 and commits first, a reader acknowledges 11 and never sees 10.
 * Here writers take no position. {@link #sequence} gives positions, in one short transaction that holds the
 * counter's row lock, to the entries it can see committed, in {@code seq} order. A later run only sees entries that
 * committed later, and gives them higher positions; positions are visible only once their run committed, and runs
 * are serialized, so a reader that has read up to {@code p} never later finds a committed entry below {@code p}.
 * Two changes of the same key are ordered by the key's row lock: the second writer waited for the first one's
 * commit, so either the first is sequenced in an earlier run or both are in one run, where the first has the lower
 * {@code seq} (taken while it held the row lock). The sequencer reads in READ COMMITTED, which sees only committed
 * entries and, on InnoDB, does not wait for the writers' uncommitted ones.
 */
final class LogStore {
  static final String SCHEMA = "collegedb_internal";
  static final String LOG = "collegedb_change_log";
  static final String COUNTER = "collegedb_change_counter";
  static final String CONSUMERS = "collegedb_change_consumers";
  static final String TABLES = "collegedb_change_tables";
  /** Entries given positions per sequencer transaction. */
  private static final int SEQUENCE_BATCH = 5000;

  private final Connection c;
  private final CaptureBackend backend;

  LogStore(Connection c) throws SQLException {
    this.c = c;
    this.backend = CaptureBackend.of(c);
  }

  CaptureBackend backend() {
    return backend;
  }

  Connection connection() {
    return c;
  }

  /** Creates the log's tables (and PostgreSQL's trigger function) when they are missing. */
  void create() throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String ddl : backend.createTables()) {
        run(ddl);
      }
      try {
        s.executeUpdate(backend.addCounterRow());
      } catch (SQLException raced) {
        if (!exists()) {
          throw raced; // another installer added the row first: fine
        }
      }
    }
  }

  /**
   * One statement of the log's DDL: its {@code IF NOT EXISTS} ones through {@code CreateIfMissing} (two installers,
   * e.g. change streams opened at once, race on PostgreSQL), the trigger function's as it is.
   */
  private void run(String ddl) throws SQLException {
    if (ddl.contains(" IF NOT EXISTS ")) {
      org.collegedb.internal.schema.CreateIfMissing.run(c, ddl);
    } else {
      try (Statement s = c.createStatement()) {
        s.execute(ddl);
      }
    }
  }

  /** Creates the registry of captured tables alone (H2's triggers read it), when it is missing. */
  void createRegistry() throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String ddl : backend.createTables()) {
        if (ddl.contains("SCHEMA") || ddl.contains(backend.tables() + " ")) {
          run(ddl);
        }
      }
    }
  }

  /** Whether the log's tables are on this database. */
  boolean exists() throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String schema = backend.ownSchema() ? SCHEMA : null;
    for (String name : new String[] {COUNTER, COUNTER.toUpperCase(Locale.ROOT)}) {
      for (String sch : schema == null ? new String[] {null} : new String[] {schema,
          schema.toUpperCase(Locale.ROOT)}) {
        try (ResultSet rs = md.getTables(backend == CaptureBackend.MARIADB ? c.getCatalog() : null, sch, name,
            null)) {
          while (rs.next()) {
            if (rs.getString("TABLE_NAME").equalsIgnoreCase(COUNTER)) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  void requireExists() throws SQLException {
    if (!exists()) {
      throw new SQLException("change capture is not installed on " + CapturedTable.where(c)
          + ": install it on a table first (ChangeCapture.install)", SqlStates.NOT_PREPARED);
    }
  }

  /** Records a captured table and its columns. */
  void register(CapturedTable t) throws SQLException {
    try (PreparedStatement d = c.prepareStatement("DELETE FROM " + backend.tables() + " WHERE table_name = ?");
         PreparedStatement i = c.prepareStatement("INSERT INTO " + backend.tables()
             + " (table_name, columns) VALUES (?, ?)")) {
      d.setString(1, t.logName());
      d.executeUpdate();
      i.setString(1, t.logName());
      i.setString(2, RowJson.writeColumns(t));
      i.executeUpdate();
    }
  }

  void unregister(String logName) throws SQLException {
    try (PreparedStatement d = c.prepareStatement("DELETE FROM " + backend.tables() + " WHERE table_name = ?")) {
      d.setString(1, logName);
      d.executeUpdate();
    }
  }

  /** The captured tables: log name to column types, in column order. */
  Map<String, Map<String, Integer>> capturedTables() throws SQLException {
    Map<String, Map<String, Integer>> tables = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT table_name, columns FROM " + backend.tables()
             + " ORDER BY table_name")) {
      while (rs.next()) {
        tables.put(rs.getString(1), RowJson.readColumns(rs.getString(2)));
      }
    }
    return tables;
  }

  /** A unit of work in a transaction of its own (READ COMMITTED where there is a choice), or in the caller's. */
  interface Work<T> {
    T run() throws SQLException;
  }

  <T> T transaction(Work<T> work) throws SQLException {
    if (!c.getAutoCommit()) {
      // The caller's transaction, which commits. Under REPEATABLE READ or SERIALIZABLE its snapshot may predate
      // positions another reader gave: the sequencer would not see them and give the same entries a second one.
      if (backend != CaptureBackend.SQLITE && c.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
        throw new SQLException("change capture's bookkeeping on " + CapturedTable.where(c) + " needs a connection "
            + "in auto-commit mode or, inside a transaction, READ COMMITTED isolation (this one is "
            + isolationName(c.getTransactionIsolation()) + ")", SqlStates.NOT_PREPARED);
      }
      return work.run();
    }
    int isolation = c.getTransactionIsolation();
    boolean readCommitted = backend != CaptureBackend.SQLITE && isolation != Connection.TRANSACTION_READ_COMMITTED;
    if (readCommitted) {
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
      if (readCommitted) {
        c.setTransactionIsolation(isolation);
      }
    }
  }

  private static String isolationName(int level) {
    return switch (level) {
      case Connection.TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
      case Connection.TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
      case Connection.TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
      default -> "level " + level;
    };
  }

  /** Takes the counter's row lock (held to the end of the transaction) and returns the last position given. */
  private long lockCounter() throws SQLException {
    try (Statement s = c.createStatement()) {
      if (s.executeUpdate("UPDATE " + backend.counter() + " SET position = position WHERE id = 1") != 1) {
        throw new SQLException("the change log's counter row is missing from " + backend.counter() + " on "
            + CapturedTable.where(c) + ": install capture again", SqlStates.NOT_PREPARED);
      }
      try (ResultSet rs = s.executeQuery("SELECT position FROM " + backend.counter() + " WHERE id = 1")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The last position given, without sequencing or locking. */
  long lastPosition() throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT position FROM " + backend.counter() + " WHERE id = 1")) {
      if (!rs.next()) {
        throw new SQLException("the change log's counter row is missing from " + backend.counter() + " on "
            + CapturedTable.where(c) + ": install capture again", SqlStates.NOT_PREPARED);
      }
      return rs.getLong(1);
    }
  }

  /** The highest {@code seq} of the committed entries, or -1 if the log is empty. */
  private long lastSeq() throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT MAX(seq) FROM " + backend.log())) {
      if (!rs.next()) {
        return -1;
      }
      long seq = rs.getLong(1);
      return rs.wasNull() ? -1 : seq;
    }
  }

  /**
   * Up to {@code limit} entries of {@link CaptureBackend#unsequencedQuery} after {@code after}, up to {@code last}.
   */
  private List<Long> unsequenced(long after, long last, int limit) throws SQLException {
    List<Long> seqs = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(backend.unsequencedQuery(limit))) {
      ps.setLong(1, after);
      ps.setLong(2, last);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
        }
      }
    }
    return seqs;
  }

  /**
   * Gives positions to the committed entries that have none, in {@code seq} order (see the class comment), up to the
   * last entry committed when it starts: writers committing entries faster than one batch a batch cannot keep it going
   * (their later entries get positions in the next run; a key's changes keep their order, as the first of two has the
   * lower {@code seq} and committed first).
   *
   * <p>The batches walk the log's {@code seq} from the first entry without a position, each starting after the last
   * one the previous batch took. An entry below that point which commits during the run (its {@code seq} was taken
   * before the run, its commit came after) gets its position in the next run, and so does every later change of its
   * key: a second writer of that key waited for its commit, so its {@code seq} is above this run's last.
   *
   * @return the last position given
   */
  long sequence() throws SQLException {
    long last = lastSeq();
    List<Long> first = last < 0 ? List.of() : unsequenced(Long.MIN_VALUE, last, 1); // without the counter's lock
    long after = first.isEmpty() ? last : first.get(0) - 1;
    while (after < last) {
      long from = after;
      List<Long> seqs = transaction(() -> {
        long position = lockCounter();
        List<Long> batch = unsequenced(from, last, SEQUENCE_BATCH);
        if (batch.isEmpty()) {
          return batch;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + backend.log()
            + " SET position = ? WHERE seq = ?")) {
          for (long seq : batch) {
            ps.setLong(1, ++position);
            ps.setLong(2, seq);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + backend.counter()
            + " SET position = ? WHERE id = 1")) {
          ps.setLong(1, position);
          ps.executeUpdate();
        }
        return batch;
      });
      if (seqs.size() < SEQUENCE_BATCH) {
        break;
      }
      after = seqs.get(seqs.size() - 1);
    }
    return lastPosition();
  }

  /** Up to {@code max} sequenced entries after {@code after}, in position order. */
  List<Change> read(long after, int max, Map<String, Map<String, Integer>> types) throws SQLException {
    List<Change> changes = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT position, table_name, operation, row_key, before_row, "
        + "after_row FROM " + backend.log() + " WHERE position > ? ORDER BY position LIMIT " + max)) {
      ps.setLong(1, after);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String table = rs.getString(2);
          Map<String, Integer> columns = types.get(table);
          if (columns == null) {
            types.putAll(capturedTables());
            columns = types.getOrDefault(table, Map.of());
          }
          changes.add(new Change(null, rs.getLong(1), table, Change.Operation.of(rs.getString(3)),
              RowJson.readRow(rs.getString(4), columns), RowJson.readRow(rs.getString(5), columns),
              RowJson.readRow(rs.getString(6), columns)));
        }
      }
    }
    return changes;
  }

  /**
   * The acknowledged position of consumer {@code name}, registering it at the last position given (after
   * sequencing) when it is new: a new consumer sees the changes committed after it registered.
   */
  long registerConsumer(String name) throws SQLException {
    Long known = acknowledged(name);
    if (known != null) {
      return known;
    }
    sequence();
    return transaction(() -> {
      long head = lockCounter();
      Long raced = acknowledged(name);
      if (raced != null) {
        return raced;
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + backend.consumers()
          + " (name, position) VALUES (?, ?)")) {
        ps.setString(1, name);
        ps.setLong(2, head);
        ps.executeUpdate();
      }
      return head;
    });
  }

  Long acknowledged(String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT position FROM " + backend.consumers()
        + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** Stores consumer {@code name}'s acknowledged position; it never goes back. */
  void acknowledge(String name, long position) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + backend.consumers()
        + " SET position = ? WHERE name = ? AND position < ?")) {
      ps.setLong(1, position);
      ps.setString(2, name);
      ps.setLong(3, position);
      if (ps.executeUpdate() == 0 && acknowledged(name) == null) {
        throw new SQLException("consumer '" + name + "' is not registered on " + CapturedTable.where(c)
            + " (it was dropped): open it again to register it", SqlStates.NOT_PREPARED);
      }
    }
  }

  /** Consumer names and their acknowledged positions. */
  Map<String, Long> consumers() throws SQLException {
    Map<String, Long> all = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT name, position FROM " + backend.consumers() + " ORDER BY name")) {
      while (rs.next()) {
        all.put(rs.getString(1), rs.getLong(2));
      }
    }
    return all;
  }

  boolean dropConsumer(String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + backend.consumers() + " WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * Deletes the entries every registered consumer has acknowledged (every sequenced entry when there is none).
   *
   * @return the number of entries deleted
   */
  int prune() throws SQLException {
    return prune(Long.MAX_VALUE);
  }

  /**
   * Deletes the entries at or below {@code upTo} that every registered consumer has acknowledged, in one transaction
   * with the counter locked (a consumer registering meanwhile registers at the head, above what is deleted).
   */
  int prune(long upTo) throws SQLException {
    return transaction(() -> {
      long bound = Math.min(lockCounter(), upTo);
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT MIN(position) FROM " + backend.consumers())) {
        if (rs.next()) {
          long lowest = rs.getLong(1);
          if (!rs.wasNull()) {
            bound = Math.min(bound, lowest);
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + backend.log() + " WHERE position <= ?")) {
        ps.setLong(1, bound);
        return ps.executeUpdate();
      }
    });
  }

  /** Entries in the log, sequenced or not. */
  long size() throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + backend.log())) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
