package org.collegedb.reshard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import org.collegedb.schema.Dialect;

/**
 * The durable record of long operations (reshard, split, unshard): the table {@value #TABLE}{@code (id, kind, state,
 * step, detail, updated_at)} on the first shard of the configuration (in {@code collegedb_internal} on PostgreSQL
 * and H2), so that a run killed at any step is resumed by the next, and {@code status} can show it. {@code state} is
 * {@code running}, {@code done} or {@code aborted}; {@code detail} is JSON.
 */
public final class Operations {
  public static final String TABLE = "collegedb_operations";

  /** One operation's row. */
  public record Entry(String id, String kind, String state, String step, String detail) {
  }

  private final Connection c;
  private final String table;

  public Operations(Connection c) throws SQLException {
    this.c = c;
    Dialect d = Dialect.detect(c);
    boolean ownSchema = d == Dialect.POSTGRES || d == Dialect.H2;
    this.table = (ownSchema ? "collegedb_internal." : "") + TABLE;
    try (Statement s = c.createStatement()) {
      if (ownSchema) {
        s.execute("CREATE SCHEMA IF NOT EXISTS collegedb_internal");
      }
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(64) NOT NULL PRIMARY KEY, kind VARCHAR(32) "
          + "NOT NULL, state VARCHAR(32) NOT NULL, step VARCHAR(64) NOT NULL, detail TEXT, updated_at TIMESTAMP)");
    }
  }

  /** The running operation of {@code kind}, if any. */
  public Entry running(String kind) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, state, step, detail FROM " + table
        + " WHERE kind = ? AND state = 'running' ORDER BY updated_at DESC")) {
      ps.setString(1, kind);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5)) : null;
      }
    }
  }

  public void insert(Entry e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " (id, kind, state, step, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, e.id());
      ps.setString(2, e.kind());
      ps.setString(3, e.state());
      ps.setString(4, e.step());
      ps.setString(5, e.detail());
      ps.setTimestamp(6, new Timestamp(System.currentTimeMillis()));
      ps.executeUpdate();
    }
  }

  public void update(String id, String state, String step, String detail) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
        + " SET state = ?, step = ?, detail = ?, updated_at = ? WHERE id = ?")) {
      ps.setString(1, state);
      ps.setString(2, step);
      ps.setString(3, detail);
      ps.setTimestamp(4, new Timestamp(System.currentTimeMillis()));
      ps.setString(5, id);
      if (ps.executeUpdate() != 1) {
        throw new SQLException("operation " + id + " is not in " + table, org.collegedb.SqlStates.GENERAL);
      }
    }
  }
}
