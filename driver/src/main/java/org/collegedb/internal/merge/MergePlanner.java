package org.collegedb.internal.merge;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.collegedb.SqlStates;
import org.collegedb.parse.Expr;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SelectShape;
import org.collegedb.parse.Tokens;
import org.collegedb.parse.ValueRef;
import org.collegedb.internal.rewrite.Edit;
import org.collegedb.internal.rewrite.Edits;
import org.collegedb.internal.rewrite.Splice;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.schema.Dialect;

/**
 * Plans how a query that reads several shards is answered exactly: which columns each shard must add (hidden order
 * keys, partial aggregates), how its LIMIT widens, and how the driver merges. Refuses, with SQLState 0A000 naming the
 * construct, what it cannot answer exactly.
 */
public final class MergePlanner {
  private static final String HIDDEN = "__cdb_";

  private MergePlanner() {
  }

  public static MergePlan plan(ParsedStatement.Select select, Bindings bindings, Dialect dialect)
      throws SQLException {
    return plan(select, bindings, dialect, false);
  }

  /**
   * @param groupsLocal whether every group of the query's GROUP BY lives on one shard (it groups by the shard key):
   *                    then the shards' groups are final and their rows merge like any rows
   */
  public static MergePlan plan(ParsedStatement.Select select, Bindings bindings, Dialect dialect,
      boolean groupsLocal) throws SQLException {
    return plan(select, bindings, dialect, groupsLocal, null);
  }

  /**
   * Whether a query's shards return rows the driver only concatenates or merges in order (no aggregate, GROUP BY,
   * DISTINCT or HAVING computed on the shards): only such rows can be filtered one by one by {@link Ownership}.
   */
  public static boolean plainRows(ParsedStatement.Select select) {
    SelectShape shape = select.shape();
    return shape != null && !select.has(ParsedStatement.Feature.AGGREGATE) && shape.groupBy().isEmpty()
        && !shape.distinct() && shape.having() == null;
  }

  /**
   * A plan of plain rows ({@link #plainRows}) with an ownership filter: the key columns are added as hidden columns
   * and the shards' LIMIT is removed (a shard's first rows may be rows it does not own), so that OFFSET and LIMIT
   * apply after the filter.
   */
  public static MergePlan plan(ParsedStatement.Select select, Bindings bindings, Dialect dialect,
      boolean groupsLocal, Ownership owned) throws SQLException {
    for (ParsedStatement.Feature f : select.features()) {
      switch (f) {
        case SET_OPERATION -> throw refuse("UNION, INTERSECT and EXCEPT");
        case WITH -> throw refuse("WITH (common table expressions)");
        default -> {
        }
      }
    }
    SelectShape shape = select.shape();
    if (shape == null) {
      throw refuse("this query's form");
    }
    boolean aggregate = select.has(ParsedStatement.Feature.AGGREGATE) || !shape.groupBy().isEmpty()
        || shape.distinct() || shape.having() != null;
    if (aggregate && groupsLocal && !shape.groupBy().isEmpty() && !shape.distinct()) {
      aggregate = false; // each shard's groups are whole: HAVING stays there, rows merge by ORDER BY and LIMIT
    }
    if (owned != null && aggregate) {
      throw new IllegalArgumentException("an ownership filter needs plain rows");
    }
    return aggregate ? new MergePlanner.Builder(shape, bindings, dialect).aggregate()
        : new MergePlanner.Builder(shape, bindings, dialect).rows(owned);
  }

  static SQLException refuse(String construct) {
    return new SQLFeatureNotSupportedException("CollegeDB cannot answer this query exactly across shards: it uses "
        + construct + ". Restrict it to one shard key (WHERE key = ?), or run the parts separately and combine "
        + "them in the application", SqlStates.NOT_SUPPORTED);
  }

  private static final class Builder {
    private final SelectShape shape;
    private final Bindings bindings;
    private final Dialect dialect;
    private final Tokens tokens;
    /** The hidden columns' expressions, as edit parts (Strings, copies of the caller's tokens). */
    private final List<Object[]> hiddenTexts = new ArrayList<>();
    private final int visible;
    private final boolean hasStar;

    Builder(SelectShape shape, Bindings bindings, Dialect dialect) {
      this.shape = shape;
      this.bindings = bindings;
      this.dialect = dialect;
      this.tokens = bindings.tokens();
      this.visible = shape.items().size();
      this.hasStar = shape.items().stream().anyMatch(i -> i.expr() instanceof Expr.Star);
    }

    /** Whether the plan depends on no parameter value, so that it serves every execution of its statement. */
    private boolean reusable = true;

    private Object value(org.collegedb.parse.ValueRef ref) throws SQLException {
      if (ref instanceof org.collegedb.parse.ValueRef.Param) {
        reusable = false;
      }
      return bindings.value(ref);
    }

