package org.collegedb.internal.execute;

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
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.FailureSpec;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.metrics.Metrics;

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
  /** This logical connection's hold on its configuration's periodic in-doubt passes, released by {@link #close}. */
  private InDoubtResolver.Lease resolver = () -> { };
  private final BitSet touched = new BitSet(); // shards whose auto-commit is off for the current transaction
  private final BitSet atomicShards = new BitSet(); // shards in an atomically() local transaction
  private boolean autoCommit = true;
  /** The shard map version the session routes with, declared to each shard for the fence; null: none declared. */
  private volatile java.util.function.LongSupplier mapVersion;
  private int atomicDepth; // nesting of atomically(): only the outermost commits
  private String xaGid; // MariaDB: the global transaction the shards join as XA branches, while one is open
  private int xaCoordinator = -1;
  private static final Map<String, TwoPhase> PROTOCOLS = new java.util.concurrent.ConcurrentHashMap<>();

  /** A check a shard's database must pass before its first statement, run on each new physical connection. */
  @FunctionalInterface
  public interface OpenCheck {
    /** @param physical the new connection, in auto-commit mode, before the recorded settings are applied */
    void opened(int shard, Connection physical) throws SQLException;
  }

  private volatile OpenCheck openCheck;

  /** Runs {@code check} on every physical connection this opens from now on (the cluster's first-use checks). */
  public void checkOnOpen(OpenCheck check) {
    this.openCheck = check;
  }

  private ShardConnections(List<ShardSpec> specs, ShardGates gates, FailureSpec.Transactions mode) {
    this.specs = specs;
    this.gates = gates;
    this.mode = mode;
    this.shards = new AtomicReferenceArray<>(specs.size());
  }

  /** The shards of {@code config}, none connected yet, with its caps and commit protocol. */
  public static ShardConnections open(CollegeConfig config) {
    ShardConnections opened = new ShardConnections(config.shards(), ShardGates.of(config),
        config.failures().transactions());
    opened.resolver = InDoubtResolver.start(config);
    return opened;
  }

  /** The shards {@code specs}, none connected yet, without caps; multi-shard commits are atomic where possible. */
  public static ShardConnections open(List<ShardSpec> specs) {
    return new ShardConnections(specs, ShardGates.NONE, null);
  }

  /**
   * Declares, on every physical connection before a statement uses it, the shard map version the session routes
   * with ({@link MapVersionDeclaration}).
   */
  public void declareMapVersion(java.util.function.LongSupplier version) {
    this.mapVersion = version;
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

  /** What {@link #forEachShard} does with each shard's connection. */
  @FunctionalInterface
  public interface ShardAction {
    void apply(Connection connection) throws SQLException;
  }

  /** Does {@code action} with each shard's connection in shard order ({@link #raw}: connecting those not yet open). */
  public void forEachShard(ShardAction action) throws SQLException {
    for (int s = 0; s < specs.size(); s++) {
      try {
        action.apply(shard(s));
      } catch (SQLException e) {
        throw ShardErrors.named(e, name(s));
      }
    }
  }

  /** The shard's connection, without starting anything on it: for metadata and settings. It connects on first use. */
  public Connection raw(int shard) {
    return shard(shard);
  }

  /** The shard's connection, for a statement: in a transaction, the shard joins it. */
  public Connection use(int shard) throws SQLException {
    Shard s = shard(shard);
    java.util.function.LongSupplier version = mapVersion;
    if (version != null && (autoCommit || !touched.get(shard))) {
      s.declare(version.getAsLong());
    }
    if (!autoCommit && !touched.get(shard)) {
      Connection c = s.delegate();
      if (xaWanted(shard, c)) {
        if (xaGid == null) {
          xaGid = TwoPhase.gid(spec(shard));
          xaCoordinator = shard;
        }
        if (!c.getAutoCommit()) {
          c.setAutoCommit(true);
        }
        TwoPhase.xaStart(c, xaGid, name(shard));
        s.xa = true;
      } else if (c.getAutoCommit()) {
        c.setAutoCommit(false);
      }
      synchronized (touched) {
        touched.set(shard);
      }
    }
    return s;
  }

  /**
   * Whether shard {@code shard} joins transactions as an XA branch: MariaDB/MySQL shards unless
   * {@code transactions=best-effort} (or the coordinator's name is too long for an XA id: over 29 characters).
   */
  private boolean xaWanted(int shard, Connection c) throws SQLException {
    if (mode == FailureSpec.Transactions.BEST_EFFORT) {
      return false;
    }
    String url = spec(shard).url();
    TwoPhase p = PROTOCOLS.get(url);
    if (p == null) {
      p = TwoPhase.of(c);
      PROTOCOLS.put(url, p);
    }
    return p == TwoPhase.MARIADB && name(shard).length() <= 29
        && (xaGid != null || specs.stream().allMatch(x -> x.name().length() <= 29));
  }

  /** Whether the shard's current physical connection made sure the decision table exists. */
  boolean decisionTableReady(int shard) {
    Shard s = shards.get(shard);
    return s != null && s.physical != null && s.decisionTable;
  }

  void decisionTableMade(int shard) {
    Shard s = shards.get(shard);
    if (s != null) {
      s.decisionTable = true;
    }
  }

  /** Whether shard {@code shard} is in an XA branch now. */
  boolean inXa(int shard) {
    Shard s = shards.get(shard);
    return s != null && s.xa;
  }

  /** The shard's XA branch is over (committed or rolled back). */
  void endedXa(int shard) {
    Shard s = shards.get(shard);
    if (s != null) {
      s.xa = false;
    }
  }

  /**
   * The shard's physical connection now, or null when it is not connected: statements prepared while this was the
   * same object are still usable (a reconnect replaces it). A field read, for the hot path.
   */
  public Connection physicalNow(int shard) {
    Shard s = shards.get(shard);
    return s == null ? null : s.physical;
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
      xaGid = null;
      xaCoordinator = -1;
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
    xaGid = null;
    xaCoordinator = -1;
  }

  /** Rolls back one shard's transaction; drops its connection if that fails. */
  void rollbackQuietly(int shard) {
    Shard s = shards.get(shard);
    Connection c = s == null ? null : s.physical;
    if (c == null) {
      return;
    }
    try {
      if (s.xa) {
        s.xa = false;
        TwoPhase.xaRollback(c, xaGid, name(shard));
      } else {
        c.rollback();
      }
    } catch (SQLException | RuntimeException e) {
      s.discard(); // the server rolls back a branch that was not prepared when its session ends
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
      boolean xa = inXa(s);
      try {
        if (xa) {
          endedXa(s);
          TwoPhase.xaCommitOnePhase(physical(s), xaGid, name(s));
        } else {
          physical(s).commit();
        }
      } catch (SQLException e) {
        if (xa) {
          discard(s); // its branch may be left ended but not finished: the server rolls it back with the session
        } else {
          rollbackQuietly(s);
        }
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
    if (readOnly(shards)) {
      // a read-only transaction changed nothing: there is nothing to make atomic, nor a decision to write
      for (int s = shards.nextSetBit(0); s >= 0; s = shards.nextSetBit(s + 1)) {
        try {
          if (inXa(s)) {
            endedXa(s);
            TwoPhase.xaCommitOnePhase(physical(s), xaGid, name(s));
          } else {
            physical(s).commit();
          }
        } catch (SQLException e) {
          rollbackQuietly(s);
          if (connectionLost(e)) {
            discard(s);
          }
          for (int r = shards.nextSetBit(s + 1); r >= 0; r = shards.nextSetBit(r + 1)) {
            rollbackQuietly(r);
          }
          throw ShardErrors.named(e, name(s));
        }
      }
      return;
    }
    if (AtomicCommit.applies(this, shards, mode)) {
      if (inXa(shards.nextSetBit(0))) {
        AtomicCommit.commit(this, shards, xaGid, xaCoordinator, TwoPhase.MARIADB);
      } else {
        AtomicCommit.commit(this, shards);
      }
    } else {
      commitInOrder(shards);
    }
  }

  /** Whether every shard of {@code shards} was set read-only (setReadOnly(true) on the logical connection). */
  private boolean readOnly(BitSet shards) {
    for (int s = shards.nextSetBit(0); s >= 0; s = shards.nextSetBit(s + 1)) {
      Shard sh = this.shards.get(s);
      if (sh == null || !Boolean.TRUE.equals(sh.readOnly)) {
        return false;
      }
    }
    return true;
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
    if (mode != FailureSpec.Transactions.BEST_EFFORT && xaWanted(shards[0], physical(shards[0]))) {
      try {
        return atomicallyXa(shards, work);
      } catch (SQLException e) {
        if (!TwoPhase.xaRefused(e)) {
          throw e;
        }
        // MariaDB refuses this statement (DDL) inside XA, on every shard: run it in local transactions instead
      }
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

  /** {@link #atomically} on MariaDB: each shard an XA branch of one global transaction, committed in two phases. */
  private <T> T atomicallyXa(int[] shards, SqlWork<T> work) throws SQLException {
    atomicDepth++;
    BitSet these = new BitSet();
    xaGid = TwoPhase.gid(spec(shards[0]));
    xaCoordinator = shards[0];
    try {
      for (int s : shards) {
        Connection c = physical(s);
        synchronized (touched) {
          atomicShards.set(s);
        }
        these.set(s);
        if (!c.getAutoCommit()) {
          c.setAutoCommit(true);
        }
        TwoPhase.xaStart(c, xaGid, name(s));
        shard(s).xa = true;
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
        if (inXa(s)) {
          rollbackQuietly(s);
        }
      }
      throw e;
    } finally {
      atomicDepth--;
      xaGid = null;
      xaCoordinator = -1;
      synchronized (touched) {
        atomicShards.clear();
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
      if (inXa(shards[i])) {
        points[i] = new XaSavepoint("collegedb_sp_" + (++savepoints));
        execute(shards[i], "SAVEPOINT " + points[i].getSavepointName());
      } else {
        points[i] = physical(shards[i]).setSavepoint();
      }
    }
    atomicDepth++;
    try {
      T result;
      try {
        result = work.run();
      } catch (SQLException | RuntimeException e) {
        for (int i = 0; i < shards.length; i++) {
          try {
            if (points[i] instanceof XaSavepoint x) {
              execute(shards[i], "ROLLBACK TO SAVEPOINT " + x.getSavepointName());
            } else {
              physical(shards[i]).rollback(points[i]);
            }
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
        }
        throw e;
      }
      for (int i = 0; i < shards.length; i++) {
        try {
          if (points[i] instanceof XaSavepoint x) {
            execute(shards[i], "RELEASE SAVEPOINT " + x.getSavepointName());
          } else {
            physical(shards[i]).releaseSavepoint(points[i]);
          }
        } catch (SQLException ignored) {
          // gone already (DDL that commits implicitly); the transaction's end releases it anyway
        }
      }
      return result;
    } finally {
      atomicDepth--;
    }
  }

  private int savepoints;

  /** A savepoint set with SQL on a MariaDB connection in an XA branch (the JDBC driver's needs auto-commit off). */
  private record XaSavepoint(String name) implements Savepoint {
    @Override
    public int getSavepointId() throws SQLException {
      throw new SQLException("this savepoint is named", SqlStates.GENERAL);
    }

    @Override
    public String getSavepointName() {
      return name;
    }
  }

  private void execute(int shard, String sql) throws SQLException {
    try (Statement st = physical(shard).createStatement()) {
      st.execute(sql);
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
    resolver.close();
  }

  /**
   * One shard's connection: opens the physical connection on first use, reopens it after it broke (outside a
   * transaction), and records settings made while it is not open.
   */
  private final class Shard extends ForwardingConnection {
    private final int index;
    private volatile Connection physical;
    private volatile boolean xa; // in an XA branch (MariaDB), active or prepared
    private volatile boolean decisionTable; // this physical connection made sure the decision table exists
    private volatile long declared = -1; // the map version declared on the physical connection
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
      OpenCheck check = openCheck;
      if (check != null) {
        try {
          check.opened(index, c);
        } catch (SQLException | RuntimeException e) {
          closeQuietly(c);
          gates.release(index);
          throw e;
        }
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
      Metrics.connections(name(index), 1);
      decisionTable = false;
      if (specs.get(index).url().contains("jdbc:h2:")) {
        try {
          TwoPhase.createDecisionTable(c, TwoPhase.H2); // H2 commits a transaction at DDL: make it before any
          decisionTable = true;
        } catch (SQLException e) {
          // a read-only database or user: a commit over several shards will say what is missing
        }
      }
      ShardErrors.register(c, name(index));
      declared = -1;
      java.util.function.LongSupplier version = mapVersion;
      if (version != null) {
        try {
          declare(version.getAsLong());
        } catch (SQLException | RuntimeException e) {
          discard();
          throw e;
        }
      }
      return c;
    }

    /** Declares the session's map version on the physical connection when it has not been declared there yet. */
    void declare(long version) throws SQLException {
      long d = declared;
      Connection c = physical;
      if (c == null || (d == version || d == Long.MIN_VALUE) && !closedQuietly(c)) {
        return; // not connected yet, or declared on this open connection: no lock (every statement passes here)
      }
      declareLocked(version); // a closed connection is replaced here (delegate()), outside a transaction
    }

    private synchronized void declareLocked(long version) throws SQLException {
      if (physical == null) {
        return; // not connected yet: open() declares the session's version when the statement first needs it
      }
      Connection c = delegate();
      if (declared == version || declared == Long.MIN_VALUE) {
        return;
      }
      try {
        if (MapVersionDeclaration.byFunction(specs.get(index).url())) {
          java.util.function.LongSupplier current = mapVersion;
          MapVersionDeclaration.register(c, current); // it reads the session's version at each call
          declared = Long.MIN_VALUE; // registered: never again on this connection
          return;
        }
        MapVersionDeclaration.declare(c, specs.get(index).url(), version);
      } catch (SQLException e) {
        throw ShardErrors.named(e, name(index));
      }
      declared = version;
    }

    /** Closes the physical connection, if open, and gives back its permit. */
    synchronized void discard() {
      Connection c = physical;
      if (c != null) {
        physical = null;
        xa = false;
        ShardErrors.unregister(c);
        closeQuietly(c);
        gates.release(index);
        Metrics.connections(name(index), -1);
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
          Metrics.connections(name(index), -1);
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
