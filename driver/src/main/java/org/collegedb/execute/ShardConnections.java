package org.collegedb.execute;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.collegedb.SqlStates;
import org.collegedb.config.CollegeConfig;
import org.collegedb.config.FailureSpec;
import org.collegedb.config.ShardSpec;

/**
 * The shards behind one logical CollegeDB connection, and the state of their transactions.
 *
 * <p><b>Lazy, recoverable connections.</b> {@link #raw} and {@link #use} hand out a {@link Connection} per shard that
 * opens the shard's physical connection only when something needs it (a statement, metadata), so a logical connection
 * over 1,000 shards opens one physical connection when it opens. Settings made before that (read-only, isolation,
 * schema, catalog, holdability, network timeout) are recorded and applied when it opens. A physical connection found
 * broken (closed by its driver after an I/O error, or failing with SQLState class 08) is discarded and reopened on the
 * next use outside a transaction; inside one the statement fails with 08003 naming the shard, and {@link #rollback()}
 * ends the transaction locally, whatever the shards' state. {@link #setAutoCommit}, {@link #rollback()} and
 * {@link #close()} never fail because a shard is gone. Physical connections count against the shard's cap
 * ({@link ShardGates}).
 *
 * <p><b>Transactions.</b> With auto-commit off, a shard joins the transaction the first time a statement touches it.
 * {@link #commit()} and {@link #rollback()} apply to the shards touched since the last one. A transaction that touched
 * one shard commits there. One that touched several commits atomically where the shards can prepare
 * ({@link AtomicCommit}: two-phase commit with the decision recorded on the first shard), or, with
 * {@code transactions=best-effort} or on SQLite, shard by shard in name order: if a commit fails, the shards before it
 * stay committed, the failing one and those after it are rolled back, and the {@link SQLException} (SQLState 40003)
 * names each group.
 */
public final class ShardConnections implements AutoCloseable {
  private static final Map<String, Boolean> READ_ONLY = new java.util.concurrent.ConcurrentHashMap<>();
  private static final Map<String, Integer> HOLDABILITY = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<ShardSpec> specs;
  private final ShardGates gates;
  private final FailureSpec.Transactions mode; // null: atomic where the product can prepare
  private final AtomicReferenceArray<Shard> shards;
  private final BitSet touched = new BitSet(); // shards whose auto-commit is off for the current transaction
  private final BitSet atomicShards = new BitSet(); // shards in an atomically() local transaction
  private boolean autoCommit = true;
  private int atomicDepth; // nesting of atomically(): only the outermost commits

  private ShardConnections(List<ShardSpec> specs, ShardGates gates, FailureSpec.Transactions mode) {
    this.specs = specs;
    this.gates = gates;
    this.mode = mode;
    this.shards = new AtomicReferenceArray<>(specs.size());
  }

  /** The shards of {@code config}, none connected yet, with its caps and commit protocol. */
  public static ShardConnections open(CollegeConfig config) {
    InDoubtResolver.start(config);
    return new ShardConnections(config.shards(), ShardGates.of(config), config.failures().transactions());
  }

  /** The shards {@code specs}, none connected yet, without caps; multi-shard commits are atomic where possible. */
  public static ShardConnections open(List<ShardSpec> specs) {
    return new ShardConnections(specs, ShardGates.NONE, null);
  }

  public int size() {
    return specs.size();
  }

  public String name(int shard) {
    return specs.get(shard).name();
  }

  public ShardSpec spec(int shard) {
    return specs.get(shard);
  }

  /** The shard's connection, without starting anything on it: for metadata and settings. It connects on first use. */
  public Connection raw(int shard) {
    return shard(shard);
  }

  /** The shard's connection, for a statement: in a transaction, the shard joins it. */
  public Connection use(int shard) throws SQLException {
    Shard s = shard(shard);
    if (!autoCommit && !touched.get(shard)) {
      Connection c = s.delegate();
      if (c.getAutoCommit()) {
        c.setAutoCommit(false);
      }
      touched.set(shard);
    }
    return s;
  }

