package org.collegedb.internal.execute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransactionRollbackException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.FailureSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a transaction over several shards all or nothing: two-phase commit with the decision recorded on the
 * coordinator shard (the transaction's first shard by name) in the coordinator's own local transaction.
 *
 * <ol>
 *   <li>Every other shard (a participant) prepares ({@code PREPARE TRANSACTION} on PostgreSQL, {@code PREPARE COMMIT}
 *       on H2). If one fails, every shard rolls back, and the error names the shard.</li>
 *   <li>The coordinator inserts the decision ({@code commit}) into {@code collegedb_commits} and commits its local
 *       transaction: that commit is the commit point. Its own changes need no prepare.</li>
 *   <li>The participants commit their prepared transactions. One that cannot (its connection was cut) is finished on
 *       a new connection, or later by the in-doubt resolver ({@link InDoubtResolver}), which reads the decision.</li>
 * </ol>
 *
 * <p>If the coordinator's commit itself fails with its connection, the outcome is settled on a new connection: the
 * resolver's rule (insert {@code abort} unless a decision is there) says whether the commit happened. If the
 * coordinator cannot be reached, the {@link SQLException} has SQLState 08007 (outcome unknown) and the resolver
 * finishes the transaction when the shard is back.
 */
final class AtomicCommit {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicCommit.class);
  private static final Map<String, Integer> CAPACITY = new ConcurrentHashMap<>();

  private AtomicCommit() {
  }

  /**
   * Whether {@code shards} commit with two-phase commit. Refuses (after rolling every shard back) when
   * {@code transactions=atomic} was asked for and the shards cannot prepare.
   */
  static boolean applies(ShardConnections sc, BitSet shards, FailureSpec.Transactions mode) throws SQLException {
    if (mode == FailureSpec.Transactions.BEST_EFFORT) {
      return false;
    }
    int first = shards.nextSetBit(0);
    TwoPhase p = TwoPhase.of(sc.physical(first));
    if (p == TwoPhase.MARIADB) {
      return sc.inXa(first); // the shards joined as XA branches (see ShardConnections.use)
    }
    if (p == TwoPhase.NONE) {
      if (mode == FailureSpec.Transactions.ATOMIC) {
        rollbackAll(sc, shards);
        throw new SQLFeatureNotSupportedException("transactions=atomic, but shard '" + sc.name(first)
            + "' is of a product CollegeDB has no two-phase commit for (SQLite): the transaction over " + names(sc, shards)
            + " was rolled back. Set transactions=best-effort to commit shard by shard", SqlStates.NOT_SUPPORTED);
      }
      return false; // SQLite by default: shard by shard (see README, Failures)
    }
    for (int s = shards.nextSetBit(0); s >= 0; s = shards.nextSetBit(s + 1)) {
      if (s == first) {
        continue; // the coordinator does not prepare
      }
      String url = sc.spec(s).url();
      Integer capacity = CAPACITY.get(url);
      if (capacity == null) {
        capacity = p.capacity(sc.physical(s));
        CAPACITY.put(url, capacity);
      }
      if (capacity == 0) {
        if (mode == null || mode == FailureSpec.Transactions.ATOMIC) {
          rollbackAll(sc, shards);
          throw new SQLException("shard '" + sc.name(s) + "': PostgreSQL's setting max_prepared_transactions is 0, "
              + "so this transaction over " + names(sc, shards) + " cannot commit atomically and was rolled back. "
              + "Raise it on the server (ALTER SYSTEM SET max_prepared_transactions = 64, then restart PostgreSQL), or "
              + "set transactions=best-effort to commit shard by shard", SqlStates.PREPARE_UNAVAILABLE);
        }
      }
    }
    return true;
  }

  /** PostgreSQL, H2: a new transaction id, coordinated by the first shard. */
  static void commit(ShardConnections sc, BitSet shards) throws SQLException {
    int coordinator = shards.nextSetBit(0);
    commit(sc, shards, TwoPhase.gid(sc.spec(coordinator)), coordinator, TwoPhase.of(sc.physical(coordinator)));
  }

  /**
   * Commits {@code shards} under transaction id {@code gid}. On MariaDB every shard, the coordinator too, is an XA
   * branch started when it joined, and the decision is written on a connection of its own to the coordinator; on
   * PostgreSQL and H2 the coordinator does not prepare and writes the decision in its own transaction.
   */
  static void commit(ShardConnections sc, BitSet shards, String gid, int coordinator, TwoPhase p)
      throws SQLException {
    boolean xa = p == TwoPhase.MARIADB;
    try {
      if (xa) {
        TwoPhase.ensureDecisionTable(sc.spec(coordinator), p, false);
      } else if (!sc.decisionTableReady(coordinator)) {
        // PostgreSQL: in the coordinator's own transaction (DDL is transactional there); H2 made it when it connected
        TwoPhase.createDecisionTable(sc.physical(coordinator), p);
        sc.decisionTableMade(coordinator);
      }
    } catch (SQLException e) {
      abort(sc, shards, p, gid, List.of());
      throw ShardErrors.named(e, sc.name(coordinator));
    }
    List<Integer> prepared = new ArrayList<>();
    // phase one
    for (int s = shards.nextSetBit(0); s >= 0; s = shards.nextSetBit(s + 1)) {
      if (s == coordinator && !xa) {
        continue; // the coordinator does not prepare: its commit is the decision
      }
      try {
        p.prepare(sc.physical(s), gid, sc.name(s));
        prepared.add(s);
      } catch (SQLException e) {
        if (ShardConnections.connectionLost(e)) {
          sc.discard(s);
          prepared.add(s); // it may have prepared before the connection went: undo it on a new connection
        }
        abort(sc, shards, p, gid, prepared);
        throw ShardErrors.named(new SQLTransactionRollbackException("prepare failed, so the transaction was rolled "
            + "back on every shard " + names(sc, shards) + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(),
            e), sc.name(s));
      }
    }
    // the decision: on PostgreSQL and H2 with the coordinator's own changes
    Connection c = null;
    try {
      if (xa) {
        try (Connection d = BackendDrivers.connect(sc.spec(coordinator))) {
          try {
            decide(d, p, gid, sc, shards);
          } catch (SQLException e) {
            if (!TwoPhase.missingTable(e)) {
              throw e;
            }
            TwoPhase.createDecisionTable(d, p); // the database was made again since this JVM made the table
            decide(d, p, gid, sc, shards);
          }
        }
      } else {
        c = sc.physical(coordinator);
        decide(c, p, gid, sc, shards);
        c.commit();
      }
    } catch (SQLException e) {
      boolean committed = false;
      if (ShardConnections.connectionLost(e)) {
        if (!xa) {
          sc.discard(coordinator);
        }
        try {
          committed = TwoPhase.decide(sc.spec(coordinator), p, gid);
        } catch (SQLException unknown) {
          e.addSuppressed(unknown);
          throw ShardErrors.named(new SQLException("the connection to the coordinating shard was lost at commit, "
              + "and the shard cannot be reached to learn the outcome: the transaction over " + names(sc, shards)
              + " is in doubt; its prepared shards keep their locks until the shard is back, when it is finished "
              + "(committed on all shards or on none): " + e.getMessage(),
              SqlStates.TRANSACTION_RESOLUTION_UNKNOWN, e.getErrorCode(), e), sc.name(coordinator));
        }
      } else if (!xa) {
        sc.rollbackQuietly(coordinator);
      }
      if (!committed) {
        abort(sc, shards, p, gid, prepared);
        throw ShardErrors.named(new SQLTransactionRollbackException("commit failed on the coordinating shard, so "
            + "the transaction was rolled back on every shard " + names(sc, shards) + ": " + e.getMessage(),
            e.getSQLState() != null && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("23"))
                ? SqlStates.ROLLED_BACK : e.getSQLState(),
            e.getErrorCode(), e), sc.name(coordinator));
      }
    }
    // phase two: the transaction is committed; make every participant say so
    boolean allDone = true;
    for (int s : prepared) {
      try {
        p.commitPrepared(sc.physical(s), gid, sc.name(s));
      } catch (SQLException e) {
        sc.discard(s);
        try {
          p.finish(sc.spec(s), gid, sc.name(s), true);
        } catch (SQLException later) {
          allDone = false;
          LOG.warn("shard '{}': committed transaction {} is still prepared there ({}); the in-doubt resolver "
              + "commits it when the shard is reachable", sc.name(s), gid, later.getMessage());
        }
      }
      sc.endedXa(s);
    }
    if (allDone) {
      try {
        if (xa) {
          try (Connection d = BackendDrivers.connect(sc.spec(coordinator))) {
            TwoPhase.forget(d, p, gid);
          }
        } else {
          if (!c.getAutoCommit()) {
            c.setAutoCommit(true);
          }
          TwoPhase.forget(c, p, gid);
        }
      } catch (SQLException e) {
        if (!xa) {
          sc.discard(coordinator); // the decision row stays: harmless, it only answers for this id
        }
      }
    }
  }

  private static void decide(Connection c, TwoPhase p, String gid, ShardConnections sc, BitSet shards)
      throws SQLException {
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + TwoPhase.decisionTable(p)
        + " (gid, outcome, participants, decided) VALUES (?, 'commit', ?, CURRENT_TIMESTAMP)")) {
      ins.setString(1, gid);
      ins.setString(2, String.join(",", names(sc, shards)));
      ins.executeUpdate();
    }
  }

  /** Rolls back the unprepared shards, and the prepared ones with ROLLBACK PREPARED (on a new connection if need be). */
  private static void abort(ShardConnections sc, BitSet shards, TwoPhase p, String gid, List<Integer> prepared) {
    for (int s = shards.nextSetBit(0); s >= 0; s = shards.nextSetBit(s + 1)) {
      if (!prepared.contains(s)) {
        sc.rollbackQuietly(s);
        continue;
      }
      try {
        if (sc.connected(s)) {
          p.rollbackPrepared(sc.physical(s), gid, sc.name(s));
        } else {
          p.finish(sc.spec(s), gid, sc.name(s), false);
        }
      } catch (SQLException e) {
        sc.discard(s);
        try {
          p.finish(sc.spec(s), gid, sc.name(s), false);
        } catch (SQLException later) {
          LOG.warn("shard '{}': rolled-back transaction {} may still be prepared there ({}); the in-doubt resolver "
              + "rolls it back when the shard is reachable", sc.name(s), gid, later.getMessage());
        }
      }
      sc.endedXa(s);
    }
  }

  private static void rollbackAll(ShardConnections sc, BitSet shards) {
    for (int s = shards.nextSetBit(0); s >= 0; s = shards.nextSetBit(s + 1)) {
      sc.rollbackQuietly(s);
    }
  }

  static List<String> names(ShardConnections sc, BitSet shards) {
    List<String> names = new ArrayList<>();
    for (int s = shards.nextSetBit(0); s >= 0; s = shards.nextSetBit(s + 1)) {
      names.add(sc.name(s));
    }
    return names;
  }
}
