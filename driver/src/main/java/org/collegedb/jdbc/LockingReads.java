package org.collegedb.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TableRef;
import org.collegedb.route.Route;
import org.collegedb.route.ShardRouter;

/**
 * Where a locking read ({@code SELECT ... FOR UPDATE}) runs. A read of broadcast tables alone is answered by one
 * shard, but a lock taken there would not stop a client that reads another shard's copy: it runs on every shard, in
 * shard order, and the rows are the first shard's. A locking read of sharded rows on several shards runs its shards in
 * order too, so that two such reads cannot deadlock across shards. (A join of sharded and broadcast tables locks the
 * broadcast rows only on the shards its sharded rows are on.)
 */
final class LockingReads {
  private LockingReads() {
  }

  static Route route(Route read, ParsedStatement.Select select, ShardRouter router) throws SQLException {
    if (read.single() && !select.tables().isEmpty() && allBroadcast(select.tables(), router)) {
      return router.everywhere(Route.Kind.BROADCAST_LOCK);
    }
    return read.single() ? read : read.as(Route.Kind.LOCKING_READ);
  }

  private static boolean allBroadcast(List<TableRef> tables, ShardRouter router) throws SQLException {
    for (TableRef t : tables) {
      if (!router.context().rule(t.name()).broadcast()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The first shard's rows. The other shards' rows are read to the end (a database may lock rows as they are
   * fetched) and closed.
   */
  static ResultSet firstOf(List<ResultSet> parts) throws SQLException {
    for (int i = 1; i < parts.size(); i++) {
      try (ResultSet rs = parts.get(i)) {
        while (rs.next()) {
          // every row locked
        }
      }
    }
    return parts.get(0);
  }
}
