package org.collegedb.internal.run;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import org.collegedb.ExecutionInfo;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.distributed.DistributedQuery;
import org.collegedb.internal.distributed.Environment;
import org.collegedb.internal.merge.ForwardingResultSet;
import org.collegedb.internal.plan.Plan;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.internal.value.Bindings;

/**
 * Runs a {@link Plan.CrossShard} plan on the distributed path ({@link DistributedQuery}): its fragments run as child
 * plans of the statement (routed, narrowed and merged as any single-table read, inside the caller's transaction), the
 * rest in a scratch database of the shards' product.
 */
final class DistributedReads implements Environment {
  /** Set while a distributed query runs its fragments: a fragment is never itself answered this way. */
  private static final ThreadLocal<Boolean> RUNNING = new ThreadLocal<>();

  private final StatementRunner runner;
  private final Bindings.Parameters params;

  private DistributedReads(StatementRunner runner, Bindings.Parameters params) {
    this.runner = runner;
    this.params = params;
  }

  /** Answers the plan's query; its rows stream from the scratch database. */
  static ResultSet answer(StatementRunner runner, Plan.CrossShard plan, Bindings bindings) throws SQLException {
    if (RUNNING.get() != null) {
      throw new SQLFeatureNotSupportedException(plan.refusal(), SqlStates.NOT_SUPPORTED);
    }
    RUNNING.set(Boolean.TRUE);
    try {
      DistributedQuery.Result result = DistributedQuery.run(plan.select(), plan.tokens(), bindings.parameters(),
          new DistributedReads(runner, bindings.parameters()), runner.owner());
      runner.session().recordExecution(new ExecutionInfo(plan.tokens().sql(), result.shards(), result.shardSql()));
      return result.rows();
    } finally {
      RUNNING.remove();
    }
  }

  @Override
  public TableRule rule(String table) throws SQLException {
    return runner.session().router().context().rule(table);
  }

  @Override
  public Fragment run(String sql, int[] callerParams) throws SQLException {
    StatementRunner fragment = runner.child(sql, Rewritten.parameters(callerParams, params, List.of()),
        GeneratedKeysRequest.NONE);
    ResultSet rows = fragment.outcome().rows();
    ExecutionInfo info = runner.session().lastExecution();
    return new Fragment(new ForwardingResultSet() {
      @Override
      protected ResultSet delegate() {
        return rows;
      }

      @Override
      public void close() throws SQLException {
        fragment.close(); // the rows, then their statements
      }
    }, info == null ? List.of() : info.shards());
  }

  @Override
  public Dialect dialect() {
    return runner.cluster().dialect();
  }

  @Override
  public ShardSpec scratchShard() {
    return runner.session().shards().spec(0);
  }

  @Override
  public Connection catalog() {
    return runner.session().shards().raw(0);
  }

  @Override
  public long maxRows() {
    return runner.cluster().config().crossShardMaxRows();
  }

  @Override
  public long memoryBytes() {
    return (long) runner.cluster().config().crossShardMemoryMB() << 20;
  }

  @Override
  public int statementMaxRows() {
    return runner.physical().maxRows();
  }

  @Override
  public int queryTimeoutSeconds() {
    return runner.physical().queryTimeout();
  }
}
