package org.collegedb.internal.merge;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.collegedb.parse.Expr;
import org.collegedb.parse.SelectShape;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.schema.Dialect;

/**
 * Finishes an aggregate query from the shards' partial groups: merges groups with equal keys, combines partial
 * aggregates (counts and sums add up, MIN/MAX compare, AVG divides the summed sums by the summed counts, DISTINCT
 * aggregates count the union of values), evaluates expressions over them, filters by HAVING, and applies DISTINCT,
 * ORDER BY, OFFSET and LIMIT. Memory grows with the number of groups, not of rows.
 */
final class AggregateMerge {
  private final MergePlan plan;
  private final MergePlan.Aggregation agg;
  private final Dialect dialect;
  private final ValueOrder order;
  private final Arithmetic arithmetic;
  private final Evaluator evaluator;
  private final SelectShape shape;
  private final Bindings bindings;

  AggregateMerge(MergePlan plan, Dialect dialect, ValueOrder order, SelectShape shape, Bindings bindings) {
    this.plan = plan;
    this.agg = plan.aggregation;
    this.dialect = dialect;
    this.order = order;
    this.arithmetic = new Arithmetic(dialect);
    this.evaluator = new Evaluator(agg, arithmetic, order);
    this.shape = shape;
    this.bindings = bindings;
  }

  /** One group: the first row's visible and carried values, and the aggregates' accumulators. */
  private final class Group implements Evaluator.Group {
    final Object[] visible;
    final Map<Expr, Object> carried = new java.util.IdentityHashMap<>();
    final Accumulator[] accumulators;

    Group(Object[] visible, int aggregates) {
      this.visible = visible;
      this.accumulators = new Accumulator[aggregates];
      for (int i = 0; i < aggregates; i++) {
        accumulators[i] = new Accumulator(agg.aggregates.get(i));
      }
    }

    @Override
    public Object aggregate(int index) {
      return accumulators[index].result();
    }

    @Override
    public Object carried(Expr node) {
      return carried.get(node);
    }
  }

  /** Combines the partial results of one aggregate across shards and groups. */
  private final class Accumulator {
    final MergePlan.Aggregate spec;
    long count;
    Number sum;
    /** Floating-point partial sums, added exactly and rounded once at the end. */
    java.math.BigDecimal floatSum;
    Object best;
    Map<Object, Object> distinct;
    ColumnType type;

    Accumulator(MergePlan.Aggregate spec) {
      this.spec = spec;
      if (spec.distinct()) {
        distinct = new LinkedHashMap<>();
      }
    }

    void add(ResultSet rs, int[] columns) throws SQLException {
      if (spec.distinct()) {
        Object v = rs.getObject(columns[0]);
        if (v != null) {
          distinct.putIfAbsent(order.groupingKey(v), v);
        }
        return;
      }
      switch (spec.function()) {
        case "count" -> count += rs.getLong(columns[0]);
        case "sum", "total" -> addToSum((Number) numberOrNull(rs.getObject(columns[0])));
        case "avg" -> {
          addToSum((Number) numberOrNull(rs.getObject(columns[0])));
          count += rs.getLong(columns[1]);
        }
        default -> { // min, max
          Object v = rs.getObject(columns[0]);
          if (v != null) {
            int c = best == null ? 0 : order.compare(v, best);
            if (best == null || (spec.function().equals("min") ? c < 0 : c > 0)) {
              best = v;
            }
          }
        }
      }
    }

    private void addToSum(Number partial) {
      if (partial instanceof Double || partial instanceof Float) {
        double d = partial.doubleValue();
        if (Double.isFinite(d)) {
          floatSum = floatSum == null ? new java.math.BigDecimal(d) : floatSum.add(new java.math.BigDecimal(d));
          return;
        }
      }
      sum = Arithmetic.add(sum, partial);
    }

    /** The sum of the partials: exact, or rounded once to a double when any partial was floating-point. */
    private Number total() {
      if (floatSum == null) {
        return sum;
      }
      return sum == null ? floatSum.doubleValue() : floatSum.add(Arithmetic.decimal(sum)).doubleValue();
    }

