package org.collegedb.internal.route;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.collegedb.parse.ColumnRef;
import org.collegedb.parse.Condition;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TableRef;
import org.collegedb.internal.schema.TableRule;

/**
 * Which nested blocks of a statement are correlated, found by resolving their column names against the tables'
 * columns (the parser does not know them): an unqualified name that no table of its block has is a column of an
 * enclosing block's table, as in {@code WHERE EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey)}. Such a
 * block, and every block between it and the one it refers to, is correlated, whatever compares the name. Equalities
 * of such names with a column of the block's own tables are correlations too, so that a subquery tied to the outer
 * query's shard key by unqualified names still runs shard by shard.
 */
final class Correlations {
  private final Map<ParsedStatement.Block, Boolean> correlated = new HashMap<>();
  private final Map<ParsedStatement.Block, List<ParsedStatement.Correlation>> correlations = new HashMap<>();

  private Correlations() {
  }

  /** Resolves the blocks of a statement whose top level reads {@code top}. */
  static Correlations resolve(List<ParsedStatement.Block> blocks, List<TableRef> top, ShardRouter.Context context)
      throws SQLException {
    Correlations out = new Correlations();
    Map<Integer, ParsedStatement.Block> byId = new HashMap<>();
    for (ParsedStatement.Block b : blocks) {
      out.correlated.put(b, b.correlated());
      out.correlations.put(b, b.correlations());
      if (b.names().id() > 0) {
        byId.put(b.names().id(), b);
      }
    }
    Map<String, TableRule> rules = new HashMap<>();
    for (ParsedStatement.Block b : blocks) {
      if (b.names().id() <= 0) {
        continue; // not numbered by the parser: only its own flag is known
      }
      for (String name : b.names().unqualified()) {
        if (has(b.scope(), name, context, rules)) {
          continue;
        }
        for (int p = b.names().parent(); p >= 0; p = p == 0 ? -1 : parentOf(byId, p)) {
          if (has(scopeOf(byId, top, p), name, context, rules)) {
            for (ParsedStatement.Block between = b; between != null && between.names().id() != p;
                between = byId.get(between.names().parent())) {
              out.correlated.put(between, true);
            }
            break;
          }
        }
      }
      List<ParsedStatement.Correlation> found = new ArrayList<>(b.correlations());
      List<Condition.ColumnsEqual> equalities = new ArrayList<>();
      equalities(b.where(), equalities);
      for (Condition.ColumnsEqual eq : equalities) {
        if (eq.left().qualifier() != null && eq.right().qualifier() != null) {
          continue; // both qualified: the parser's own correlations have them
        }
        Side l = side(eq.left(), b, byId, top, context, rules);
        Side r = side(eq.right(), b, byId, top, context, rules);
        if (l != null && r != null && l.outer() != r.outer()) {
          found.add(l.outer() ? new ParsedStatement.Correlation(r.column(), l.column())
              : new ParsedStatement.Correlation(l.column(), r.column()));
        }
      }
      out.correlations.put(b, List.copyOf(found));
    }
    return out;
  }

  /** Whether a block refers to an enclosing block, by a qualified or an unqualified name. */
  boolean correlated(ParsedStatement.Block block) {
    return correlated.getOrDefault(block, block.correlated());
  }

  /** The equalities that tie a block's columns to an enclosing block's columns. */
  List<ParsedStatement.Correlation> correlations(ParsedStatement.Block block) {
    return correlations.getOrDefault(block, block.correlations());
  }

  /** A side of an equality: the column it means, and whether that is a column of an enclosing block. */
  private record Side(ColumnRef column, boolean outer) {
  }

  /**
   * The column a side of an equality means: qualified, as the parser resolved it; unqualified, the block's own
   * table that has it, else the nearest enclosing block's table that has it; null when no table has it.
   */
  private static Side side(ColumnRef c, ParsedStatement.Block b, Map<Integer, ParsedStatement.Block> byId,
      List<TableRef> top, ShardRouter.Context context, Map<String, TableRule> rules) throws SQLException {
    if (c.qualifier() != null) {
      return new Side(c, !own(c, b));
    }
    TableRef own = owner(b.scope(), c.column(), context, rules);
    if (own != null) {
      return new Side(new ColumnRef(own.name(), c.column()), false);
    }
    for (int p = b.names().parent(); p >= 0; p = p == 0 ? -1 : parentOf(byId, p)) {
      TableRef outer = owner(scopeOf(byId, top, p), c.column(), context, rules);
      if (outer != null) {
        return new Side(new ColumnRef(outer.name(), c.column(), outer.alias() == null ? outer.name()
            : outer.alias()), true);
      }
    }
    return null;
  }

  /** Whether a qualified column belongs to one of the block's own tables (by alias, or by name when unaliased). */
  private static boolean own(ColumnRef c, ParsedStatement.Block b) {
    for (TableRef t : b.scope()) {
      if (c.qualifier().equalsIgnoreCase(t.alias()) || t.alias() == null && c.qualifier().equalsIgnoreCase(t.name())) {
        return true;
      }
    }
    return false;
  }

  private static int parentOf(Map<Integer, ParsedStatement.Block> byId, int id) {
    ParsedStatement.Block b = byId.get(id);
    return b == null ? -1 : b.names().parent();
  }

  private static List<TableRef> scopeOf(Map<Integer, ParsedStatement.Block> byId, List<TableRef> top, int id) {
    if (id == 0) {
      return top;
    }
    ParsedStatement.Block b = byId.get(id);
    return b == null ? List.of() : b.scope();
  }

  /** Whether a table of {@code scope} has the column; a table whose columns are unknown is taken to have it. */
  private static boolean has(List<TableRef> scope, String column, ShardRouter.Context context,
      Map<String, TableRule> rules) throws SQLException {
    return owner(scope, column, context, rules) != null;
  }

  private static TableRef owner(List<TableRef> scope, String column, ShardRouter.Context context,
      Map<String, TableRule> rules) throws SQLException {
    String name = column.toLowerCase(Locale.ROOT);
    for (TableRef t : scope) {
      String key = t.name().toLowerCase(Locale.ROOT);
      TableRule rule = rules.get(key);
      if (rule == null) {
        rule = context.rule(t.name());
        rules.put(key, rule);
      }
      if (rule.columns().isEmpty() || rule.columns().contains(name)) {
        return t;
      }
    }
    return null;
  }

  private static void equalities(Condition c, List<Condition.ColumnsEqual> out) {
    if (c instanceof Condition.ColumnsEqual eq) {
      out.add(eq);
    } else if (c instanceof Condition.And and) {
      for (Condition t : and.terms()) {
        equalities(t, out);
      }
    }
  }
}
