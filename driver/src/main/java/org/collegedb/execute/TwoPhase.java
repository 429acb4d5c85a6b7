package org.collegedb.execute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.collegedb.config.ShardSpec;

/**
 * What two-phase commit looks like on each product, and the decision table: {@code collegedb_commits} on the
 * coordinator shard (the first shard of the transaction, by name), one row per decided global transaction, keyed by
 * its id. Whoever inserts the row for an id first decides: the committing connection inserts {@code commit} in the
 * coordinator's own local transaction (so the decision commits with the coordinator's changes), an in-doubt resolver
 * inserts {@code abort} in a transaction of its own. The primary key makes the two exclusive.
 */
enum TwoPhase {
  POSTGRES, H2, NONE;

  /**
   * The prefix of every global transaction id CollegeDB makes. A transaction's id is
   * {@code collegedb:<uuid>:<length of the coordinator's name>:<coordinator>}; each participant prepares under that id
   * followed by {@code :<participant>} (PostgreSQL's prepared ids are global to the server, and shards may share one).
   */
  static final String GID_PREFIX = "collegedb:";
  private static final Set<String> TABLES_MADE = ConcurrentHashMap.newKeySet();

  static TwoPhase of(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgres")) {
      return POSTGRES;
    }
    if (product.contains("h2")) {
      return H2;
    }
    return NONE;
  }

  /** From a URL alone (for the resolver, which looks before connecting): only products that keep in-doubt state. */
  static TwoPhase ofUrl(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.contains("jdbc:postgresql:")) {
      return POSTGRES;
    }
    return NONE; // H2 in memory loses prepared transactions with the process; SQLite cannot prepare
  }

  /** A new transaction id, coordinated by shard {@code coordinator}. */
  static String gid(String coordinator) {
    return GID_PREFIX + java.util.UUID.randomUUID() + ":" + coordinator.length() + ":" + coordinator;
  }

  /** The id participant {@code participant} prepares under. */
  static String branch(String gid, String participant) {
    return gid + ":" + participant;
  }

  /** The transaction id (the decision's key) of a participant's prepared id, or null if it is not CollegeDB's. */
  static String transactionOf(String branch) {
    int start = GID_PREFIX.length() + 37;
    if (branch == null || !branch.startsWith(GID_PREFIX) || branch.length() <= start) {
      return null;
    }
    int colon = branch.indexOf(':', start);
    if (colon < 0) {
      return null;
    }
    try {
      int length = Integer.parseInt(branch.substring(start, colon));
      return branch.substring(0, Math.min(branch.length(), colon + 1 + length));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The coordinator shard's name in a transaction id. */
  static String coordinatorOf(String gid) {
    int start = GID_PREFIX.length() + 37;
    int colon = gid.indexOf(':', start);
    return gid.substring(colon + 1);
  }

  static String decisionTable(TwoPhase p) {
    return p == NONE ? "collegedb_commits" : "collegedb_internal.collegedb_commits";
  }

  /** Creates the decision table on {@code shard} once per JVM, on a connection of its own (DDL may commit). */
  static void ensureDecisionTable(ShardSpec shard, TwoPhase p) throws SQLException {
    if (TABLES_MADE.contains(shard.url())) {
      return;
    }
    try (Connection c = BackendDrivers.connect(shard); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS collegedb_internal");
      s.execute("CREATE TABLE IF NOT EXISTS " + decisionTable(p) + " (gid VARCHAR(200) PRIMARY KEY, "
          + "outcome VARCHAR(8) NOT NULL, participants VARCHAR(4000), decided TIMESTAMP)");
    } catch (SQLException e) {
      throw ShardErrors.named(e, shard.name());
    }
    TABLES_MADE.add(shard.url());
  }

  /** Phase one on a participant, inside its transaction. */
  void prepare(Connection c, String gid) throws SQLException {
    try (Statement s = c.createStatement()) {
      switch (this) {
        case POSTGRES -> s.execute("PREPARE TRANSACTION '" + gid + "'");
        case H2 -> s.execute("PREPARE COMMIT \"" + gid + "\"");
        default -> throw new IllegalStateException("cannot prepare on " + this);
      }
    }
  }

  /** Phase two on the connection that prepared. */
  void commitPrepared(Connection c, String gid) throws SQLException {
    switch (this) {
      case POSTGRES -> {
        c.setAutoCommit(true); // COMMIT PREPARED cannot run inside a transaction block
        try (Statement s = c.createStatement()) {
          s.execute("COMMIT PREPARED '" + gid + "'");
        }
      }
      case H2 -> c.commit();
      default -> throw new IllegalStateException("cannot prepare on " + this);
    }
  }

  /** Undoes a prepared transaction on the connection that prepared it. */
  void rollbackPrepared(Connection c, String gid) throws SQLException {
    switch (this) {
      case POSTGRES -> {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("ROLLBACK PREPARED '" + gid + "'");
        }
      }
      case H2 -> c.rollback();
      default -> throw new IllegalStateException("cannot prepare on " + this);
    }
  }

  /**
   * Finishes {@code gid} on a fresh connection to a participant (not the one that prepared it, which may be gone).
   * Returns false when there was nothing prepared under that id there (already finished, or never prepared).
   */
  boolean finish(ShardSpec shard, String gid, boolean commit) throws SQLException {
    if (this != POSTGRES) {
      return false; // H2 in memory: a prepared transaction ends with its session
    }
    try (Connection c = BackendDrivers.connect(shard); Statement s = c.createStatement()) {
      s.execute((commit ? "COMMIT" : "ROLLBACK") + " PREPARED '" + gid + "'");
      return true;
    } catch (SQLException e) {
      if ("42704".equals(e.getSQLState())) {
        return false; // undefined_object: no prepared transaction with that id
      }
      throw ShardErrors.named(e, shard.name());
    }
  }

  /** CollegeDB's prepared transactions waiting on {@code c}'s database. */
  List<String> inDoubt(Connection c) throws SQLException {
    List<String> gids = new ArrayList<>();
    if (this != POSTGRES) {
      return gids;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT gid FROM pg_prepared_xacts "
        + "WHERE database = current_database() AND gid LIKE ?")) {
      ps.setString(1, GID_PREFIX + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          gids.add(rs.getString(1));
        }
      }
    }
    return gids;
  }

  /** {@code SHOW max_prepared_transactions} on PostgreSQL; a large number elsewhere. */
  int capacity(Connection c) throws SQLException {
    if (this != POSTGRES) {
      return Integer.MAX_VALUE;
    }
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW max_prepared_transactions")) {
      rs.next();
      return Integer.parseInt(rs.getString(1).trim());
    }
  }

  /**
   * Decides {@code gid} for a resolver: inserts {@code abort} on the coordinator unless a decision is there already.
   * Returns true if the transaction committed. Waits while the committing connection still holds the row.
   */
  static boolean decide(ShardSpec coordinator, TwoPhase p, String gid) throws SQLException {
    ensureDecisionTable(coordinator, p);
    String table = decisionTable(p);
    try (Connection c = BackendDrivers.connect(coordinator)) {
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table
          + " (gid, outcome, participants, decided) VALUES (?, 'abort', NULL, CURRENT_TIMESTAMP)")) {
        ins.setString(1, gid);
        ins.executeUpdate();
        return false; // the abort is the decision now
      } catch (SQLException e) {
        if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
          throw ShardErrors.named(e, coordinator.name());
        }
      }
      try (PreparedStatement q = c.prepareStatement("SELECT outcome FROM " + table + " WHERE gid = ?")) {
        q.setString(1, gid);
        try (ResultSet rs = q.executeQuery()) {
          return rs.next() && "commit".equals(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw ShardErrors.named(e, coordinator.name());
    }
  }

  /** Removes a decision once every participant has finished. */
  static void forget(Connection c, TwoPhase p, String gid) throws SQLException {
    try (PreparedStatement d = c.prepareStatement("DELETE FROM " + decisionTable(p) + " WHERE gid = ?")) {
      d.setString(1, gid);
      d.executeUpdate();
    }
  }
}
