package org.collegedb.internal.execute;

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
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.schema.CreateIfMissing;

/**
 * What two-phase commit looks like on each product, and the decision table: {@code collegedb_commits} on the
 * coordinator shard (the first shard of the transaction, by name), one row per decided global transaction, keyed by
 * its id. Whoever inserts the row for an id first decides: the committing connection inserts {@code commit} in the
 * coordinator's own local transaction (so the decision commits with the coordinator's changes), an in-doubt resolver
 * inserts {@code abort} in a transaction of its own. The primary key makes the two exclusive.
 */
enum TwoPhase {
  POSTGRES, H2, MARIADB, NONE;

  /**
   * The prefix of every global transaction id CollegeDB makes. A transaction's id is
   * {@code collegedb:<12 hex random>:<8 hex token of the coordinator's URL>:<length of its name>:<coordinator>}
   * (at most 64 bytes for MariaDB's XA with coordinator names up to 29 characters). Each participant prepares under
   * its own branch: on PostgreSQL the id followed by {@code :<participant>} (prepared ids are global to the server,
   * and shards may share one), on MariaDB the XA id {@code '<id>','<participant>'}.
   */
  static final String GID_PREFIX = "collegedb:";
  private static final int NAME_START = GID_PREFIX.length() + 12 + 1 + 8 + 1;
  private static final Set<String> TABLES_MADE = ConcurrentHashMap.newKeySet();
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  static TwoPhase of(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgres")) {
      return POSTGRES;
    }
    if (product.contains("h2")) {
      return H2;
    }
    if (product.contains("mariadb") || product.contains("mysql")) {
      return MARIADB;
    }
    return NONE;
  }

  /** From a URL alone (for the resolver, which looks before connecting): only products that keep in-doubt state. */
  static TwoPhase ofUrl(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.contains("jdbc:postgresql:")) {
      return POSTGRES;
    }
    if (u.contains("jdbc:mariadb:") || u.contains("jdbc:mysql:")) {
      return MARIADB;
    }
    return NONE; // H2 in memory loses prepared transactions with the process; SQLite cannot prepare
  }

  /** The 8 hex digits that tie an id to the coordinator's database (MariaDB lists XA ids server-wide). */
  static String token(String url) {
    return String.format("%08x", url.hashCode());
  }

  /** A new transaction id, coordinated by {@code coordinator}. */
  static String gid(ShardSpec coordinator) {
    return GID_PREFIX + String.format("%012x", RANDOM.nextLong() & 0xffffffffffffL) + ":" + token(coordinator.url())
        + ":" + coordinator.name().length() + ":" + coordinator.name();
  }

  /** The id participant {@code participant} prepares under on PostgreSQL. */
  static String branch(String gid, String participant) {
    return gid + ":" + participant;
  }

  /** The transaction id (the decision's key) of a PostgreSQL branch id, or null if it is not CollegeDB's. */
  static String transactionOf(String branch) {
    if (branch == null || !branch.startsWith(GID_PREFIX) || branch.length() <= NAME_START) {
      return null;
    }
    int colon = branch.indexOf(':', NAME_START);
    if (colon < 0) {
      return null;
    }
    try {
      int length = Integer.parseInt(branch.substring(NAME_START, colon));
      return branch.substring(0, Math.min(branch.length(), colon + 1 + length));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The coordinator shard's name in a transaction id. */
  static String coordinatorOf(String gid) {
    int colon = gid.indexOf(':', NAME_START);
    return gid.substring(colon + 1);
  }

  /** The coordinator's URL token in a transaction id. */
  static String tokenOf(String gid) {
    return gid.substring(GID_PREFIX.length() + 13, GID_PREFIX.length() + 21);
  }

  static String decisionTable(TwoPhase p) {
    return p == MARIADB || p == NONE ? "collegedb_commits" : "collegedb_internal.collegedb_commits";
  }

  private static String xid(String gid, String participant) {
    return "'" + gid.replace("'", "''") + "','" + participant.replace("'", "''") + "'";
  }

  /** MariaDB: joins the shard to the global transaction (the connection stays in auto-commit mode). */
  static void xaStart(Connection c, String gid, String participant) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("XA START " + xid(gid, participant));
    }
  }

  /** MariaDB: ends and commits a branch that is the transaction's only one. */
  static void xaCommitOnePhase(Connection c, String gid, String participant) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("XA END " + xid(gid, participant));
      s.execute("XA COMMIT " + xid(gid, participant) + " ONE PHASE");
    }
  }

  /** MariaDB: ends and rolls back an active (not prepared) branch. */
  static void xaRollback(Connection c, String gid, String participant) throws SQLException {
    try (Statement s = c.createStatement()) {
      try {
        s.execute("XA END " + xid(gid, participant));
      } catch (SQLException e) {
        // already ended (or idle): roll back all the same
      }
      s.execute("XA ROLLBACK " + xid(gid, participant));
    }
  }

  /** Whether {@code e} is MariaDB refusing a statement inside an XA transaction (DDL, for one). */
  static boolean xaRefused(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && (s.getErrorCode() == 1399 || s.getErrorCode() == 1400
          || "XAE07".equals(s.getSQLState()) || "XAE09".equals(s.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Creates the decision table on {@code shard}, on a connection of its own (MariaDB, the resolver): once per JVM per
   * URL unless {@code again} (after an insert found it missing: the database was dropped and made again).
   */
  static void ensureDecisionTable(ShardSpec shard, TwoPhase p, boolean again) throws SQLException {
    if (!again && TABLES_MADE.contains(shard.url())) {
      return;
    }
    try (Connection c = BackendDrivers.connect(shard)) {
      createDecisionTable(c, p);
    } catch (SQLException e) {
      throw ShardErrors.named(e, shard.name());
    }
    TABLES_MADE.add(shard.url());
  }

  /**
   * {@code CREATE TABLE IF NOT EXISTS} of the decision table on {@code c} (and its schema on H2). On PostgreSQL it runs
   * in the coordinator's transaction: instances making their first atomic commits on a shard at once race to create
   * it, which {@code CreateIfMissing} tolerates under a savepoint.
   */
  static void createDecisionTable(Connection c, TwoPhase p) throws SQLException {
    if (p == H2) {
      CreateIfMissing.run(c, "CREATE SCHEMA IF NOT EXISTS collegedb_internal /* for collegedb_commits */");
    }
    CreateIfMissing.run(c, "CREATE TABLE IF NOT EXISTS " + decisionTable(p) + " (gid VARCHAR(200) PRIMARY KEY, "
        + "outcome VARCHAR(8) NOT NULL, participants VARCHAR(4000), decided TIMESTAMP)");
  }

  /** Whether {@code e} says a table does not exist. */
  static boolean missingTable(SQLException e) {
    String state = e.getSQLState();
    return "42P01".equals(state) || "42S02".equals(state) || "42102".equals(state) || e.getErrorCode() == 1146;
  }

  /** Phase one on a participant, inside its transaction. */
  void prepare(Connection c, String gid, String participant) throws SQLException {
    try (Statement s = c.createStatement()) {
      switch (this) {
        case POSTGRES -> s.execute("PREPARE TRANSACTION '" + branch(gid, participant) + "'");
        case H2 -> s.execute("PREPARE COMMIT \"" + branch(gid, participant) + "\"");
        case MARIADB -> {
          s.execute("XA END " + xid(gid, participant));
          s.execute("XA PREPARE " + xid(gid, participant));
        }
        default -> throw new IllegalStateException("cannot prepare on " + this);
      }
    }
  }

  /** Phase two on the connection that prepared. */
  void commitPrepared(Connection c, String gid, String participant) throws SQLException {
    switch (this) {
      case POSTGRES -> {
        c.setAutoCommit(true); // COMMIT PREPARED cannot run inside a transaction block
        try (Statement s = c.createStatement()) {
          s.execute("COMMIT PREPARED '" + branch(gid, participant) + "'");
        }
      }
      case MARIADB -> {
        try (Statement s = c.createStatement()) {
          s.execute("XA COMMIT " + xid(gid, participant));
        }
      }
      case H2 -> c.commit();
      default -> throw new IllegalStateException("cannot prepare on " + this);
    }
  }

  /** Undoes a prepared transaction on the connection that prepared it. */
  void rollbackPrepared(Connection c, String gid, String participant) throws SQLException {
    switch (this) {
      case POSTGRES -> {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("ROLLBACK PREPARED '" + branch(gid, participant) + "'");
        }
      }
      case MARIADB -> {
        try (Statement s = c.createStatement()) {
          s.execute("XA ROLLBACK " + xid(gid, participant));
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
  boolean finish(ShardSpec shard, String gid, String participant, boolean commit) throws SQLException {
    if (this != POSTGRES && this != MARIADB) {
      return false; // H2 in memory: a prepared transaction ends with its session
    }
    String sql = this == POSTGRES ? (commit ? "COMMIT" : "ROLLBACK") + " PREPARED '" + branch(gid, participant) + "'"
        : "XA " + (commit ? "COMMIT " : "ROLLBACK ") + xid(gid, participant);
    try (Connection c = BackendDrivers.connect(shard); Statement s = c.createStatement()) {
      for (int attempt = 0; ; attempt++) {
        try {
          s.execute(sql);
          return true;
        } catch (SQLException e) {
          if (!"42704".equals(e.getSQLState()) && e.getErrorCode() != 1397 && !"XAE04".equals(e.getSQLState())) {
            throw e;
          }
          // no prepared transaction with that id (PostgreSQL undefined_object, MariaDB XAER_NOTA); on MariaDB a
          // branch is also unknown to other sessions while the session that prepared it has not ended yet
          if (this != MARIADB || attempt >= 30 || !listed(c, gid, participant)) {
            return false;
          }
          Thread.sleep(100);
        }
      }
    } catch (SQLException e) {
      throw ShardErrors.named(e, shard.name());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean listed(Connection c, String gid, String participant) throws SQLException {
    for (String[] b : inDoubt(c, participant)) {
      if (b[0].equals(gid)) {
        return true;
      }
    }
    return false;
  }

  /**
   * CollegeDB's prepared transactions waiting on {@code c}'s database for participant {@code participant}, as
   * [transaction id, participant] pairs.
   */
  List<String[]> inDoubt(Connection c, String participant) throws SQLException {
    List<String[]> found = new ArrayList<>();
    if (this == POSTGRES) {
      try (PreparedStatement ps = c.prepareStatement("SELECT gid FROM pg_prepared_xacts "
          + "WHERE database = current_database() AND gid LIKE ?")) {
        ps.setString(1, GID_PREFIX + "%");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String gid = transactionOf(rs.getString(1));
            if (gid != null && rs.getString(1).equals(branch(gid, participant))) {
              found.add(new String[] {gid, participant});
            }
          }
        }
      }
    } else if (this == MARIADB) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("XA RECOVER")) {
        while (rs.next()) {
          int gtridLength = rs.getInt("gtrid_length");
          String data = rs.getString("data");
          if (data == null || data.length() < gtridLength) {
            continue;
          }
          String gid = data.substring(0, gtridLength);
          String bqual = data.substring(gtridLength);
          if (gid.startsWith(GID_PREFIX) && bqual.equals(participant)) {
            found.add(new String[] {gid, participant}); // XA ids are server-wide: the branch names the shard
          }
        }
      }
    }
    return found;
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
    ensureDecisionTable(coordinator, p, true);
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
