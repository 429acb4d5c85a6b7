package org.collegedb;

import java.util.List;

/**
 * Where the last statement of a connection ran: the shards it touched (by name) and the text each ran. Obtain it with
 * {@code connection.unwrap(CollegeConnection.class).lastExecution()}.
 */
public record ExecutionInfo(String sql, List<String> shards, List<String> shardSql) {
  @Override
  public String toString() {
    return shards + " " + sql;
  }
}
