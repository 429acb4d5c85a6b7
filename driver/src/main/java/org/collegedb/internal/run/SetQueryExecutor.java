package org.collegedb.internal.run;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.collegedb.SqlStates;
import org.collegedb.internal.merge.OrderKey;
import org.collegedb.internal.merge.RowsResultSet;
import org.collegedb.internal.merge.SnapshotMetaData;
import org.collegedb.internal.merge.ValueOrder;
import org.collegedb.parse.Expr;
import org.collegedb.parse.SelectShape;
import org.collegedb.parse.SetQuery;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.rewrite.Splice;
import org.collegedb.internal.value.Bindings;

/**
 * Answers a UNION / UNION ALL chain whose branches read different shards: each branch runs through CollegeDB (so it
 * is exact across shards), and the rows are combined here: concatenated, duplicates removed after each UNION, then
 * the chain's ORDER BY, OFFSET and LIMIT. Branches must agree on their columns' types, as one database would make
 * them; where they differ the statement is refused rather than typed differently.
 */
final class SetQueryExecutor {
  private final StatementRunner runner;
  private final Cluster cluster;

  SetQueryExecutor(StatementRunner runner) {
    this.runner = runner;
    this.cluster = runner.cluster();
  }

  ResultSet run(SetQuery query, Bindings bindings, long maxRows) throws SQLException {
    Statement owner = runner.owner();
    Tokens tokens = bindings.tokens();
    ValueOrder order = new ValueOrder(cluster.dialect(), cluster.foreignCollation());
    SnapshotMetaData metadata = null;
    int[] types = null;
    List<Object[]> rows = new ArrayList<>();
    for (int b = 0; b < query.firsts().length; b++) {
      ShardSql text = Splice.compose(tokens, new Splice.Copy(query.firsts()[b], query.lasts()[b]));
      try (StatementRunner branch = runner.child(text.sql(), Rewritten.parameters(text.params(),
          bindings.parameters(), List.of()), GeneratedKeysRequest.NONE)) {
        try (ResultSet rs = branch.outcome().rows()) {
          ResultSetMetaData md = rs.getMetaData();
          int columns = md.getColumnCount();
          int[] branchTypes = new int[columns];
          for (int c = 0; c < columns; c++) {
            branchTypes[c] = md.getColumnType(c + 1);
          }
          if (metadata == null) {
            metadata = SnapshotMetaData.of(md, columns);
            types = branchTypes;
          } else if (!Arrays.equals(types, branchTypes) && cluster.dialect() != org.collegedb.internal.schema.Dialect.SQLITE) {
            throw new SQLFeatureNotSupportedException("the queries of this UNION return columns of different types "
                + "(" + Arrays.toString(types) + " and " + Arrays.toString(branchTypes) + "), which one database would "
                + "unify in its own way; cast them to one type in every query", SqlStates.NOT_SUPPORTED);
          }
          if (columns != types.length) {
            throw new SQLException("each query of a UNION must have the same number of columns", SqlStates.SYNTAX_ERROR);
          }
          while (rs.next()) {
            Object[] row = new Object[columns];
            for (int c = 0; c < columns; c++) {
              row[c] = rs.getObject(c + 1);
            }
            rows.add(row);
          }
        }
      }
      if (b > 0 && !query.all().get(b - 1)) {
        rows = distinct(rows, order);
      }
    }
    rows = sorted(query, rows, metadata, order, bindings);
    long skip = query.offset() == null ? 0 : number(bindings.value(query.offset()));
    long limit = query.limit() == null ? -1 : number(bindings.value(query.limit()));
    if (maxRows > 0) {
      limit = limit < 0 ? maxRows : Math.min(limit, maxRows);
    }
    int from = (int) Math.min(Math.max(0, skip), rows.size());
    int to = limit < 0 ? rows.size() : (int) Math.min(rows.size(), from + limit);
    return new RowsResultSet(owner, metadata, new ArrayList<>(rows.subList(from, to)));
  }

  private static List<Object[]> distinct(List<Object[]> rows, ValueOrder order) {
    Set<List<Object>> seen = new HashSet<>();
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : rows) {
      List<Object> key = new ArrayList<>(row.length);
      for (Object v : row) {
        key.add(order.groupingKey(v));
      }
      if (seen.add(key)) {
        out.add(row);
      }
    }
    return out;
  }

  private List<Object[]> sorted(SetQuery query, List<Object[]> rows, SnapshotMetaData metadata, ValueOrder order,
      Bindings bindings) throws SQLException {
    if (query.orderBy().isEmpty()) {
      return rows;
    }
    OrderKey[] keys = new OrderKey[query.orderBy().size()];
    for (int k = 0; k < keys.length; k++) {
      SelectShape.Order o = query.orderBy().get(k);
      int column = o.ordinal();
      if (column == 0 && o.expr() instanceof Expr.Column c && o.first() == o.last()) {
        column = metadata.indexOf(c.column().column());
      }
      if (column < 1 || column > metadata.getColumnCount()) {
        throw new SQLFeatureNotSupportedException("ORDER BY of a UNION across shards must name an output column "
            + "or its number", SqlStates.NOT_SUPPORTED);
      }
      keys[k] = OrderKey.of(column, o.descending(), o.nullsFirst(), cluster.dialect().nullsLargest(),
          o.collation());
    }
    List<Object[]> copy = new ArrayList<>(rows);
    try {
      copy.sort((a, b) -> {
        for (OrderKey key : keys) {
          int c = key.compare(a[key.column() - 1], b[key.column() - 1], order);
          if (c != 0) {
            return c;
          }
        }
        return 0;
      });
    } catch (ValueOrder.UnsupportedCollationException e) {
      throw new SQLFeatureNotSupportedException(e.getMessage(), SqlStates.NOT_SUPPORTED, e);
    }
    return copy;
  }

  private static long number(Object v) throws SQLException {
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new SQLException("LIMIT and OFFSET must be integers, not '" + v + "'", SqlStates.INVALID_PARAMETER);
    }
  }
}