    Object result() {
      if (spec.distinct()) {
        switch (spec.function()) {
          case "count":
            return (long) distinct.size();
          case "sum":
            return sumOf(distinct.values());
          case "total":
            return totalOf(sumOf(distinct.values()));
          default: // avg
            return arithmetic.average(sumOf(distinct.values()), distinct.size(), type);
        }
      }
      return switch (spec.function()) {
        case "count" -> count;
        case "sum" -> total();
        case "total" -> totalOf(total());
        case "avg" -> arithmetic.average(total(), count, type);
        default -> best;
      };
    }

    /** SQLite's TOTAL(): the sum as a floating-point value, 0.0 when there is none (no rows, or only NULLs). */
    private Double totalOf(Number sum) {
      return sum == null ? 0.0 : sum.doubleValue();
    }

    private Number sumOf(Iterable<Object> values) {
      Number s = null;
      for (Object v : values) {
        s = Arithmetic.add(s, (Number) numberOrNull(v));
      }
      return s;
    }
  }

  private static Object numberOrNull(Object v) {
    if (v == null || v instanceof Number) {
      return v;
    }
    try {
      return Arithmetic.number(v);
    } catch (SQLException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** A plan's columns resolved against the shards' result metadata: the same for every run of one statement. */
  private record Columns(int visible, SnapshotMetaData snapshot, ColumnType[] itemTypes, int[] groupColumns,
      int[][] aggColumns, ColumnType[] aggTypes, Map<Expr, Integer> carried) {
  }

  private Columns resolve(ResultSetMetaData md) throws SQLException {
    int visible = md.getColumnCount() - plan.hidden;
    ColumnType[] itemTypes = new ColumnType[visible];
    for (int i = 0; i < visible; i++) {
      itemTypes[i] = ColumnType.of(md, i + 1);
    }
    int[] groupColumns;
    if (agg.groupColumns == null) {
      groupColumns = range(visible);
    } else {
      groupColumns = new int[agg.groupColumns.length];
      for (int i = 0; i < groupColumns.length; i++) {
        groupColumns[i] = MergePlanner.column(agg.groupColumns[i], visible);
      }
    }
    int n = agg.aggregates.size();
    int[][] aggColumns = new int[n][];
    ColumnType[] aggTypes = new ColumnType[n];
    for (int i = 0; i < n; i++) {
      MergePlan.Aggregate a = agg.aggregates.get(i);
      aggColumns[i] = new int[a.columns().length];
      for (int k = 0; k < aggColumns[i].length; k++) {
        aggColumns[i][k] = MergePlanner.column(a.columns()[k], visible);
      }
      int typeColumn = a.typeColumn() == 0 ? aggColumns[i][0] : MergePlanner.column(a.typeColumn(), visible);
      aggTypes[i] = ColumnType.of(md, typeColumn);
    }
    Map<Expr, Integer> carried = new java.util.IdentityHashMap<>();
    for (Map.Entry<Expr, Integer> e : agg.carriedColumnOf.entrySet()) {
      carried.put(e.getKey(), MergePlanner.column(e.getValue(), visible));
    }
    return new Columns(visible, SnapshotMetaData.of(md, visible), itemTypes, groupColumns, aggColumns, aggTypes,
        carried);
  }

  RowsResultSet run(List<ResultSet> parts, Statement owner, long maxRows) throws SQLException {
    // A reusable plan resolves its columns once (SQLite types columns by their values: it resolves every time).
    Columns columns = plan.resolved instanceof Columns c ? c : resolve(parts.get(0).getMetaData());
    if (plan.reusable() && dialect != Dialect.SQLITE) {
      plan.resolved = columns;
    }
    int visible = columns.visible();
    SnapshotMetaData snapshot = columns.snapshot();
    ColumnType[] itemTypes = columns.itemTypes();
    int[] groupColumns = columns.groupColumns();
    int n = agg.aggregates.size();
    int[][] aggColumns = columns.aggColumns();
    ColumnType[] aggTypes = columns.aggTypes();
    Map<Expr, Integer> carried = columns.carried();

    Map<List<Object>, Group> groups = new LinkedHashMap<>();
    try {
      for (ResultSet rs : parts) {
        while (org.collegedb.internal.execute.ShardErrors.next(rs)) { // an I/O error names the shard
          List<Object> key = new ArrayList<>(groupColumns.length);
          for (int c : groupColumns) {
            key.add(order.groupingKey(rs.getObject(c)));
          }
          Group g = groups.get(key);
          if (g == null) {
            Object[] row = new Object[visible];
            for (int i = 0; i < visible; i++) {
              row[i] = rs.getObject(i + 1);
            }
            g = new Group(row, n);
            for (Map.Entry<Expr, Integer> e : carried.entrySet()) {
              g.carried.put(e.getKey(), rs.getObject(e.getValue()));
            }
            for (int i = 0; i < n; i++) {
              g.accumulators[i].type = aggTypes[i];
            }
            groups.put(key, g);
          }
          for (int i = 0; i < n; i++) {
            g.accumulators[i].add(rs, aggColumns[i]);
          }
        }
      }
    } finally {
      for (ResultSet rs : parts) {
        rs.close();
      }
    }
    if (groups.isEmpty() && agg.global) {
      Group empty = new Group(new Object[visible], n);
      for (int i = 0; i < n; i++) {
        empty.accumulators[i].type = aggTypes[i];
      }
      for (int i = 0; i < visible; i++) {
        Expr e = shape.items().get(i).expr();
        if (e instanceof Expr.Value v) {
          empty.visible[i] = bindings.value(v.value());
        }
      }
      groups.put(List.of(), empty);
    }

    List<Object[]> rows = new ArrayList<>(groups.size());
    List<Object[]> keys = new ArrayList<>(groups.size());
    Set<List<Object>> seen = agg.distinct ? new HashSet<>() : null;
    for (Group g : groups.values()) {
      if (agg.having != null && !Boolean.TRUE.equals(Evaluator.truth(evaluator.eval(agg.having, g)))) {
        continue;
      }
      Object[] row = new Object[visible];
      for (int i = 0; i < visible; i++) {
        Expr e = i < agg.itemExprs.length ? agg.itemExprs[i] : null;
        row[i] = e == null ? g.visible[i] : RowsResultSet.typed(evaluator.eval(e, g), itemTypes[i], dialect);
      }
      if (seen != null) {
        List<Object> distinctKey = new ArrayList<>(visible);
        for (Object v : row) {
          distinctKey.add(order.groupingKey(v));
        }
        if (!seen.add(distinctKey)) {
          continue;
        }
      }
      Object[] key = new Object[agg.orderKeys.length];
      for (int k = 0; k < key.length; k++) {
        key[k] = agg.orderColumns[k] > 0 ? row[agg.orderColumns[k] - 1] : evaluator.eval(agg.orderExprs[k], g);
      }
      rows.add(row);
      keys.add(key);
    }
    if (agg.orderKeys.length > 0) {
      Integer[] idx = new Integer[rows.size()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, (a, b) -> OrderKey.compare(keys.get(a), keys.get(b), agg.orderKeys, order));
      List<Object[]> sorted = new ArrayList<>(rows.size());
      for (Integer i : idx) {
        sorted.add(rows.get(i));
      }
      rows = sorted;
    }
    long from = Math.min(plan.skip, rows.size());
    long to = plan.limit < 0 ? rows.size() : Math.min(rows.size(), from + plan.limit);
    if (maxRows > 0) {
      to = Math.min(to, from + maxRows);
    }
    List<Object[]> result = new ArrayList<>(rows.subList((int) from, (int) to));
    if (dialect == Dialect.SQLITE && !result.isEmpty()) {
      snapshot.retypeBy(result.get(0));
    }
    return new RowsResultSet(owner, snapshot, result);
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i + 1;
    }
    return r;
  }
}