  /**
   * Whether {@code statement} was made on the shard's current physical connection: a statement kept from before the
   * connection was replaced must be made again.
   */
  public boolean current(int shard, Statement statement) {
    Shard s = shards.get(shard);
    if (s == null || s.physical == null) {
      return false;
    }
    try {
      return statement.getConnection() == s.physical;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Whether the shard's physical connection is open now (for tests and monitoring). */
  public boolean connected(int shard) {
    Shard s = shards.get(shard);
    return s != null && s.physical != null;
  }

  /** How many physical connections this logical connection holds now. */
  public int connectedCount() {
    int n = 0;
    for (int i = 0; i < specs.size(); i++) {
      if (connected(i)) {
        n++;
      }
    }
    return n;
  }

  /** Closes the physical connections that are not in a transaction (for example after reading the shard map). */
  public void releaseIdle() {
    for (int i = 0; i < specs.size(); i++) {
      Shard s = shards.get(i);
      if (s != null && !inTransaction(i)) {
        s.discard();
      }
    }
  }

  private Shard shard(int index) {
    Shard s = shards.get(index);
    if (s == null) {
      shards.compareAndSet(index, null, new Shard(index));
      s = shards.get(index);
    }
    return s;
  }

  boolean inTransaction(int shard) {
    synchronized (touched) {
      return touched.get(shard) || atomicShards.get(shard);
    }
  }

  /** The physical connection of a shard in the current transaction (opening it if it must). */
  Connection physical(int shard) throws SQLException {
    return shard(shard).delegate();
  }

  /** Drops a shard's physical connection (closing it quietly): the next use opens a new one. */
  void discard(int shard) {
    Shard s = shards.get(shard);
    if (s != null) {
      s.discard();
    }
  }

  /** Whether {@code e} says the connection it came from is unusable: SQLState class 08, or an I/O error under it. */
  public static boolean connectionLost(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
        return true;
      }
      if (t instanceof IOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  public boolean autoCommit() {
    return autoCommit;
  }

  /**
   * Switches auto-commit. Turning it on commits the open transaction (JDBC); auto-commit is on afterwards even when
   * that commit fails (the transaction is then rolled back and its error thrown), and shards that are gone are simply
   * dropped.
   */
  public void setAutoCommit(boolean on) throws SQLException {
    if (on == autoCommit) {
      return;
    }
    SQLException failure = null;
    if (on) {
      try {
        commit(); // JDBC: turning auto-commit on commits the open transaction
      } catch (SQLException e) {
        failure = e;
        rollback();
      }
      for (int i = 0; i < specs.size(); i++) {
        Shard s = shards.get(i);
        Connection c = s == null ? null : s.physical;
        if (c != null) {
          try {
            if (!c.getAutoCommit()) {
              c.setAutoCommit(true);
            }
          } catch (SQLException e) {
            s.discard(); // broken: a new one starts in auto-commit
          }
        }
      }
    }
    autoCommit = on;
    if (failure != null) {
      throw failure;
    }
  }

  /** The shards in the current transaction. */
  public BitSet touched() {
    synchronized (touched) {
      return (BitSet) touched.clone();
    }
  }

  public void commit() throws SQLException {
    BitSet these = touched();
    try {
      commit(these);
    } finally {
      synchronized (touched) {
        touched.clear();
      }
    }
  }

  /**
   * Ends the transaction on every shard it touched. Never fails: a shard whose rollback fails (its connection is gone)
   * has its connection dropped, and the server rolls back what that connection had not committed.
   */
  public void rollback() {
    BitSet these = touched();
    for (int s = these.nextSetBit(0); s >= 0; s = these.nextSetBit(s + 1)) {
      rollbackQuietly(s);
    }
    synchronized (touched) {
      touched.clear();
    }
  }

  /** Rolls back one shard's transaction; drops its connection if that fails. */
  void rollbackQuietly(int shard) {
    Shard s = shards.get(shard);
    Connection c = s == null ? null : s.physical;
    if (c == null) {
      return;
    }
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      s.discard();
    }
  }

  /** Commits the shards in {@code shards}: atomically where the protocol allows, else shard by shard. */
  void commit(BitSet shards) throws SQLException {
    if (shards.cardinality() == 0) {
      return;
    }
    for (int s = shards.nextSetBit(0); s >= 0; s = shards.nextSetBit(s + 1)) {
      Shard sh = this.shards.get(s);
      if (sh != null && (sh.physical == null || closedQuietly(sh.physical))) {
        for (int r = shards.nextSetBit(0); r >= 0; r = shards.nextSetBit(r + 1)) {
          rollbackQuietly(r);
        }
        discard(s);
        throw new SQLNonTransientConnectionException("shard '" + name(s) + "': the connection to this shard was lost "
            + "during the transaction, so nothing was committed: the transaction was rolled back on every shard "
            + AtomicCommit.names(this, shards), SqlStates.CONNECTION_CLOSED);
      }
    }
    if (shards.cardinality() == 1) {
      int s = shards.nextSetBit(0);
      try {
        physical(s).commit();
      } catch (SQLException e) {
        rollbackQuietly(s);
        if (connectionLost(e)) {
          discard(s);
          throw ShardErrors.named(new SQLNonTransientConnectionException("the connection was lost at commit, so "
              + "whether this shard committed is unknown: " + e.getMessage(), SqlStates.TRANSACTION_RESOLUTION_UNKNOWN,
              e.getErrorCode(), e), name(s));
        }
        throw ShardErrors.named(e, name(s));
      }
      return;
    }
    if (AtomicCommit.applies(this, shards, mode)) {
      AtomicCommit.commit(this, shards);
    } else {
      commitInOrder(shards);
    }
  }

  /** {@code transactions=best-effort}: commits shard by shard, in name order, rolling back the rest if one fails. */
  void commitInOrder(BitSet shards) throws SQLException {
    List<String> committed = new ArrayList<>();
    for (int s = shards.nextSetBit(0); s >= 0; s = shards.nextSetBit(s + 1)) {
      try {
        physical(s).commit();
        committed.add(name(s));
      } catch (SQLException e) {
        List<String> rolledBack = new ArrayList<>();
        for (int r = s; r >= 0; r = shards.nextSetBit(r + 1)) {
          rollbackQuietly(r);
          rolledBack.add(name(r));
        }
        if (connectionLost(e)) {
          discard(s);
        }
        if (committed.isEmpty()) {
          throw ShardErrors.named(new SQLException("commit failed; nothing was committed: " + e.getMessage(),
              e.getSQLState(), e.getErrorCode(), e), name(s));
        }
        throw new SQLException("shard '" + name(s) + "': commit failed after shards " + committed
            + " had committed; shards " + rolledBack + " were rolled back. The transaction is only partly applied "
            + "(transactions=best-effort): " + e.getMessage(), SqlStates.PARTIAL_COMMIT, e.getErrorCode(), e);
      }
    }
  }

  /**
   * Runs {@code work} as one local transaction on each of {@code shards}: for a write that spans shards in
   * auto-commit mode, so that a statement failing on one shard leaves no shard changed, committed as a transaction
   * over those shards is ({@link #commit(BitSet)}). In a transaction, the shards join it, and a savepoint on each
   * undoes the whole statement if it fails on any of them.
   */
  public <T> T atomically(int[] shards, SqlWork<T> work) throws SQLException {
    if (shards.length < 2 || atomicDepth > 0) {
      return work.run();
    }
    if (!autoCommit) {
      return withSavepoints(shards, work);
    }
    atomicDepth++;
    BitSet these = new BitSet();
    try {
      for (int s : shards) {
        Connection c = physical(s);
        synchronized (touched) {
          atomicShards.set(s);
        }
        these.set(s);
        c.setAutoCommit(false);
      }
      T result;
      try {
        result = work.run();
      } catch (SQLException | RuntimeException e) {
        for (int s : shards) {
          rollbackQuietly(s);
        }
        throw e;
      }
      commit(these);
      return result;
    } catch (SQLException e) {
      for (int s = these.nextSetBit(0); s >= 0; s = these.nextSetBit(s + 1)) {
        rollbackQuietly(s);
      }
      throw e;
    } finally {
      atomicDepth--;
      synchronized (touched) {
        atomicShards.clear();
      }
      for (int s = these.nextSetBit(0); s >= 0; s = these.nextSetBit(s + 1)) {
        Shard sh = this.shards.get(s);
        Connection c = sh == null ? null : sh.physical;
        if (c != null) {
          try {
            c.setAutoCommit(true);
          } catch (SQLException ignored) {
            sh.discard(); // the connection is broken; the next use opens a new one
          }
        }
      }
    }
  }

  /**
   * In a transaction, a statement that fails on one shard must not leave its rows on the others: as on one
   * database, the failed statement has no effect and the transaction goes on.
   */
  private <T> T withSavepoints(int[] shards, SqlWork<T> work) throws SQLException {
    Savepoint[] points = new Savepoint[shards.length];
    for (int i = 0; i < shards.length; i++) {
      use(shards[i]);
      points[i] = physical(shards[i]).setSavepoint();
    }
    atomicDepth++;
    try {
      T result;
      try {
        result = work.run();
      } catch (SQLException | RuntimeException e) {
        for (int i = 0; i < shards.length; i++) {
          try {
            physical(shards[i]).rollback(points[i]);
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
        }
        throw e;
      }
      for (int i = 0; i < shards.length; i++) {
        try {
          physical(shards[i]).releaseSavepoint(points[i]);
        } catch (SQLException ignored) {
          // gone already (DDL that commits implicitly); the transaction's end releases it anyway
        }
      }
      return result;
    } finally {
      atomicDepth--;
    }
  }

  /** Work that may throw {@link SQLException}. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** Rolls back what is open and closes every physical connection. Never fails because a shard is gone. */
  @Override
  public void close() {
    for (int i = 0; i < specs.size(); i++) {
      Shard s = shards.get(i);
      if (s == null || s.physical == null) {
        continue;
      }
      if (!autoCommit && touched.get(i)) {
        rollbackQuietly(i); // JDBC leaves this to the driver; rolling back is the safe choice
      }
      s.discard();
    }
    synchronized (touched) {
      touched.clear();
    }
  }

  /**
   * One shard's connection: opens the physical connection on first use, reopens it after it broke (outside a
   * transaction), and records settings made while it is not open.
   */
  private final class Shard extends ForwardingConnection {
    private final int index;
    private volatile Connection physical;
    private Boolean readOnly;
    private Integer isolation;
    private String schema;
    private String catalog;
    private Integer holdability;
    private Map<String, Class<?>> typeMap;
    private Executor timeoutExecutor;
    private int networkTimeout = -1;

    Shard(int index) {
      this.index = index;
    }

    @Override
    protected synchronized Connection delegate() throws SQLException {
      Connection c = physical;
      if (c != null) {
        if (!closedQuietly(c)) {
          return c;
        }
        if (inTransaction(index)) {
          throw new SQLNonTransientConnectionException("shard '" + name(index) + "': the connection to this shard "
              + "was lost during the transaction, which cannot commit: roll it back; the next statement outside a "
              + "transaction reconnects", SqlStates.CONNECTION_CLOSED);
        }
        discard();
      }
      return open();
    }

    private Connection open() throws SQLException {
      gates.acquire(index, name(index));
      Connection c;
      try {
        c = BackendDrivers.connect(specs.get(index));
      } catch (SQLException | RuntimeException e) {
        gates.release(index);
        throw e;
      }
      try {
        if (readOnly != null) {
          c.setReadOnly(readOnly);
        }
        if (isolation != null) {
          c.setTransactionIsolation(isolation);
        }
        if (catalog != null) {
          c.setCatalog(catalog);
        }
        if (schema != null) {
          c.setSchema(schema);
        }
        if (holdability != null) {
          c.setHoldability(holdability);
        }
        if (typeMap != null) {
          c.setTypeMap(typeMap);
        }
        if (networkTimeout >= 0) {
          try {
            c.setNetworkTimeout(timeoutExecutor, networkTimeout);
          } catch (java.sql.SQLFeatureNotSupportedException e) {
            // embedded databases have no network: nothing to time out
          }
        }
      } catch (SQLException | RuntimeException e) {
        closeQuietly(c);
        gates.release(index);
        throw ShardErrors.named(e instanceof SQLException s ? s
            : new SQLException(e.toString(), SqlStates.GENERAL, e), name(index));
      }
      physical = c;
      ShardErrors.register(c, name(index));
      return c;
    }

    /** Closes the physical connection, if open, and gives back its permit. */
    synchronized void discard() {
      Connection c = physical;
      if (c != null) {
        physical = null;
        ShardErrors.unregister(c);
        closeQuietly(c);
        gates.release(index);
      }
    }

    /** Without a connection: what was set, or what a connection to this URL said before (no connection opens). */
    @Override
    public synchronized boolean isReadOnly() throws SQLException {
      if (physical == null) {
        if (readOnly != null) {
          return readOnly;
        }
        Boolean known = READ_ONLY.get(specs.get(index).url());
        if (known != null) {
          return known;
        }
      }
      boolean r = delegate().isReadOnly();
      if (readOnly == null) {
        READ_ONLY.put(specs.get(index).url(), r);
      }
      return r;
    }

    /** Without a connection: what was set, or what a connection to this URL said before (no connection opens). */
    @Override
    public synchronized int getHoldability() throws SQLException {
      if (physical == null) {
        if (holdability != null) {
          return holdability;
        }
        Integer known = HOLDABILITY.get(specs.get(index).url());
        if (known != null) {
          return known;
        }
      }
      int h = delegate().getHoldability();
      if (holdability == null) {
        HOLDABILITY.put(specs.get(index).url(), h);
      }
      return h;
    }

    @Override
    public synchronized void setReadOnly(boolean on) throws SQLException {
      readOnly = on;
      if (physical != null) {
        delegate().setReadOnly(on);
      }
    }

    @Override
    public synchronized void setTransactionIsolation(int level) throws SQLException {
      isolation = level;
      if (physical != null) {
        delegate().setTransactionIsolation(level);
      }
    }

    @Override
    public synchronized void setSchema(String s) throws SQLException {
      schema = s;
      if (physical != null) {
        delegate().setSchema(s);
      }
    }

    @Override
    public synchronized void setCatalog(String c) throws SQLException {
      catalog = c;
      if (physical != null) {
        delegate().setCatalog(c);
      }
    }

    @Override
    public synchronized void setHoldability(int h) throws SQLException {
      holdability = h;
      if (physical != null) {
        delegate().setHoldability(h);
      }
    }

    @Override
    public synchronized void setTypeMap(Map<String, Class<?>> map) throws SQLException {
      typeMap = map;
      if (physical != null) {
        delegate().setTypeMap(map);
      }
    }

    @Override
    public synchronized void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
      timeoutExecutor = executor;
      networkTimeout = milliseconds;
      if (physical != null) {
        delegate().setNetworkTimeout(executor, milliseconds);
      }
    }

    /**
     * True when this shard can take the next statement as far as anyone can tell: not connected yet, connected and
     * valid, or broken outside a transaction (dropped here; the next statement reconnects). False only when the
     * connection broke inside the current transaction.
     */
    @Override
    public boolean isValid(int timeout) throws SQLException {
      Connection c = physical;
      if (c == null) {
        return true;
      }
      boolean ok;
      try {
        ok = c.isValid(timeout);
      } catch (SQLException e) {
        ok = false;
      }
      if (ok) {
        return true;
      }
      if (inTransaction(index)) {
        return false;
      }
      discard();
      return true;
    }

    @Override
    public boolean isClosed() {
      return false; // the logical connection decides; a dropped physical connection reopens
    }

    @Override
    public synchronized void abort(Executor executor) throws SQLException {
      Connection c = physical;
      if (c != null) {
        physical = null;
        try {
          c.abort(executor);
        } finally {
          gates.release(index);
        }
      }
    }

    @Override
    public void close() {
      discard();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      if (iface.isInstance(this)) {
        return iface.cast(this);
      }
      return delegate().unwrap(iface);
    }

    @Override
    public String toString() {
      return "shard " + name(index) + (physical == null ? " (not connected)" : " " + physical);
    }
  }

  private static boolean closedQuietly(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException | RuntimeException ignored) {
        // closing a connection that is broken or already closed
      }
    }
  }
}