    /** Adds a hidden column (its expression as edit parts) and returns its index among the hidden ones (0-based). */
    private int hide(Object... parts) {
      hiddenTexts.add(parts);
      return hiddenTexts.size() - 1;
    }

    /** The expression's tokens, copied as the caller wrote them (with the parameters they hold). */
    private static Splice.Copy copy(Expr e) {
      return new Splice.Copy(e.first(), e.last());
    }

    /** The expression's text, for messages. */
    private String text(Expr e) {
      return Splice.compose(tokens, copy(e)).sql();
    }

    /** The token text of an expression without spacing, for matching ORDER BY to select items. */
    private String normalized(Expr e) {
      StringBuilder b = new StringBuilder();
      for (int i = e.first(); i <= e.last(); i++) {
        b.append(tokens.text(i).toLowerCase(Locale.ROOT)).append(' ');
      }
      return b.toString();
    }

    /** The select item an ORDER BY / GROUP BY expression names by ordinal, alias or same text; -1 if none. */
    private int itemOf(Expr e, int ordinal) {
      if (ordinal > 0) {
        return ordinal - 1;
      }
      if (e instanceof Expr.Column column) {
        String name = column.column().column();
        boolean qualified = e.last() > e.first();
        if (!qualified) {
          for (int i = 0; i < shape.items().size(); i++) {
            if (name.equalsIgnoreCase(shape.items().get(i).alias())) {
              return i;
            }
          }
        }
      }
      String text = normalized(e);
      for (int i = 0; i < shape.items().size(); i++) {
        if (normalized(shape.items().get(i).expr()).equals(text)) {
          return i;
        }
      }
      return -1;
    }

    private long number(ValueRef ref, String what) throws SQLException {
      Object v = value(ref);
      if (v instanceof Number n) {
        return n.longValue();
      }
      if (v instanceof String s) {
        try {
          return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
          // fall through
        }
      }
      throw new SQLException(what + " must be an integer, not '" + v + "'", SqlStates.INVALID_PARAMETER);
    }

    /** The edits that append the hidden columns after the select list. */
    private void appendHidden(List<Edit> s) {
      if (hiddenTexts.isEmpty()) {
        return;
      }
      List<Object> parts = new ArrayList<>();
      for (int i = 0; i < hiddenTexts.size(); i++) {
        parts.add(", ");
        parts.addAll(List.of(hiddenTexts.get(i)));
        parts.add(" AS " + HIDDEN + (i + 1));
      }
      s.add(Edit.replace(shape.selectEnd() + 1, shape.selectEnd(), joined(parts)));
    }

    // ------------------------------------------------------------ rows: ORDER BY, LIMIT

    MergePlan rows(Ownership owned) throws SQLException {
      List<OrderKey> keys = new ArrayList<>();
      for (SelectShape.Order o : shape.orderBy()) {
        int column;
        int item = itemOf(o.expr(), o.ordinal());
        if (o.ordinal() > 0) {
          column = o.ordinal();
        } else if (item >= 0 && !hasStar) {
          column = item + 1;
        } else if (item >= 0) {
          column = -1 - hide(copy(shape.items().get(item).expr()));
        } else {
          column = -1 - hide(copy(o.expr()));
        }
        keys.add(OrderKey.of(column, o.descending(), o.nullsFirst(), dialect.nullsLargest(), o.collation()));
      }
      long skip = shape.offset() == null ? 0 : Math.max(0, number(shape.offset(), "OFFSET"));
      long limit = -1;
      if (shape.limit() != null) {
        limit = number(shape.limit(), "LIMIT");
        if (limit < 0) {
          limit = -1; // SQLite and MySQL: a negative LIMIT means none
        }
      }
      long perShard = limit < 0 || owned != null ? -1 : limit + skip;
      int[] ownerKeys = null;
      if (owned != null) {
        ownerKeys = new int[owned.keyColumns().size()];
        for (int k = 0; k < ownerKeys.length; k++) {
          ownerKeys[k] = hide(owned.keyColumns().get(k));
        }
      }
      int hidden = hiddenTexts.size();
      OrderKey[] orderKeys = keys.toArray(new OrderKey[0]);
      List<Edit> s = new ArrayList<>();
      appendHidden(s);
      if (shape.limitStart() >= 0) {
        String clause = perShard < 0 ? "" : shape.fetchSyntax() ? "FETCH FIRST " + perShard + " ROWS ONLY"
            : "LIMIT " + perShard;
        s.add(Edit.replace(shape.limitStart(), shape.limitEnd(), clause));
      }
      Edits edits = Edits.of(s);
      MergePlan.Kind kind = orderKeys.length > 0 ? MergePlan.Kind.ORDERED : MergePlan.Kind.CONCAT;
      return new MergePlan(kind, edits, hidden, skip, limit, orderKeys, null, reusable && owned == null, owned,
          ownerKeys);
    }

