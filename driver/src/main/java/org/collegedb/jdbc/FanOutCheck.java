package org.collegedb.jdbc;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.parse.ParsedStatement;

/** Whether the rows of several shards can simply be concatenated to answer a query. */
final class FanOutCheck {
  private FanOutCheck() {
  }

  static void requireConcatenable(ParsedStatement.Select select) throws SQLException {
    List<String> constructs = new ArrayList<>();
    for (ParsedStatement.Feature f : select.features()) {
      switch (f) {
        case ORDER_BY -> constructs.add("ORDER BY");
        case LIMIT -> constructs.add("LIMIT");
        case OFFSET -> constructs.add("OFFSET");
        case AGGREGATE -> constructs.add("aggregate functions");
        case GROUP_BY -> constructs.add("GROUP BY");
        case HAVING -> constructs.add("HAVING");
        case DISTINCT -> constructs.add("DISTINCT");
        case SET_OPERATION -> constructs.add("UNION/INTERSECT/EXCEPT");
        case WITH -> constructs.add("WITH");
        case WINDOW -> constructs.add("window functions");
        default -> {
        }
      }
    }
    if (!constructs.isEmpty()) {
      throw new SQLFeatureNotSupportedException("this query reads rows from several shards and uses "
          + String.join(", ", constructs) + ", which needs the rows of all shards merged. Restrict it to one "
          + "shard key (WHERE key = ?) to run it on one shard", SqlStates.NOT_SUPPORTED);
    }
  }
}
