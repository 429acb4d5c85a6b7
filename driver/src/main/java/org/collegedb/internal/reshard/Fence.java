package org.collegedb.internal.reshard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.collegedb.internal.execute.MapVersionDeclaration;
import org.collegedb.internal.schema.CreateIfMissing;
import org.collegedb.internal.schema.Dialect;

/**
 * The write fence of one shard: the table {@value #TABLE} (one row: the map version the shard writes under) and a
 * trigger on every sharded table that compares it with the version the writing session declared
 * ({@link MapVersionDeclaration}) and refuses a write planned with an older map. The trigger reads the row with a
 * share lock (PostgreSQL {@code FOR SHARE}, MariaDB {@code LOCK IN SHARE MODE}, H2 {@code FOR UPDATE}; SQLite has one
 * writer at a time), so {@link #raise} waits for the writes in flight and every later write sees the new version.
 * Sessions that declare nothing (other tools) are let through on PostgreSQL, MariaDB and H2; on SQLite the trigger
 * calls {@code collegedb_map_version()}, which only CollegeDB's connections define, so other tools' writes to sharded
 * tables fail there.
 */
public final class Fence {
  public static final String TABLE = "collegedb_map_version";
  private static final String MESSAGE = MapVersionDeclaration.STALE_MARKER
      + ": this session routes with an older shard map than the one this shard writes under (a reshard moved keys)";

  private final Connection c;
  private final Dialect dialect;
  private final String table;

  public Fence(Connection c) throws SQLException {
    this.c = c;
    this.dialect = Dialect.detect(c);
    boolean ownSchema = dialect == Dialect.POSTGRES || dialect == Dialect.H2;
    this.table = (ownSchema ? "collegedb_internal." : "") + TABLE;
  }

