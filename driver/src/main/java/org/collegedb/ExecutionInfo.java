package org.collegedb;

import java.util.List;

/**
 * Where the last statement of a connection ran: the shards it touched (by name), the text each ran, and the plan it
 * ran by (the text {@code EXPLAIN}-like tools and the golden plan files show: one line per plan node). Obtain it
 * with {@code connection.unwrap(CollegeConnection.class).lastExecution()}.
 */
public record ExecutionInfo(String sql, List<String> shards, List<String> shardSql, String plan) {
  public ExecutionInfo(String sql, List<String> shards, List<String> shardSql) {
    this(sql, shards, shardSql, null);
  }

  /** The same execution with the plan it ran by. */
  public ExecutionInfo withPlan(String planText) {
    return new ExecutionInfo(sql, shards, shardSql, planText);
  }

  @Override
  public String toString() {
    return shards + " " + sql;
  }
}
