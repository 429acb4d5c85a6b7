package org.collegedb.internal.run;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.internal.directory.DirectorySession;
import org.collegedb.internal.directory.DirectoryRouting;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.plan.Planner;
import org.collegedb.ExecutionInfo;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.route.KeyDirectory;
import org.collegedb.internal.route.Route;
import org.collegedb.internal.route.ShardMap;
import org.collegedb.internal.route.ShardRouter;
import org.collegedb.internal.schema.TableRule;

/**
 * What one logical connection's statements share as they run: its shard connections and transaction, its router and
 * planner, what its transaction owes the directory, the keys its last INSERT was given, whether it is read-only, and
 * where its last statement ran. The JDBC connection holds one and delegates to it.
 */
public final class Session {
  private final Cluster cluster;
  private final ShardConnections shards;
  private final ShardRouter router;
  private final Planner planner;
  private final DirectorySession directorySession;
  private final LastInsertIds lastInsertIds = new LastInsertIds();
  private volatile boolean readOnly;
  /** Whether a BEGIN statement (not setAutoCommit) opened the transaction: COMMIT then ends it. */
  private boolean sqlTransaction;
  // An ExecutionInfo, or a Routed one that becomes one when asked for. Not volatile: written on every statement,
  // read by the thread that runs them.
  private Object lastExecution;
  /** The plan of the last statement the caller ran (not of the statements run on its behalf). */
  private org.collegedb.internal.plan.Plan lastPlan;
  /** The shard map this session's current statement (or transaction) routes with; null: the cluster's. */
  private volatile ShardMap pinnedMap;

  public Session(Cluster cluster, ShardConnections shards) {
    this.cluster = cluster;
    this.shards = shards;
    this.directorySession = new DirectorySession(cluster.directory(), shards);
    shards.declareMapVersion(() -> {
      ShardMap m = shardMap();
      return m == null ? 0 : m.version();
    });
    KeyDirectory keyDirectory = cluster.directoryRoutes() ? new DirectoryRouting(directorySession) : null;
    this.router = new ShardRouter(new ShardRouter.Context() {
      @Override
      public ShardMap shardMap() {
        return Session.this.shardMap();
      }

      @Override
      public TableRule rule(String table) throws SQLException {
        return cluster.catalog().rule(table, shards.raw(0));
      }

      @Override
      public KeyDirectory directory() {
        return keyDirectory;
      }
    });
    this.planner = new Planner(router, cluster.dialect(), cluster.config().unparsedReadsToAllShards(),
        cluster.plans(), cluster.config().shardHint(), cluster.config().crossShardQueries());
  }

  public Cluster cluster() {
    return cluster;
  }

  /** The shard map the session routes with: fixed for a statement, and for a transaction once it touched a shard. */
  public ShardMap shardMap() {
    ShardMap m = pinnedMap;
    return m != null ? m : cluster.shardMap();
  }

  /** Takes the cluster's current shard map for the next statement, unless a transaction is under way. */
  void pinShardMap() throws SQLException {
    if (shards.autoCommit() || shards.touched().isEmpty()) {
      cluster.refreshShardMapIfDue();
      ShardMap current = cluster.shardMap();
      if (pinnedMap != current) { // a volatile write (a fence) only when the map changed, not on every statement
        pinnedMap = current;
      }
    }
  }

  /** Forgets the pinned map (the transaction ended, or the map was reloaded). */
  void unpinShardMap() {
    pinnedMap = null;
  }

  public ShardConnections shards() {
    return shards;
  }

  public ShardRouter router() {
    return router;
  }

  public Planner planner() {
    return planner;
  }

  DirectorySession directorySession() {
    return directorySession;
  }

  LastInsertIds lastInsertIds() {
    return lastInsertIds;
  }

  /** The shard (by name) that owns the row of {@code table} with this shard key, by the shard map. */
  public String shardOf(String table, Object... key) throws SQLException {
    return router.shardOf(table, key);
  }

  /** What the admin operations need of the connection. */
  public org.collegedb.internal.directory.ClusterView clusterView() {
    return new org.collegedb.internal.directory.ClusterView() {
      @Override
      public org.collegedb.internal.directory.Directory directory() {
        return cluster.directory();
      }

      @Override
      public ShardConnections shards() {
        return shards;
      }

      @Override
      public TableRule rule(String table) throws SQLException {
        return router.context().rule(table);
      }

      @Override
      public org.collegedb.internal.config.CollegeConfig config() {
        return cluster.config();
      }

      @Override
      public ShardMap reloadShardMap() throws SQLException {
        ShardMap m = cluster.reloadShardMap();
        unpinShardMap();
        return m;
      }

      @Override
      public ShardMap checkedShardMap() throws SQLException {
        ShardMap m = cluster.checkedShardMap();
        unpinShardMap();
        return m;
      }
    };
  }

