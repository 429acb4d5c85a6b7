package org.collegedb.parse;

import java.util.List;

/**
 * A chain of UNION / UNION ALL at a query's top level: the tokens of each branch (without enclosing parentheses),
 * whether each operator keeps duplicates, and the ORDER BY and LIMIT/OFFSET of the whole chain. The driver can
 * answer it across shards by running each branch through itself and combining the rows.
 *
 * @param firsts  the first token of each branch
 * @param lasts   the last token of each branch
 * @param all     for each operator (between branch i and i + 1), whether it is UNION ALL
 * @param orderBy the ORDER BY items of the whole chain: ordinals or output column names
 */
public record SetQuery(int[] firsts, int[] lasts, List<Boolean> all, List<SelectShape.Order> orderBy, ValueRef limit,
    ValueRef offset) {
}
