package org.collegedb.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.config.ShardSpec;
import org.collegedb.distributed.DistributedQuery;
import org.collegedb.distributed.Environment;
import org.collegedb.execute.ParameterStore;
import org.collegedb.merge.ForwardingResultSet;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.route.Bindings;
import org.collegedb.schema.Dialect;
import org.collegedb.schema.TableRule;

/**
 * Joins the distributed path ({@link DistributedQuery}) to a connection: a SELECT refused with 0A000 because it
 * cannot run shard by shard is answered there instead, unless {@code crossShardQueries=pushdown-only}. Fragments run
 * through the connection itself, so they are routed, narrowed and merged as any single-table read, inside the
 * caller's transaction.
 */
final class DistributedReads implements Environment {
  /** Set while a distributed query runs its fragments: a fragment is never itself answered this way. */
  private static final ThreadLocal<Boolean> RUNNING = new ThreadLocal<>();

  private final CollegeConnection connection;
  private final Bindings.Parameters params;
  private final int statementMaxRows;

  private DistributedReads(CollegeConnection connection, Bindings.Parameters params, int statementMaxRows) {
    this.connection = connection;
    this.params = params;
    this.statementMaxRows = statementMaxRows;
  }

  /**
   * Answers a refused statement on the distributed path when it is a SELECT (not FOR UPDATE) refused with 0A000 and
   * the configuration allows it; false to let the refusal stand.
   */
  static boolean answer(CollegeStatement statement, Tokens tokens, ParsedStatement plan, Bindings.Parameters params,
      SQLFeatureNotSupportedException refused) throws SQLException {
    if (!(plan instanceof ParsedStatement.Select select) || select.forUpdate() || select.tables().isEmpty()
        || !SqlStates.NOT_SUPPORTED.equals(refused.getSQLState()) || RUNNING.get() != null
        || !statement.cluster.config().crossShardQueries()) {
      return false;
    }
    statement.closeResults();
    RUNNING.set(Boolean.TRUE);
    try {
      DistributedQuery.Result result = DistributedQuery.run(select, tokens, params,
          new DistributedReads(statement.connection, params, statement.maxRows), statement);
      statement.setResult(result.rows());
      statement.connection.recordExecution(new ExecutionInfo(tokens.sql(), result.shards(), result.shardSql()));
      return true;
    } finally {
      RUNNING.remove();
    }
  }

  @Override
  public TableRule rule(String table) throws SQLException {
    return connection.router().context().rule(table);
  }

  @Override
  public Fragment run(String sql, int[] callerParams) throws SQLException {
    CollegePreparedStatement ps = (CollegePreparedStatement) connection.prepareStatement(sql);
    try {
      ps.runWith(Rewritten.parameters(callerParams, params, List.of()));
      ResultSet rows = ps.getResultSet();
      ExecutionInfo info = connection.lastExecution();
      CollegePreparedStatement owner = ps;
      ps = null;
      return new Fragment(new ForwardingResultSet() {
        @Override
        protected ResultSet delegate() {
          return rows;
        }

        @Override
        public void close() throws SQLException {
          try (owner; rows) {
            // the rows, then their statement
          }
        }
      }, info == null ? List.of() : info.shards());
    } finally {
      if (ps != null) {
        ps.close();
      }
    }
  }

  @Override
  public Dialect dialect() {
    return connection.cluster().dialect();
  }

  @Override
  public ShardSpec scratchShard() {
    return connection.shards().spec(0);
  }

  @Override
  public Connection catalog() {
    return connection.shards().raw(0);
  }

  @Override
  public long maxRows() {
    return connection.cluster().config().crossShardMaxRows();
  }

  @Override
  public int statementMaxRows() {
    return statementMaxRows;
  }
}
