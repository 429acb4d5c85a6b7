package org.collegedb.capture;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.SqlStates;
import org.collegedb.internal.directory.ClusterView;
import org.collegedb.internal.execute.BackendDrivers;
import org.collegedb.internal.schema.TableRule;

/**
 * The change stream of a sharded database: change capture installed on sharded tables on every shard, and
 * {@link ChangeFeed feeds} that follow the committed changes of every shard, each shard's in order. Obtained with
 * {@code CollegeAdmin.of(connection).changeStream()} or {@link #of(Connection)}; it opens a connection of its own
 * to each shard (closed by {@link #close}), so following changes never joins the application's transactions.
 *
 * <p>Each shard has its own log, positions and consumer positions (see {@link ChangeCapture}); writes that reach a
 * shard without CollegeDB are captured too.
 */
public final class ChangeStream implements AutoCloseable {
  private final ClusterView view;
  private final List<String> names = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();

  private ChangeStream(ClusterView view) throws SQLException {
    this.view = view;
    try {
      for (int i = 0; i < view.shards().size(); i++) {
        names.add(view.shards().name(i));
        connections.add(BackendDrivers.connect(view.shards().spec(i)));
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  /** The change stream of the shards of a CollegeDB connection (or of a pool's connection that wraps one). */
  public static ChangeStream of(Connection connection) throws SQLException {
    return over(connection.unwrap(ClusterView.class));
  }

  /** Internal: the change stream of a connection's shards, for {@code CollegeAdmin}. */
  public static ChangeStream over(ClusterView view) throws SQLException {
    return new ChangeStream(view);
  }

  /** The shard names, in CollegeDB's order. */
  public List<String> shards() {
    return List.copyOf(names);
  }

  /**
   * Captures the changes of sharded {@code tables} on every shard (idempotent, see {@link ChangeCapture#install}).
   *
   * @throws SQLException 42P01 for a table the shards do not have; 0A000 for a table that is not sharded by a key
   *                      (a broadcast table is whole on every shard: capture one shard's copy with
   *                      {@link ChangeCapture#install})
   */
  public void install(String... tables) throws SQLException {
    for (String table : tables) {
      TableRule rule = view.rule(table);
      if (!rule.exists()) {
        throw new SQLException("cannot capture changes of table '" + table + "': the shards have no such table",
            SqlStates.UNDEFINED_TABLE);
      }
      if (!rule.sharded()) {
        throw new SQLException("cannot follow the changes of table '" + table + "' through CollegeDB: it is "
            + (rule.broadcast() ? "broadcast (whole on every shard); capture one shard's copy with "
            + "ChangeCapture.install on that shard" : "not sharded by a key") , SqlStates.NOT_SUPPORTED);
      }
    }
    for (String table : tables) {
      for (int i = 0; i < connections.size(); i++) {
        try {
          ChangeCapture.install(connections.get(i), table);
        } catch (SQLException e) {
          throw named(i, e);
        }
      }
    }
  }

  /** Stops capturing {@code tables} on every shard; their entries stay in the logs. */
  public void uninstall(String... tables) throws SQLException {
    for (String table : tables) {
      for (int i = 0; i < connections.size(); i++) {
        try {
          ChangeCapture.uninstall(connections.get(i), table);
        } catch (SQLException e) {
          throw named(i, e);
        }
      }
    }
  }

  /** Removes change capture from every shard: triggers, logs, consumers. */
  public void uninstallAll() throws SQLException {
    for (int i = 0; i < connections.size(); i++) {
      try {
        ChangeCapture.uninstallAll(connections.get(i));
      } catch (SQLException e) {
        throw named(i, e);
      }
    }
  }

  /** The captured tables of each shard. */
  public Map<String, List<String>> capturedTables() throws SQLException {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (int i = 0; i < connections.size(); i++) {
      tables.put(names.get(i), ChangeCapture.capturedTables(connections.get(i)));
    }
    return tables;
  }

  /**
   * The feed of consumer {@code name} on every shard: new on a shard, it starts at that shard's current end;
   * known, it resumes after its acknowledged position there.
   *
   * @throws SQLException 55000 when capture is not installed on a shard
   */
  public ChangeFeed follow(String name) throws SQLException {
    List<ChangeConsumer> consumers = new ArrayList<>();
    for (int i = 0; i < connections.size(); i++) {
      try {
        consumers.add(ChangeCapture.consumer(connections.get(i), name, names.get(i)));
      } catch (SQLException e) {
        throw named(i, e);
      }
    }
    return new ChangeFeed(name, names, consumers);
  }

  /** Forgets consumer {@code name} on every shard. */
  public void dropConsumer(String name) throws SQLException {
    for (int i = 0; i < connections.size(); i++) {
      try {
        ChangeCapture.dropConsumer(connections.get(i), name);
      } catch (SQLException e) {
        throw named(i, e);
      }
    }
  }

  /**
   * Deletes, on every shard, the entries every consumer has acknowledged there.
   *
   * @return the entries deleted, by shard
   */
  public Map<String, Integer> prune() throws SQLException {
    Map<String, Integer> deleted = new LinkedHashMap<>();
    for (int i = 0; i < connections.size(); i++) {
      try {
        deleted.put(names.get(i), ChangeCapture.prune(connections.get(i)));
      } catch (SQLException e) {
        throw named(i, e);
      }
    }
    return deleted;
  }

  private SQLException named(int shard, SQLException e) {
    return new SQLException("shard '" + names.get(shard) + "': " + e.getMessage(), e.getSQLState(),
        e.getErrorCode(), e);
  }

  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (Connection c : connections) {
      try {
        c.close();
      } catch (SQLException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    connections.clear();
    if (first != null) {
      throw first;
    }
  }
}
