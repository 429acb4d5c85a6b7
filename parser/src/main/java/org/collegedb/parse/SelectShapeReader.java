package org.collegedb.parse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Reads the {@link SelectShape} of a query's top block. Clause boundaries and item boundaries come from the lexer
 * (Calcite's positions for clauses are not exact); the structure of each item comes from Calcite.
 */
final class SelectShapeReader {
  private final Tokens tokens;
  private final StatementAnalyzer.TreeReader reader;
  private final StatementAnalyzer.QueryReader query;
  private final int end;

  private SelectShapeReader(Tokens tokens, StatementAnalyzer.TreeReader reader, StatementAnalyzer.QueryReader query,
      int end) {
    this.tokens = tokens;
    this.reader = reader;
    this.query = query;
    this.end = end;
  }

  static SelectShape read(Tokens tokens, StatementAnalyzer.TreeReader reader, SqlNode node,
      StatementAnalyzer.QueryReader query) {
    int end = tokens.size();
    while (end > 0 && tokens.type(end - 1) == TokenType.SEMICOLON) {
      end--;
    }
    try {
      return new SelectShapeReader(tokens, reader, query, end).read(node);
    } catch (RuntimeException e) {
      if (Boolean.getBoolean("collegedb.debugShape")) { e.printStackTrace(); }
      return null; // a shape this reader does not understand: the statement cannot be merged
    }
  }

  /** The UNION chain at the top of a query, or null when it is not one (or has INTERSECT/EXCEPT). */
  static SetQuery readSetQuery(Tokens tokens, StatementAnalyzer.TreeReader reader, SqlNode node,
      StatementAnalyzer.QueryReader query) {
    int end = tokens.size();
    while (end > 0 && tokens.type(end - 1) == TokenType.SEMICOLON) {
      end--;
    }
    try {
      return new SelectShapeReader(tokens, reader, query, end).readSet(node);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A query with the ORDER BY, OFFSET and FETCH that Calcite wraps around it (each may be null). */
  private record Wrapped(SqlNode query, SqlNodeList orderList, SqlNode offset, SqlNode fetch) {
    static Wrapped of(SqlNode node) {
      if (node.getKind() != SqlKind.ORDER_BY) {
        return new Wrapped(node, null, null, null);
      }
      SqlCall orderBy = (SqlCall) node;
      return new Wrapped(orderBy.operand(0), orderBy.operand(1), orderBy.operand(2), orderBy.operand(3));
    }
  }

  private SetQuery readSet(SqlNode top) {
    Wrapped wrapped = Wrapped.of(top);
    SqlNodeList orderList = wrapped.orderList();
    SqlNode offsetNode = wrapped.offset();
    SqlNode fetchNode = wrapped.fetch();
    SqlNode node = wrapped.query();
    List<Boolean> all = new ArrayList<>();
    if (!flatten(node, all) || all.isEmpty()) {
      return null; // not a UNION chain; or a plain query whose set operation is nested (derived table, subquery)
    }
    // Branch boundaries: the UNION keywords at depth 0; the chain ends at a depth-0 ORDER BY/LIMIT/OFFSET/FETCH.
    List<Integer> unions = new ArrayList<>();
    int depth = 0;
    int chainEnd = end;
    for (int i = 0; i < end; i++) {
      TokenType t = tokens.type(i);
      if (t == TokenType.LPAREN) {
        depth++;
      } else if (t == TokenType.RPAREN) {
        depth--;
      } else if (depth == 0 && tokens.isWord(i, "UNION")) {
        unions.add(i);
      } else if (depth == 0 && !unions.isEmpty() && (tokens.isWord(i, "ORDER") && tokens.isWord(i + 1, "BY")
          || tokens.isWord(i, "LIMIT") || tokens.isWord(i, "OFFSET") || tokens.isWord(i, "FETCH"))) {
        chainEnd = i;
        break;
      }
    }
    if (unions.size() != all.size()) {
      return null;
    }
    int n = unions.size() + 1;
    int[] firsts = new int[n];
    int[] lasts = new int[n];
    int start = 0;
    for (int b = 0; b < n; b++) {
      int stop = b < unions.size() ? unions.get(b) - 1 : chainEnd - 1;
      int first = start;
      int last = stop;
      while (tokens.is(first, TokenType.LPAREN) && tokens.matchingParen(first) == last) {
        first++;
        last--;
      }
      firsts[b] = first;
      lasts[b] = last;
      if (b < unions.size()) {
        start = unions.get(b) + 1;
        while (tokens.isWord(start, "ALL") || tokens.isWord(start, "DISTINCT")) {
          start++;
        }
      }
    }
    List<SelectShape.Order> orderBy = new ArrayList<>();
    if (orderList != null && !orderList.isEmpty()) {
      int orderTok = chainEnd;
      int orderEnd = orderTok + 2;
      while (orderEnd < end && !tokens.isWord(orderEnd, "LIMIT") && !tokens.isWord(orderEnd, "OFFSET")
          && !tokens.isWord(orderEnd, "FETCH")) {
        orderEnd++;
      }
      List<int[]> spans = split(orderTok + 2, orderEnd - 1);
      if (spans.size() != orderList.size()) {
        return null;
      }
      for (int i = 0; i < spans.size(); i++) {
        orderBy.add(order(orderList.get(i), spans.get(i)[0], spans.get(i)[1]));
      }
    }
    return new SetQuery(firsts, lasts, List.copyOf(all), List.copyOf(orderBy),
        fetchNode == null ? null : reader.valueOf(fetchNode), offsetNode == null ? null : reader.valueOf(offsetNode));
  }

  /** Whether the node is a left-deep chain of UNION [ALL] over plain queries; collects each operator's ALL. */
  private static boolean flatten(SqlNode node, List<Boolean> all) {
    if (node.getKind() == SqlKind.UNION) {
      SqlCall call = (SqlCall) node;
      if (!flatten(call.operand(0), all)) {
        return false;
      }
      all.add(call.getOperator().getName().toUpperCase(Locale.ROOT).contains("ALL"));
      SqlNode right = call.operand(1);
      return right.getKind() == SqlKind.SELECT || right.getKind() == SqlKind.ORDER_BY;
    }
    return node.getKind() == SqlKind.SELECT || node.getKind() == SqlKind.ORDER_BY;
  }

  private SelectShape read(SqlNode top) {
    Wrapped wrapped = Wrapped.of(top);
    SqlNodeList orderList = wrapped.orderList();
    SqlNode offsetNode = wrapped.offset();
    SqlNode fetchNode = wrapped.fetch();
    SqlNode node = wrapped.query();
    if (!(node instanceof SqlSelect select)) {
      return null;
    }
    if (orderList == null || orderList.isEmpty()) {
      orderList = select.getOrderList();
    }
    if (offsetNode == null) {
      offsetNode = select.getOffset();
    }
    if (fetchNode == null) {
      fetchNode = select.getFetch();
    }
    int selectTok = reader.token(select.getParserPosition());
    while (selectTok < end && !tokens.isWord(selectTok, "SELECT")) {
      selectTok++;
    }
    Clauses c = Clauses.find(tokens, selectTok, end);

    // Select items.
    int itemsStart = selectTok + 1;
    while (tokens.is(itemsStart, TokenType.HINT) || tokens.isWord(itemsStart, "DISTINCT")
        || tokens.isWord(itemsStart, "ALL")) {
      itemsStart++;
    }
    List<int[]> itemSpans = split(itemsStart, c.after(selectTok) - 1);
    SqlNodeList selectList = select.getSelectList();
    if (itemSpans.size() != selectList.size()) {
      return null;
    }
    List<SelectShape.Item> items = new ArrayList<>();
    for (int i = 0; i < itemSpans.size(); i++) {
      int first = itemSpans.get(i)[0];
      int last = itemSpans.get(i)[1];
      SqlNode item = selectList.get(i);
      String alias = null;
      int exprLast = last;
      if (item.getKind() == SqlKind.AS) {
        SqlCall as = (SqlCall) item;
        alias = StatementAnalyzer.TreeReader.lastName((SqlIdentifier) as.operand(1));
        exprLast = tokens.isWord(last - 1, "AS") ? last - 2 : last - 1;
        item = as.operand(0);
      }
      items.add(new SelectShape.Item(first, last, alias, expr(item, first, exprLast)));
    }

    // GROUP BY.
    List<Expr> groupBy = new ArrayList<>();
    int groupByEnd = -1;
    if (c.group >= 0) {
      groupByEnd = c.after(c.group) - 1;
      List<int[]> spans = split(c.group + 2, groupByEnd);
      SqlNodeList group = select.getGroup();
      if (group == null || spans.size() != group.size()) {
        return null;
      }
      for (int i = 0; i < spans.size(); i++) {
        groupBy.add(expr(group.get(i), spans.get(i)[0], spans.get(i)[1]));
      }
    }
    int groupInsertAt = firstOf(c.having, c.window, c.order, c.limitStart(), c.lock, c.stop);

    // HAVING.
    Expr having = null;
    int havingEnd = -1;
    if (c.having >= 0) {
      havingEnd = c.after(c.having) - 1;
      having = expr(select.getHaving(), c.having + 1, havingEnd);
    }

    // ORDER BY.
    List<SelectShape.Order> orderBy = new ArrayList<>();
    int orderEnd = -1;
    if (c.order >= 0 && orderList != null) {
      orderEnd = c.after(c.order) - 1;
      List<int[]> spans = split(c.order + 2, orderEnd);
      if (spans.size() != orderList.size()) {
        return null;
      }
      for (int i = 0; i < spans.size(); i++) {
        orderBy.add(order(orderList.get(i), spans.get(i)[0], spans.get(i)[1]));
      }
    }

    // LIMIT / OFFSET / FETCH.
    ValueRef limit = fetchNode == null ? null : reader.valueOf(fetchNode);
    ValueRef offset = offsetNode == null ? null : reader.valueOf(offsetNode);
    int limitStart = c.limitStart() == Integer.MAX_VALUE ? -1 : c.limitStart();
    int limitEnd = limitStart >= 0 ? Math.min(firstOf(c.lock, end), c.stop) - 1 : -1;
    return new SelectShape(select.isDistinct(), List.copyOf(items), List.copyOf(groupBy), groupByEnd, groupInsertAt,
        having, c.having, havingEnd, List.copyOf(orderBy), c.order, orderEnd, limit, offset, limitStart, limitEnd,
        c.fetch >= 0);
  }

  private static int firstOf(int... candidates) {
    int best = Integer.MAX_VALUE;
    for (int t : candidates) {
      if (t >= 0 && t < best) {
        best = t;
      }
    }
    return best;
  }

  /** The token spans of the comma-separated items from {@code from} to {@code to}, at parenthesis depth 0. */
  private List<int[]> split(int from, int to) {
    return tokens.items(from, to);
  }

  private SelectShape.Order order(SqlNode node, int first, int last) {
    boolean descending = false;
    Boolean nullsFirst = null;
    while (node instanceof SqlCall call && (node.getKind() == SqlKind.DESCENDING
        || node.getKind() == SqlKind.NULLS_FIRST || node.getKind() == SqlKind.NULLS_LAST)) {
      if (node.getKind() == SqlKind.DESCENDING) {
        descending = true;
      } else {
        nullsFirst = node.getKind() == SqlKind.NULLS_FIRST;
      }
      node = call.operand(0);
    }
    int exprLast = last;
    String collation = null;
    while (exprLast > first && (tokens.isWord(exprLast, "ASC") || tokens.isWord(exprLast, "DESC")
        || tokens.isWord(exprLast, "FIRST") || tokens.isWord(exprLast, "LAST")
        || tokens.isWord(exprLast, "NULLS") || tokens.isWord(exprLast - 1, "COLLATE"))) {
      if (tokens.isWord(exprLast - 1, "COLLATE")) {
        collation = DdlClassifier.unquote(tokens, exprLast);
        exprLast--;
      }
      exprLast--;
    }
    int ordinal = 0;
    if (node instanceof SqlLiteral literal && literal.getValue() instanceof BigDecimal d) {
      ordinal = d.intValue();
    }
    return new SelectShape.Order(expr(node, first, exprLast), first, exprLast, descending, nullsFirst, ordinal,
        collation);
  }

  /** The expression of a node whose tokens are known exactly to be {@code first} to {@code last}. */
  private Expr expr(SqlNode node, int first, int last) {
    if (node instanceof SqlIdentifier id && !tokens.is(reader.leafToken(id.getParserPosition()), TokenType.NUMBER)) {
      return id.isStar() ? new Expr.Star(first, last) : new Expr.Column(query.column(id), first, last);
    }
    if (node instanceof SqlIdentifier) {
      return new Expr.Value(reader.valueOf(node), first, last); // 0x1F: Calcite reads a name
    }
    if (node instanceof SqlLiteral || node instanceof SqlDynamicParam) {
      ValueRef ref = reader.valueOf(node);
      if (ref instanceof ValueRef.Computed) {
        return new Expr.Other("literal", false, first, last);
      }
      return new Expr.Value(ref, first, last);
    }
    if (node instanceof SqlCase sqlCase) {
      return caseExpr(sqlCase, first, last);
    }
    if (node instanceof SqlBasicCall call) {
      String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
      if (StatementAnalyzer.isAggregate(call)) {
        boolean distinct = call.getFunctionQuantifier() != null
            && "DISTINCT".equalsIgnoreCase(call.getFunctionQuantifier().toValue());
        List<SqlNode> operands = call.getOperandList();
        if (operands.size() == 1 && !StatementAnalyzer.containsAggregate(operands.get(0))) {
          SqlNode arg = operands.get(0);
          Expr argument = arg instanceof SqlIdentifier id && id.isStar() ? null : nested(arg);
          return new Expr.Aggregate(name, distinct, argument, first, last);
        }
        return new Expr.Other(name, true, first, last);
      }
      String operator = operator(call);
      if (operator != null) {
        List<Expr> operands = new ArrayList<>();
        for (SqlNode operand : call.getOperandList()) {
          operands.add(nested(operand));
        }
        if (operator.equals("ROUND") && operands.size() > 2) {
          return other(call, first, last);
        }
        return new Expr.Call(operator, List.copyOf(operands), first, last);
      }
    }
    return other(node, first, last);
  }

  private Expr other(SqlNode node, int first, int last) {
    String description = node instanceof SqlCall call ? call.getOperator().getName() : node.getKind().toString();
    return new Expr.Other(description, StatementAnalyzer.containsAggregate(node), first, last);
  }

  private Expr caseExpr(SqlCase sqlCase, int first, int last) {
    List<Expr> operands = new ArrayList<>();
    SqlNode value = sqlCase.getValueOperand();
    SqlNodeList whens = sqlCase.getWhenOperands();
    SqlNodeList thens = sqlCase.getThenOperands();
    for (int i = 0; i < whens.size(); i++) {
      Expr when = nested(whens.get(i));
      if (value != null) {
        Expr v = nested(value);
        when = new Expr.Call("=", List.of(v, when), v.first(), when.last());
      }
      operands.add(when);
      operands.add(nested(thens.get(i)));
    }
    SqlNode otherwise = sqlCase.getElseOperand();
    if (otherwise != null && !(otherwise instanceof SqlLiteral l && l.getValue() == null)) {
      operands.add(nested(otherwise));
    }
    return new Expr.Call("CASE", List.copyOf(operands), first, last);
  }

  /** The expression of a nested node, with its tokens taken from Calcite's position. */
  private Expr nested(SqlNode node) {
    int[] span = span(node.getParserPosition());
    return expr(node, span[0], span[1]);
  }

  /** Tokens of a parser position, widened to balance parentheses. */
  private int[] span(SqlParserPos pos) {
    int first = reader.token(pos);
    int last = reader.tokenAtEnd(pos);
    int depth = 0;
    for (int i = first; i <= last; i++) {
      if (tokens.type(i) == TokenType.LPAREN) {
        depth++;
      } else if (tokens.type(i) == TokenType.RPAREN) {
        depth--;
      }
    }
    while (depth < 0 && first > 0) { // a closing parenthesis whose opening one Calcite left out
      first--;
      if (tokens.type(first) == TokenType.LPAREN) {
        depth++;
      } else if (tokens.type(first) == TokenType.RPAREN) {
        depth--;
      }
    }
    while (depth > 0 && last + 1 < end) {
      last++;
      if (tokens.type(last) == TokenType.RPAREN) {
        depth--;
      } else if (tokens.type(last) == TokenType.LPAREN) {
        depth++;
      }
    }
    return new int[] {first, last};
  }

  private static String operator(SqlBasicCall call) {
    switch (call.getKind()) {
      case PLUS:
        return "+";
      case MINUS:
        return "-";
      case TIMES:
        return "*";
      case DIVIDE:
        return "/";
      case MOD:
        return "%";
      case MINUS_PREFIX:
        return "NEG";
      case EQUALS:
        return "=";
      case NOT_EQUALS:
        return "<>";
      case LESS_THAN:
        return "<";
      case LESS_THAN_OR_EQUAL:
        return "<=";
      case GREATER_THAN:
        return ">";
      case GREATER_THAN_OR_EQUAL:
        return ">=";
      case AND:
        return "AND";
      case OR:
        return "OR";
      case NOT:
        return "NOT";
      case IS_NULL:
        return "IS_NULL";
      case IS_NOT_NULL:
        return "IS_NOT_NULL";
      case COALESCE:
        return "COALESCE";
      case NULLIF:
        return "NULLIF";
      default:
        break;
    }
    String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
    return switch (name) {
      case "ROUND", "ABS", "COALESCE", "NULLIF" -> name;
      case "IFNULL", "NVL" -> "COALESCE";
      default -> null;
    };
  }

  /** The clause keywords of one query block, found at its parenthesis depth. */
  private static final class Clauses {
    int from = -1;
    int where = -1;
    int group = -1;
    int having = -1;
    int window = -1;
    int order = -1;
    int limit = -1;
    int offset = -1;
    int fetch = -1;
    int lock = -1;
    int stop;
    private final Tokens tokens;

    private Clauses(Tokens tokens) {
      this.tokens = tokens;
    }

    static Clauses find(Tokens tokens, int select, int end) {
      Clauses c = new Clauses(tokens);
      c.stop = end;
      int depth = 0;
      for (int i = select + 1; i < end; i++) {
        TokenType t = tokens.type(i);
        if (t == TokenType.LPAREN) {
          depth++;
          continue;
        }
        if (t == TokenType.RPAREN) {
          if (--depth < 0) {
            c.stop = i;
            break;
          }
          continue;
        }
        if (depth != 0 || t != TokenType.WORD) {
          continue;
        }
        if (c.from < 0 && tokens.isWord(i, "FROM")) {
          c.from = i;
        } else if (c.where < 0 && tokens.isWord(i, "WHERE")) {
          c.where = i;
        } else if (c.group < 0 && tokens.isWord(i, "GROUP") && tokens.isWord(i + 1, "BY")) {
          c.group = i;
        } else if (c.having < 0 && tokens.isWord(i, "HAVING")) {
          c.having = i;
        } else if (c.window < 0 && tokens.isWord(i, "WINDOW")) {
          c.window = i;
        } else if (c.order < 0 && tokens.isWord(i, "ORDER") && tokens.isWord(i + 1, "BY")) {
          c.order = i;
        } else if (c.limit < 0 && tokens.isWord(i, "LIMIT")) {
          c.limit = i;
        } else if (c.offset < 0 && tokens.isWord(i, "OFFSET") && !tokens.isSymbol(i - 1, ".")) {
          c.offset = i;
        } else if (c.fetch < 0 && tokens.isWord(i, "FETCH")) {
          c.fetch = i;
        } else if (c.lock < 0 && (tokens.isWord(i, "FOR") && !tokens.isWord(i - 1, "FETCH")
            || tokens.isWord(i, "LOCK") && tokens.isWord(i + 1, "IN"))) {
          c.lock = i;
        } else if (tokens.isWord(i, "UNION") || tokens.isWord(i, "INTERSECT") || tokens.isWord(i, "EXCEPT")) {
          c.stop = i;
          break;
        }
      }
      return c;
    }

    int limitStart() {
      return firstOf(limit, offset, fetch);
    }

    /** The token after the clause starting at {@code clause}: the next clause's keyword, or the end. */
    int after(int clause) {
      int next = stop;
      for (int t : new int[] {from, where, group, having, window, order, limit, offset, fetch, lock}) {
        if (t > clause && t < next) {
          next = t;
        }
      }
      return next;
    }
  }
}
