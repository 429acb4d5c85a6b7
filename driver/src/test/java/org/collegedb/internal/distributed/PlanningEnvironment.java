package org.collegedb.internal.distributed;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.internal.value.KeyType;

/**
 * An {@link Environment} for planning without a database: H2, the given tables (every other name an unkeyed table
 * with no known columns), at most 100 rows; running anything fails.
 */
final class PlanningEnvironment implements Environment {
  private final Map<String, TableRule> rules;

  PlanningEnvironment(Map<String, TableRule> rules) {
    this.rules = rules;
  }

  /** A sharded table keyed by its integer column {@code key}. */
  static TableRule sharded(String name, String key, List<String> columns) {
    return new TableRule(name, TableRule.Placement.SHARDED, List.of(key), new KeyType[] {KeyType.INTEGER}, columns,
        List.of(), true);
  }

  @Override
  public TableRule rule(String table) {
    return rules.getOrDefault(table.toLowerCase(), new TableRule(table, TableRule.Placement.UNKEYED, List.of(),
        new KeyType[0], List.of(), List.of(), false));
  }

  @Override
  public Fragment run(String fragment, int[] callerParams) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Dialect dialect() {
    return Dialect.H2;
  }

  @Override
  public ShardSpec scratchShard() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Connection catalog() {
    throw new UnsupportedOperationException();
  }

  @Override
  public long maxRows() {
    return 100;
  }
}