  /** Creates the version row ({@code version}) if the shard has none. */
  public void prepare(long version) throws SQLException {
    if (dialect == Dialect.POSTGRES || dialect == Dialect.H2) {
      CreateIfMissing.run(c, "CREATE SCHEMA IF NOT EXISTS collegedb_internal");
    }
    CreateIfMissing.run(c, "CREATE TABLE IF NOT EXISTS " + table + " (id INT NOT NULL PRIMARY KEY, version BIGINT "
        + "NOT NULL)");
    if (current() < 0) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, version) VALUES (1, ?)")) {
        ps.setLong(1, version);
        ps.executeUpdate();
      } catch (SQLException raced) {
        if (current() < 0) {
          throw raced;
        }
      }
    }
  }

  /** The shard's version, or -1 when it has no fence. */
  public long current() throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM " + table
        + " WHERE id = 1")) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (SQLException e) {
      if (!c.getAutoCommit()) {
        throw e;
      }
      return -1;
    }
  }

  /**
   * Sets the shard's version to {@code version} (never lowers it) in a transaction of its own: it waits for the writes
   * in flight, and from its commit on, writes planned with an older map are refused.
   */
  public void raise(long version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET version = ? WHERE id = 1 AND version < ?")) {
      ps.setLong(1, version);
      ps.setLong(2, version);
      ps.executeUpdate();
    }
  }

  /**
   * Writes the version row unchanged, in a transaction of its own: the same lock, wait for the writes in flight and
   * commit as {@link #raise}, without fencing anything. The reshard times it before the fence to estimate the raise.
   */
  public void touch() throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE " + table + " SET version = version WHERE id = 1");
    }
  }

  /** Sets the version back (an aborted reshard). */
  public void reset(long version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET version = ? WHERE id = 1")) {
      ps.setLong(1, version);
      ps.executeUpdate();
    }
  }

  /**
   * Installs the fence trigger(s) on {@code tableName} (idempotent). A trigger already there is replaced with no
   * moment without one (a later reshard's prepare installs the fence again while writers run): in one transaction
   * where DDL is transactional (SQLite, PostgreSQL), {@code CREATE OR REPLACE} on MariaDB, and on H2 only when it is
   * missing, as the one trigger that also captures changes ({@code ChangeCapture.installH2Fence}).
   */
  public void install(String tableName) throws SQLException {
    String t = tableName.toLowerCase(java.util.Locale.ROOT);
    switch (dialect) {
      case SQLITE -> inOneTransaction(s -> {
        for (String op : new String[] {"INSERT", "UPDATE", "DELETE"}) {
          String name = trigger(t, op);
          s.execute("DROP TRIGGER IF EXISTS " + name);
          s.execute("CREATE TRIGGER " + name + " BEFORE " + op + " ON " + t + " BEGIN SELECT RAISE(ABORT, '"
              + MESSAGE + "') WHERE collegedb_map_version() < (SELECT version FROM " + table
              + " WHERE id = 1); END");
        }
      });
      case POSTGRES -> inOneTransaction(s -> {
        s.execute("CREATE OR REPLACE FUNCTION collegedb_internal.collegedb_fence() RETURNS trigger "
            + "LANGUAGE plpgsql AS $f$ DECLARE declared text; v bigint; BEGIN "
            + "declared := current_setting('collegedb.map_version', true); "
            + "IF declared IS NOT NULL AND declared <> '' THEN "
            + "SELECT version INTO v FROM " + table + " WHERE id = 1 FOR SHARE; "
            + "IF v IS NOT NULL AND declared::bigint < v THEN "
            + "RAISE EXCEPTION '" + MESSAGE + " (declared %, shard %)', declared, v USING ERRCODE = '40001'; "
            + "END IF; END IF; RETURN NULL; END $f$");
        s.execute("DROP TRIGGER IF EXISTS collegedb_fence ON " + t);
        s.execute("CREATE TRIGGER collegedb_fence BEFORE INSERT OR UPDATE OR DELETE ON " + t
            + " FOR EACH STATEMENT EXECUTE FUNCTION collegedb_internal.collegedb_fence()");
      });
      case MYSQL -> {
        boolean mariadb = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
            .contains("mariadb");
        try (Statement s = c.createStatement()) {
          for (String op : new String[] {"INSERT", "UPDATE", "DELETE"}) {
            String name = trigger(t, op);
            if (!mariadb) { // MySQL has no CREATE OR REPLACE TRIGGER: writes in between are not fenced
              s.execute("DROP TRIGGER IF EXISTS " + name);
            }
            s.execute("CREATE " + (mariadb ? "OR REPLACE " : "") + "TRIGGER " + name + " BEFORE " + op + " ON " + t
                + " FOR EACH ROW BEGIN "
                + "DECLARE v BIGINT; IF @collegedb_map_version IS NOT NULL THEN "
                + "SELECT version INTO v FROM " + table + " WHERE id = 1 LOCK IN SHARE MODE; "
                + "IF @collegedb_map_version < v THEN SIGNAL SQLSTATE '40001' SET MESSAGE_TEXT = '" + MESSAGE
                + "'; END IF; END IF; END");
          }
        }
      }
      // one trigger that fences and captures, created once: H2 fails statements in flight on a table whose
      // triggers change (org.collegedb.capture.H2CaptureTrigger)
      case H2 -> org.collegedb.capture.ChangeCapture.installH2Fence(c, t);
      default -> throw new SQLException("resharding does not support this database product",
          org.collegedb.SqlStates.NOT_SUPPORTED);
    }
  }

  /** Statements on the fence's connection. */
  @FunctionalInterface
  private interface Ddl {
    void run(Statement s) throws SQLException;
  }

  /**
   * Runs {@code ddl} in one transaction (the caller's, when one is open). SQLite's is {@code BEGIN IMMEDIATE}: it
   * waits for the write lock first (a deferred transaction that must upgrade to write fails at once when busy).
   */
  private void inOneTransaction(Ddl ddl) throws SQLException {
    boolean auto = c.getAutoCommit();
    if (auto && dialect == Dialect.SQLITE) {
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        try {
          ddl.run(s);
          s.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
          try {
            s.execute("ROLLBACK");
          } catch (SQLException ignored) {
            // the transaction is gone already
          }
          throw e;
        }
      }
      return;
    }
    try (Statement s = c.createStatement()) {
      if (auto) {
        c.setAutoCommit(false);
      }
      ddl.run(s);
      if (auto) {
        c.commit();
      }
    } catch (SQLException | RuntimeException e) {
      if (auto) {
        c.rollback();
      }
      throw e;
    } finally {
      if (auto) {
        c.setAutoCommit(true);
      }
    }
  }

  /** Removes the fence trigger(s) from {@code tableName}. */
  public void uninstall(String tableName) throws SQLException {
    String t = tableName.toLowerCase(java.util.Locale.ROOT);
    try (Statement s = c.createStatement()) {
      switch (dialect) {
        case SQLITE, MYSQL -> {
          for (String op : new String[] {"INSERT", "UPDATE", "DELETE"}) {
            s.execute("DROP TRIGGER IF EXISTS " + trigger(t, op));
          }
        }
        case POSTGRES -> s.execute("DROP TRIGGER IF EXISTS collegedb_fence ON " + t);
        case H2 -> s.execute("DROP TRIGGER IF EXISTS " + trigger(t, "all")); // an older version's; the new one stays
        default -> {
        }
      }
    }
  }

  private String trigger(String t, String op) {
    String name = "collegedb_fence_" + t + "_" + op.toLowerCase(java.util.Locale.ROOT);
    return name;
  }

  static String message() {
    return MESSAGE;
  }
}
