package org.collegedb.internal.merge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.parse.SelectShape;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.schema.Dialect;

/** Combines the shards' result sets of one query as its {@link MergePlan} says. */
public final class Merge {
  private Merge() {
  }

  /**
   * The caller's result set.
   *
   * @param foreignCollation the shards' collation when CollegeDB cannot reproduce its text order, else null
   */
  public static ResultSet of(MergePlan plan, List<ResultSet> parts, Statement owner, long maxRows, Dialect dialect,
      String foreignCollation, SelectShape shape, Bindings bindings) throws SQLException {
    ValueOrder order = new ValueOrder(dialect, foreignCollation);
    long limit = plan.limit;
    if (maxRows > 0) {
      limit = limit < 0 ? maxRows : Math.min(limit, maxRows);
    }
    try {
      switch (plan.kind) {
        case CONCAT:
          return new ShardResultSet(owner, parts, plan.skip, limit, plan.hidden);
        case ORDERED: {
          int visible = parts.get(0).getMetaData().getColumnCount() - plan.hidden;
          OrderKey[] keys = MergePlanner.resolve(plan.orderKeys, visible);
          return new OrderedMergeResultSet(owner, parts, keys, order, plan.skip, limit, plan.hidden,
              dialect != Dialect.SQLITE);
        }
        default:
          return new AggregateMerge(plan, dialect, order, shape, bindings).run(parts, owner, maxRows);
      }
    } catch (ValueOrder.UnsupportedCollationException e) {
      closeAll(parts);
      throw new SQLFeatureNotSupportedException(e.getMessage(), SqlStates.NOT_SUPPORTED, e);
    }
  }

  private static void closeAll(List<ResultSet> parts) {
    for (ResultSet rs : parts) {
      try {
        rs.close();
      } catch (SQLException ignored) {
        // already failing
      }
    }
  }
}
