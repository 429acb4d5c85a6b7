package org.collegedb.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.collegedb.internal.config.DirectorySpec;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.execute.BackendDrivers;

/**
 * The durable state of long operations (split, unshard, reshard), one row each in {@code collegedb_operations}
 * ({@code id, kind, state, step, detail, updated_at}) in the directory database. Every save is committed at once,
 * so an operation killed at any point finds its last step, per-table progress and capture positions when run again.
 */
public final class OperationStore implements AutoCloseable {
  static final String TABLE = "collegedb_operations";

  private final Connection c;

  private OperationStore(Connection c) {
    this.c = c;
  }

  /** Opens the store in the directory database of a configuration, creating its table if need be. */
  public static OperationStore open(DirectorySpec directory) throws SQLException {
    Connection c = BackendDrivers.connect(new ShardSpec("directory", directory.url(), directory.user(),
        directory.password(), new Properties(), null, 0));
    try {
      String text = Product.of(directory.url()) == Product.MARIADB ? "LONGTEXT" : Product.of(directory.url())
          == Product.H2 ? "CLOB" : "TEXT";
      // every schema change opens it (run.ReshardGuard): instances' first ones may race on PostgreSQL
      org.collegedb.internal.schema.CreateIfMissing.run(c, "CREATE TABLE IF NOT EXISTS " + TABLE + " (id VARCHAR(200) "
          + "NOT NULL PRIMARY KEY, kind VARCHAR(40) NOT NULL, state VARCHAR(40) NOT NULL, step VARCHAR(200), detail "
          + text + ", updated_at BIGINT)");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new OperationStore(c);
  }

  /**
   * The operations recorded in a directory database, newest first; empty when it has no operations table (read
   * only: nothing is created).
   */
  public static List<Operation> list(DirectorySpec directory) throws SQLException {
    String url = directory.url();
    if (url.startsWith("jdbc:sqlite:") && !url.contains(":memory:")) {
      String path = url.substring("jdbc:sqlite:".length()).replaceFirst("^file:", "").replaceFirst("\\?.*$", "");
      if (!java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
        return List.of(); // no directory file yet: no operation ever ran (and none is created by looking)
      }
    }
    try (Connection c = BackendDrivers.connect(new ShardSpec("directory", directory.url(), directory.user(),
        directory.password(), new Properties(), null, 0))) {
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT id, kind, state, step, detail, updated_at FROM " + TABLE
               + " ORDER BY updated_at DESC")) {
        List<Operation> all = new ArrayList<>();
        while (rs.next()) {
          all.add(row(rs));
        }
        return all;
      } catch (SQLException e) {
        return List.of(); // no table: no operation ever ran
      }
    }
  }

  /** The newest operation of {@code kind} still {@code running}, or null. */
  public Operation running(String kind) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, state, step, detail, updated_at FROM " + TABLE
        + " WHERE kind = ? AND state = 'running' ORDER BY updated_at DESC")) {
      ps.setString(1, kind);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? row(rs) : null;
      }
    }
  }

  /** Records an operation's state, step and detail, committed at once (the row is created the first time). */
  public void record(String id, String kind, String state, String step, Map<String, Object> detail)
      throws SQLException {
    save(new Operation(id, kind, state, step, detail, 0));
  }

  Operation find(String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, kind, state, step, detail, updated_at FROM " + TABLE + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? row(rs) : null;
      }
    }
  }

  private static Operation row(ResultSet rs) throws SQLException {
    return new Operation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        Json.readObject(rs.getString(5)), rs.getLong(6));
  }

  /** Writes the operation's state, step and detail (inserting its row the first time). */
  void save(Operation op) throws SQLException {
    op.touch();
    String detail = Json.write(op.detail());
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
        + " SET kind = ?, state = ?, step = ?, detail = ?, updated_at = ? WHERE id = ?")) {
      ps.setString(1, op.kind());
      ps.setString(2, op.state());
      ps.setString(3, op.step());
      ps.setString(4, detail);
      ps.setLong(5, op.updatedAt());
      ps.setString(6, op.id());
      if (ps.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
        + " (id, kind, state, step, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, op.id());
      ps.setString(2, op.kind());
      ps.setString(3, op.state());
      ps.setString(4, op.step());
      ps.setString(5, detail);
      ps.setLong(6, op.updatedAt());
      ps.executeUpdate();
    }
  }

  /** Deletes an operation's row (a schema change's, once it ended). */
  public void delete(String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
