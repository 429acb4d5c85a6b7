package org.collegedb.parse;

import java.util.List;

/**
 * How the top query block of a SELECT is built, with the token spans that rewriting for several shards splices:
 * the select items, GROUP BY, HAVING, ORDER BY and the LIMIT/OFFSET/FETCH clause. Null in a
 * {@link ParsedStatement.Select} whose top level is not one query block (UNION, WITH, VALUES).
 *
 * @param distinct      SELECT DISTINCT
 * @param items         the select items in order
 * @param groupBy       the GROUP BY expressions (empty if none)
 * @param groupByEnd    the last token of the GROUP BY clause, or -1
 * @param groupInsertAt where a GROUP BY clause would go if there is none: the token before which to insert it
 * @param having        the HAVING condition, or null
 * @param havingStart   the HAVING keyword's token, or -1
 * @param havingEnd     the last token of the HAVING clause, or -1
 * @param orderBy       the ORDER BY items (empty if none)
 * @param orderStart    the ORDER keyword's token, or -1
 * @param orderEnd      the last token of the ORDER BY clause, or -1
 * @param limit         the row limit, or null
 * @param offset        the rows to skip, or null
 * @param limitStart    the first token of the LIMIT/OFFSET/FETCH clauses, or -1
 * @param limitEnd      the last token of those clauses, or -1
 * @param fetchSyntax   whether the limit is written {@code FETCH FIRST/NEXT n ROWS}
 */
public record SelectShape(boolean distinct, List<Item> items, List<Expr> groupBy, int groupByEnd, int groupInsertAt,
    Expr having, int havingStart, int havingEnd, List<Order> orderBy, int orderStart, int orderEnd, ValueRef limit,
    ValueRef offset, int limitStart, int limitEnd, boolean fetchSyntax) {

  /** A select item: its tokens, its alias (explicit, or null) and its expression. */
  public record Item(int first, int last, String alias, Expr expr) {
  }

  /**
   * An ORDER BY item. {@code nullsFirst} is null when the statement leaves NULL ordering to the database.
   * {@code ordinal} is the 1-based select item it names by number, or 0. {@code collation} is the name given with
   * {@code COLLATE}, unquoted, or null.
   */
  public record Order(Expr expr, int first, int last, boolean descending, Boolean nullsFirst, int ordinal,
      String collation) {
  }

  /** The last token of the select list. */
  public int selectEnd() {
    return items.get(items.size() - 1).last();
  }
}