  // ---------------------------------------------------------------- read-only

  public boolean readOnly() {
    return readOnly;
  }

  public void readOnly(boolean on) {
    this.readOnly = on;
  }

  /** Refuses a statement that writes while the connection is read-only. */
  void checkWritable(ParsedStatement statement) throws SQLException {
    if (readOnly && (statement instanceof ParsedStatement.Insert || statement instanceof ParsedStatement.Update
        || statement instanceof ParsedStatement.Delete || statement instanceof ParsedStatement.Ddl
        || statement instanceof ParsedStatement.Unparsed u && u.kind() != ParsedStatement.StatementKind.SELECT)) {
      throw new SQLException("the connection is read-only (setReadOnly(true)): this statement writes",
          SqlStates.READ_ONLY);
    }
  }

  // ---------------------------------------------------------------- transactions

  public void setAutoCommit(boolean autoCommit) throws SQLException {
    boolean committing = autoCommit && !shards.autoCommit();
    shards.setAutoCommit(autoCommit);
    if (committing) {
      directorySession.committed();
    }
    if (autoCommit) {
      sqlTransaction = false;
    }
  }

  public void commit() throws SQLException {
    if (shards.autoCommit()) {
      throw new SQLException("commit() called in auto-commit mode", SqlStates.INVALID_TRANSACTION_STATE);
    }
    try {
      shards.commit();
    } catch (SQLException e) {
      directorySession.rolledBack();
      throw e;
    }
    directorySession.committed();
  }

  public void rollback() throws SQLException {
    if (shards.autoCommit()) {
      throw new SQLException("rollback() called in auto-commit mode", SqlStates.INVALID_TRANSACTION_STATE);
    }
    try {
      shards.rollback();
    } finally {
      directorySession.rolledBack();
    }
  }

  /** BEGIN, COMMIT and ROLLBACK as statements. */
  void control(ParsedStatement.ControlKind kind) throws SQLException {
    switch (kind) {
      case BEGIN -> {
        setAutoCommit(false);
        sqlTransaction = true;
      }
      case COMMIT, ROLLBACK -> {
        if (!shards.autoCommit()) {
          if (kind == ParsedStatement.ControlKind.COMMIT) {
            commit();
          } else {
            rollback();
          }
          if (sqlTransaction) {
            setAutoCommit(true);
          }
        }
      }
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  /** Closing: the shards roll back. */
  public void close() throws SQLException {
    if (!shards.autoCommit()) {
      directorySession.rolledBack();
    }
    shards.close();
  }

  // ---------------------------------------------------------------- where statements ran

  void recordExecution(ExecutionInfo info) {
    lastExecution = info;
  }

  void recordPlan(org.collegedb.internal.plan.Plan plan) {
    lastPlan = plan;
  }

  /** Records a routed statement; its {@link ExecutionInfo} is built only when asked for, off the hot path. */
  void recordExecution(Route route, Tokens tokens, ShardSql[] texts) {
    lastExecution = new Routed(route, tokens, texts);
  }

  private record Routed(Route route, Tokens tokens, ShardSql[] texts) {
  }

  /** Where the last statement ran, or null before the first (or after one that failed before it ran). */
  public ExecutionInfo lastExecution() {
    ExecutionInfo info = routedExecution();
    org.collegedb.internal.plan.Plan plan = lastPlan;
    return info == null || plan == null ? info : info.withPlan(plan.explain(shardNames()));
  }

  private ExecutionInfo routedExecution() {
    Object last = lastExecution;
    if (last instanceof Routed r) {
      List<String> names = new ArrayList<>(r.route().shards().length);
      List<String> texts = new ArrayList<>(r.route().shards().length);
      for (int i = 0; i < r.route().shards().length; i++) {
        names.add(shards.name(r.route().shards()[i]));
        texts.add(r.texts()[i] == null ? r.tokens().sql() : r.texts()[i].sql());
      }
      return new ExecutionInfo(r.tokens().sql(), names, texts);
    }
    return (ExecutionInfo) last;
  }

  /** The shard names, in the order CollegeDB numbers them (sorted by name). */
  public List<String> shardNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      names.add(shards.name(i));
    }
    return names;
  }
}