    /** Hidden order columns are numbered from the end: -1 - i; make them real column numbers. */
    static OrderKey[] resolve(OrderKey[] keys, int visibleColumns) {
      OrderKey[] out = new OrderKey[keys.length];
      for (int i = 0; i < keys.length; i++) {
        OrderKey k = keys[i];
        int column = k.column() > 0 ? k.column() : visibleColumns + (-1 - k.column()) + 1;
        out[i] = k.at(column);
      }
      return out;
    }

    // ------------------------------------------------------------ aggregates

    private final Map<String, Integer> aggregateIndex = new LinkedHashMap<>();
    private final List<MergePlan.Aggregate> aggregates = new ArrayList<>();
    private final List<Expr> distinctArgs = new ArrayList<>();
    private final Map<String, Integer> distinctArgIndex = new LinkedHashMap<>();
    private MergePlan.Aggregation agg;

    MergePlan aggregate() throws SQLException {
      agg = new MergePlan.Aggregation();
      agg.distinct = shape.distinct();
      agg.global = shape.groupBy().isEmpty() && !shape.distinct();
      boolean anyAggregate = false;
      for (SelectShape.Item item : shape.items()) {
        if (item.expr() instanceof Expr.Star) {
          if (!shape.distinct() || !shape.groupBy().isEmpty()) {
            throw refuse("* together with GROUP BY or aggregates");
          }
        }
        anyAggregate |= hasAggregate(item.expr());
      }
      if (shape.distinct() && shape.groupBy().isEmpty() && !anyAggregate && shape.having() == null) {
        agg.global = false;
        agg.groupColumns = null; // every visible column
      } else {
        // Group keys: GROUP BY items, as hidden columns.
        List<Integer> groupColumns = new ArrayList<>();
        for (Expr g : shape.groupBy()) {
          int ordinal = g instanceof Expr.Value v && value(v.value()) instanceof Number n ? n.intValue() : 0;
          Expr key = g;
          if (ordinal > 0 || g instanceof Expr.Column) {
            int item = itemOf(g, ordinal);
            if (item >= 0 && (ordinal > 0 || aliasOnly(g, item))) {
              key = shape.items().get(item).expr();
            }
          }
          if (hasAggregate(key)) {
            throw refuse("an aggregate in GROUP BY");
          }
          groupColumns.add(-1 - hide(copy(key)));
        }
        agg.groupColumns = groupColumns.stream().mapToInt(Integer::intValue).toArray();
      }
      // Items: carried when free of aggregates, else evaluated.
      agg.itemExprs = new Expr[visible];
      for (int i = 0; i < visible; i++) {
        Expr e = shape.items().get(i).expr();
        if (hasAggregate(e)) {
          collect(e);
          agg.itemExprs[i] = e;
        }
      }
      if (shape.having() != null) {
        collect(shape.having());
        agg.having = shape.having();
      }
      int n = shape.orderBy().size();
      agg.orderColumns = new int[n];
      agg.orderExprs = new Expr[n];
      agg.orderKeys = new OrderKey[n];
      for (int i = 0; i < n; i++) {
        SelectShape.Order o = shape.orderBy().get(i);
        int item = itemOf(o.expr(), o.ordinal());
        if (item >= 0) {
          agg.orderColumns[i] = item + 1;
        } else {
          if (agg.groupColumns == null) {
            throw refuse("ORDER BY an expression that is not in the DISTINCT select list");
          }
          collect(o.expr());
          agg.orderExprs[i] = o.expr();
        }
        agg.orderKeys[i] = OrderKey.of(i, o.descending(), o.nullsFirst(), dialect.nullsLargest(), o.collation());
      }
      agg.aggregates = aggregates;
      long skip = shape.offset() == null ? 0 : Math.max(0, number(shape.offset(), "OFFSET"));
      long limit = shape.limit() == null ? -1 : number(shape.limit(), "LIMIT");
      int hidden = hiddenTexts.size();
      List<Object> extraGroup = new ArrayList<>();
      for (Expr d : distinctArgs) {
        extraGroup.add(", ");
        extraGroup.add(copy(d));
      }
      List<Edit> s = new ArrayList<>();
      appendHidden(s);
      if (!extraGroup.isEmpty()) {
        if (shape.groupByEnd() >= 0) {
          s.add(Edit.replace(shape.groupByEnd() + 1, shape.groupByEnd(), joined(extraGroup)));
        } else {
          List<Object> parts = new ArrayList<>(extraGroup.subList(1, extraGroup.size())); // the first ", " dropped
          parts.add(0, " GROUP BY ");
          parts.add(" ");
          s.add(Edit.replace(shape.groupInsertAt(), shape.groupInsertAt() - 1, joined(parts)));
        }
      }
      if (shape.havingStart() >= 0) {
        s.add(Edit.delete(shape.havingStart(), shape.havingEnd()));
      }
      if (shape.orderStart() >= 0) {
        s.add(Edit.delete(shape.orderStart(), shape.orderEnd()));
      }
      if (shape.limitStart() >= 0) {
        s.add(Edit.delete(shape.limitStart(), shape.limitEnd()));
      }
      Edits edits = Edits.of(s);
      return new MergePlan(MergePlan.Kind.AGGREGATE, edits, hidden, skip, limit < 0 ? -1 : limit, null, agg,
          reusable);
    }

