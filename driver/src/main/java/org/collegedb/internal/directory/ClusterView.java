package org.collegedb.internal.directory;

import java.sql.SQLException;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.internal.schema.TableRule;

/**
 * What the admin operations need of a connection (obtained with {@code connection.unwrap(ClusterView.class)}):
 * its directory, its shard connections, and table rules. Internal: applications use
 * {@code org.collegedb.admin.CollegeAdmin}.
 */
public interface ClusterView {
  Directory directory();

  ShardConnections shards();

  TableRule rule(String table) throws SQLException;

  /** The configuration the connection was made with. */
  org.collegedb.internal.config.CollegeConfig config();

  /** Reads the shard map again from the shards (after a reshard switched it) and returns it. */
  org.collegedb.internal.route.ShardMap reloadShardMap() throws SQLException;

  /**
   * The newest shard map by one query on the first shard (read again from every shard only when it changed): for
   * answers about single keys.
   */
  org.collegedb.internal.route.ShardMap checkedShardMap() throws SQLException;
}
