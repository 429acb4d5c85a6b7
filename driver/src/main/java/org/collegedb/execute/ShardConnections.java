package org.collegedb.execute;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.config.ShardSpec;
import org.collegedb.metrics.Metrics;

/**
 * The physical connections behind one logical CollegeDB connection, one per shard, and the state of their
 * transactions.
 *
 * <p>With auto-commit off, a shard's transaction opens lazily: its connection leaves auto-commit mode the first time
 * a statement touches it. {@link #commit()} and {@link #rollback()} apply to the shards touched since the last one.
 * A transaction that touched one shard is atomic. One that touched several is committed shard by shard in name
 * order: if a commit fails, the shards before it stay committed, the failing one and those after it are rolled back,
 * and the {@link SQLException} (SQLState 40003) names each group.
 */
public final class ShardConnections implements AutoCloseable {
  private final List<ShardSpec> specs;
  private final Connection[] physical;
  private final BitSet touched = new BitSet(); // shards whose auto-commit is off for the current transaction
  private boolean autoCommit = true;
  private int atomicDepth; // nesting of atomically(): only the outermost commits

  private ShardConnections(List<ShardSpec> specs, Connection[] physical) {
    this.specs = specs;
    this.physical = physical;
  }

  /** Connects to every shard; if one cannot be reached, closes the others and names it. */
  public static ShardConnections open(List<ShardSpec> specs) throws SQLException {
    Connection[] physical = new Connection[specs.size()];
    try {
      for (int i = 0; i < physical.length; i++) {
        physical[i] = BackendDrivers.connect(specs.get(i));
        Metrics.connections(specs.get(i).name(), 1);
      }
    } catch (SQLException e) {
      for (int i = 0; i < physical.length; i++) {
        if (physical[i] != null) {
          closeQuietly(physical[i]);
          Metrics.connections(specs.get(i).name(), -1);
        }
      }
      throw e;
    }
    return new ShardConnections(specs, physical);
  }

  public int size() {
    return physical.length;
  }

  public String name(int shard) {
    return specs.get(shard).name();
  }

  public ShardSpec spec(int shard) {
    return specs.get(shard);
  }

  /** The shard's connection, without starting anything on it: for metadata and settings. */
  public Connection raw(int shard) {
    return physical[shard];
  }

  /** The shard's connection, for a statement: in a transaction, the shard joins it. */
  public Connection use(int shard) throws SQLException {
    Connection c = physical[shard];
    if (!autoCommit && !touched.get(shard)) {
      if (c.getAutoCommit()) {
        c.setAutoCommit(false);
      }
      touched.set(shard);
    }
    return c;
  }

  public boolean autoCommit() {
    return autoCommit;
  }

  public void setAutoCommit(boolean on) throws SQLException {
    if (on == autoCommit) {
      return;
    }
    if (on) {
      commit(); // JDBC: turning auto-commit on commits the open transaction
      for (Connection c : physical) {
        if (!c.getAutoCommit()) {
          c.setAutoCommit(true);
        }
      }
    }
    autoCommit = on;
  }

  /** The shards in the current transaction. */
  public BitSet touched() {
    return (BitSet) touched.clone();
  }

  public void commit() throws SQLException {
    commit(touched);
    touched.clear();
  }

  public void rollback() throws SQLException {
    SQLException first = null;
    for (int s = touched.nextSetBit(0); s >= 0; s = touched.nextSetBit(s + 1)) {
      try {
        physical[s].rollback();
      } catch (SQLException e) {
        if (first == null) {
          first = new SQLException("rollback failed on shard '" + name(s) + "': " + e.getMessage(),
              e.getSQLState(), e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    touched.clear();
    if (first != null) {
      throw first;
    }
  }

  /** Commits the shards in {@code shards}, in name order, rolling back the rest if one fails. */
  void commit(BitSet shards) throws SQLException {
    List<String> committed = new ArrayList<>();
    for (int s = shards.nextSetBit(0); s >= 0; s = shards.nextSetBit(s + 1)) {
      try {
        physical[s].commit();
        committed.add(name(s));
      } catch (SQLException e) {
        List<String> rolledBack = new ArrayList<>();
        for (int r = s; r >= 0; r = shards.nextSetBit(r + 1)) {
          try {
            physical[r].rollback();
          } catch (SQLException ignored) {
            e.addSuppressed(ignored);
          }
          rolledBack.add(name(r));
        }
        if (committed.isEmpty()) {
          throw new SQLException("commit failed on shard '" + name(s) + "'; nothing was committed: "
              + e.getMessage(), e.getSQLState(), e);
        }
        throw new SQLException("commit failed on shard '" + name(s) + "' after shards " + committed
            + " had committed; shards " + rolledBack + " were rolled back. The transaction is only partly applied: "
            + e.getMessage(), SqlStates.PARTIAL_COMMIT, e);
      }
    }
  }

  /**
   * Runs {@code work} as one local transaction on each of {@code shards}: for a write that spans shards in
   * auto-commit mode, so that a statement failing on one shard leaves no shard changed. In a transaction, the
   * shards join it, and a savepoint on each undoes the whole statement if it fails on any of them.
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
    for (int s : shards) {
      physical[s].setAutoCommit(false);
      these.set(s);
    }
    try {
      T result;
      try {
        result = work.run();
      } catch (SQLException | RuntimeException e) {
        for (int s : shards) {
          try {
            physical[s].rollback();
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
        }
        throw e;
      }
      commit(these);
      return result;
    } finally {
      atomicDepth--;
      for (int s : shards) {
        try {
          physical[s].setAutoCommit(true);
        } catch (SQLException ignored) {
          // the connection is broken; the next use reports it
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
      points[i] = use(shards[i]).setSavepoint();
    }
    atomicDepth++;
    try {
      T result;
      try {
        result = work.run();
      } catch (SQLException | RuntimeException e) {
        for (int i = 0; i < shards.length; i++) {
          try {
            physical[shards[i]].rollback(points[i]);
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
        }
        throw e;
      }
      for (int i = 0; i < shards.length; i++) {
        try {
          physical[shards[i]].releaseSavepoint(points[i]);
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

  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (int s = 0; s < physical.length; s++) {
      try {
        if (!autoCommit && touched.get(s) && !physical[s].isClosed()) {
          physical[s].rollback(); // JDBC leaves this to the driver; rolling back is the safe choice
        }
        if (!physical[s].isClosed()) {
          Metrics.connections(name(s), -1);
        }
        physical[s].close();
      } catch (SQLException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing after a failure to connect elsewhere
      }
    }
  }
}