    private boolean aliasOnly(Expr g, int item) {
      return g instanceof Expr.Column c && g.first() == g.last()
          && c.column().column().equalsIgnoreCase(shape.items().get(item).alias());
    }

    private static boolean hasAggregate(Expr e) {
      if (e instanceof Expr.Aggregate) {
        return true;
      }
      if (e instanceof Expr.Other o) {
        return o.aggregate();
      }
      if (e instanceof Expr.Call c) {
        for (Expr operand : c.operands()) {
          if (hasAggregate(operand)) {
            return true;
          }
        }
      }
      return false;
    }

    /** Registers the aggregates and carried sub-expressions an evaluated expression needs. */
    private void collect(Expr e) throws SQLException {
      if (e instanceof Expr.Aggregate a) {
        agg.aggregateOf.put(e, aggregate(a));
      } else if (e instanceof Expr.Call c) {
        if (!hasAggregate(e)) {
          carry(e);
          return;
        }
        for (Expr operand : c.operands()) {
          collect(operand);
        }
      } else if (e instanceof Expr.Value v) {
        agg.values.put(e, value(v.value()));
      } else if (e instanceof Expr.Other o) {
        if (o.aggregate()) {
          throw refuse("the aggregate expression '" + text(e) + "'");
        }
        carry(e);
      } else if (e instanceof Expr.Column) {
        carry(e);
      } else {
        throw refuse("'" + text(e) + "' with aggregates");
      }
    }

    /** A sub-expression free of aggregates, computed by the shard and constant within a group. */
    private void carry(Expr e) {
      agg.carriedColumnOf.put(e, -1 - hide(copy(e)));
    }

    private int aggregate(Expr.Aggregate a) throws SQLException {
      String key = normalized(a);
      Integer known = aggregateIndex.get(key);
      if (known != null) {
        return known;
      }
      String f = a.function();
      boolean distinct = a.distinct() && !f.equals("min") && !f.equals("max");
      if (!List.of("count", "sum", "min", "max", "avg", "total").contains(f)) {
        throw refuse("the aggregate function " + f.toUpperCase(Locale.ROOT) + "()");
      }
      if (a.argument() == null && !f.equals("count")) {
        throw refuse(f.toUpperCase(Locale.ROOT) + "(*)");
      }
      int[] columns;
      if (distinct) {
        String argText = normalized(a.argument());
        Integer d = distinctArgIndex.get(argText);
        if (d == null) {
          distinctArgs.add(a.argument());
          d = -1 - hide(copy(a.argument()));
          distinctArgIndex.put(argText, d);
        }
        columns = new int[] {d};
      } else if (f.equals("avg")) {
        Splice.Copy arg = copy(a.argument());
        columns = new int[] {-1 - hide("SUM(", arg, ")"), -1 - hide("COUNT(", arg, ")")};
      } else {
        columns = new int[] {-1 - hide(copy(a))};
      }
      int typeColumn = f.equals("avg") || distinct && !f.equals("count") ? -1 - hide(copy(a)) : 0;
      aggregates.add(new MergePlan.Aggregate(f, distinct, a.argument() == null, columns, typeColumn));
      aggregateIndex.put(key, aggregates.size() - 1);
      return aggregates.size() - 1;
    }
  }

  /** Edit parts with adjacent Strings joined into one, so that an edit prints as few parts as it has. */
  static Object[] joined(List<Object> parts) {
    List<Object> out = new ArrayList<>(parts.size());
    for (Object p : parts) {
      int last = out.size() - 1;
      if (p instanceof String s && last >= 0 && out.get(last) instanceof String before) {
        out.set(last, before + s);
      } else {
        out.add(p);
      }
    }
    return out.toArray();
  }

  /** Turns the hidden-column numbers (-1 - i) of a plan into shard-row columns, now that the visible count is known. */
  static int column(int planned, int visibleColumns) {
    return planned > 0 ? planned : visibleColumns + (-1 - planned) + 1;
  }

  static OrderKey[] resolve(OrderKey[] keys, int visibleColumns) {
    return Builder.resolve(keys, visibleColumns);
  }
}
