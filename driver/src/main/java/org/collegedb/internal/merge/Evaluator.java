package org.collegedb.internal.merge;

import java.sql.SQLException;
import java.util.List;
import org.collegedb.parse.Expr;

/**
 * Evaluates the expressions over aggregates that a merge must finish itself (select items such as
 * {@code SUM(x) / COUNT(*)}, HAVING, ORDER BY), with SQL's three-valued logic and the backend's arithmetic.
 */
final class Evaluator {
  /** The values an expression's leaves take in one group. */
  interface Group {
    Object aggregate(int index) throws SQLException;

    Object carried(Expr node);
  }

  private final MergePlan.Aggregation plan;
  private final Arithmetic arithmetic;
  private final ValueOrder order;

  Evaluator(MergePlan.Aggregation plan, Arithmetic arithmetic, ValueOrder order) {
    this.plan = plan;
    this.arithmetic = arithmetic;
    this.order = order;
  }

  Object eval(Expr e, Group g) throws SQLException {
    Integer aggregate = plan.aggregateOf.get(e);
    if (aggregate != null) {
      return g.aggregate(aggregate);
    }
    if (plan.carriedColumnOf.containsKey(e)) {
      return g.carried(e);
    }
    if (plan.values.containsKey(e)) {
      return plan.values.get(e);
    }
    if (!(e instanceof Expr.Call call)) {
      throw new IllegalStateException("no value for " + e);
    }
    List<Expr> ops = call.operands();
    switch (call.operator()) {
      case "+", "-", "*", "/", "%":
        return arithmetic.binary(call.operator(), eval(ops.get(0), g), eval(ops.get(1), g));
      case "NEG":
        return arithmetic.negate(eval(ops.get(0), g));
      case "ABS":
        return arithmetic.abs(eval(ops.get(0), g));
      case "ROUND":
        return arithmetic.round(eval(ops.get(0), g), ops.size() > 1 ? eval(ops.get(1), g) : 0);
      case "=", "<>", "<", "<=", ">", ">=":
        return compare(call.operator(), eval(ops.get(0), g), eval(ops.get(1), g));
      case "AND": {
        Boolean result = Boolean.TRUE;
        for (Expr op : ops) {
          Boolean b = truth(eval(op, g));
          if (Boolean.FALSE.equals(b)) {
            return false;
          }
          if (b == null) {
            result = null;
          }
        }
        return result;
      }
      case "OR": {
        Boolean result = Boolean.FALSE;
        for (Expr op : ops) {
          Boolean b = truth(eval(op, g));
          if (Boolean.TRUE.equals(b)) {
            return true;
          }
          if (b == null) {
            result = null;
          }
        }
        return result;
      }
      case "NOT": {
        Boolean b = truth(eval(ops.get(0), g));
        return b == null ? null : !b;
      }
      case "IS_NULL":
        return eval(ops.get(0), g) == null;
      case "IS_NOT_NULL":
        return eval(ops.get(0), g) != null;
      case "COALESCE":
        for (Expr op : ops) {
          Object v = eval(op, g);
          if (v != null) {
            return v;
          }
        }
        return null;
      case "NULLIF": {
        Object a = eval(ops.get(0), g);
        Object b = eval(ops.get(1), g);
        return a != null && b != null && compareValues(a, b) == 0 ? null : a;
      }
      case "CASE": {
        int i = 0;
        for (; i + 1 < ops.size(); i += 2) {
          if (Boolean.TRUE.equals(truth(eval(ops.get(i), g)))) {
            return eval(ops.get(i + 1), g);
          }
        }
        return i < ops.size() ? eval(ops.get(i), g) : null;
      }
      default:
        throw new IllegalStateException("operator " + call.operator());
    }
  }

  private Object compare(String op, Object a, Object b) throws SQLException {
    if (a == null || b == null) {
      return null;
    }
    int c = compareValues(a, b);
    return switch (op) {
      case "=" -> c == 0;
      case "<>" -> c != 0;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      default -> c >= 0;
    };
  }

  /** Compares, reading text as a number when the other side is one (a parameter bound with setString). */
  private int compareValues(Object a, Object b) throws SQLException {
    if (a instanceof Number && b instanceof String) {
      b = Arithmetic.number(b);
    } else if (a instanceof String && b instanceof Number) {
      a = Arithmetic.number(a);
    }
    return order.compare(a, b);
  }

  /** SQL truth of a value: TRUE, FALSE or unknown (null). */
  static Boolean truth(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    return Boolean.parseBoolean(v.toString());
  }
}
