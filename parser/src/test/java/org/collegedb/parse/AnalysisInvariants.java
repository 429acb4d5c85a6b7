package org.collegedb.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * What must hold of every analysis, whatever the statement: each literal reference points at a number or string
 * token, each parameter index is one of the text's, and every IN list and INSERT row span is a pair of matching
 * parentheses around its values. {@link #violations} lists what does not hold, so a test can print them all.
 */
final class AnalysisInvariants {
  private final Tokens tokens;
  private final List<String> violations = new ArrayList<>();

  private AnalysisInvariants(Tokens tokens) {
    this.tokens = tokens;
  }

  /** Every invariant {@code statement} breaks, as readable sentences; empty when it is sound. */
  static List<String> violations(Tokens tokens, ParsedStatement statement) {
    AnalysisInvariants check = new AnalysisInvariants(tokens);
    check.statement(statement);
    return check.violations;
  }

  /** Every value reference of a statement, nested queries' conditions included. */
  static List<ValueRef> values(ParsedStatement statement) {
    List<ValueRef> all = new ArrayList<>();
    collect(statement, all);
    return all;
  }

  /** Every IN condition of a statement. */
  static List<Condition.In> inLists(ParsedStatement statement) {
    List<Condition> all = new ArrayList<>();
    conditions(statement, all);
    List<Condition.In> in = new ArrayList<>();
    for (Condition c : all) {
      if (c instanceof Condition.In i) {
        in.add(i);
      }
    }
    return in;
  }

  private static void collect(ParsedStatement statement, List<ValueRef> out) {
    List<Condition> conditions = new ArrayList<>();
    conditions(statement, conditions);
    for (Condition c : conditions) {
      if (c instanceof Condition.Eq eq) {
        out.add(eq.value());
      } else if (c instanceof Condition.In in) {
        out.addAll(in.values());
      }
    }
    if (statement instanceof ParsedStatement.Insert insert) {
      for (ParsedStatement.Row row : insert.rows()) {
        out.addAll(row.values());
      }
    } else if (statement instanceof ParsedStatement.Update update) {
      out.addAll(update.setValues());
    }
  }

  /** The conditions of a statement flattened: every node of every tree. */
  private static void conditions(ParsedStatement statement, List<Condition> out) {
    if (statement instanceof ParsedStatement.Select s) {
      flatten(s.where(), out);
      for (Condition j : s.joins()) {
        flatten(j, out);
      }
    } else if (statement instanceof ParsedStatement.Update u) {
      flatten(u.where(), out);
    } else if (statement instanceof ParsedStatement.Delete d) {
      flatten(d.where(), out);
    } else if (statement instanceof ParsedStatement.Insert i && i.source() != null) {
      conditions(i.source(), out);
    }
  }

  private static void flatten(Condition c, List<Condition> out) {
    out.add(c);
    if (c instanceof Condition.And and) {
      and.terms().forEach(t -> flatten(t, out));
    } else if (c instanceof Condition.Or or) {
      or.terms().forEach(t -> flatten(t, out));
    }
  }

  private void statement(ParsedStatement statement) {
    for (ValueRef v : values(statement)) {
      value(v);
    }
    for (Condition.In in : inLists(statement)) {
      in(in);
    }
    if (statement instanceof ParsedStatement.Insert insert) {
      for (ParsedStatement.Row row : insert.rows()) {
        row(row);
      }
    }
    if (statement instanceof ParsedStatement.Update update
        && update.setColumns().size() != update.setValues().size()) {
      violations.add("SET has " + update.setColumns().size() + " columns and " + update.setValues().size()
          + " values");
    }
  }

  private void value(ValueRef v) {
    if (v instanceof ValueRef.Literal l) {
      int t = l.token();
      if (t < 0 || t >= tokens.size()) {
        violations.add("literal token " + t + " out of range");
        return;
      }
      if (tokens.type(t) != TokenType.NUMBER && tokens.type(t) != TokenType.STRING) {
        violations.add("literal token " + t + " is " + tokens.type(t) + " '" + tokens.text(t) + "'");
      }
      if (l.negated() && !tokens.isSymbol(t - 1, "-")) {
        violations.add("negated literal '" + tokens.text(t) + "' has no minus before it");
      }
    } else if (v instanceof ValueRef.Param p) {
      if (p.index() < 1 || p.index() > tokens.paramCount()) {
        violations.add("parameter ?" + p.index() + " outside 1.." + tokens.paramCount());
      }
    }
  }

  private void in(Condition.In in) {
    if (in.open() < 0) {
      if (in.close() >= 0 || in.elementStarts().length != 0 || in.elementEnds().length != 0) {
        violations.add("IN without an open parenthesis has other spans");
      }
      return;
    }
    if (!tokens.is(in.open(), TokenType.LPAREN) || tokens.matchingParen(in.open()) != in.close()) {
      violations.add("IN list open " + in.open() + " / close " + in.close() + " are not matching parentheses");
      return;
    }
    int n = in.values().size();
    if (in.elementStarts().length != n || in.elementEnds().length != n) {
      violations.add("IN list has " + n + " values but " + in.elementStarts().length + " element spans");
      return;
    }
    int expectedStart = in.open() + 1;
    for (int i = 0; i < n; i++) {
      int s = in.elementStarts()[i];
      int e = in.elementEnds()[i];
      if (s != expectedStart || e < s) {
        violations.add("IN element " + i + " span " + s + ".." + e + " does not follow the previous one");
        return;
      }
      int after = e + 1;
      boolean last = i == n - 1;
      if (last ? after != in.close() : !tokens.is(after, TokenType.COMMA)) {
        violations.add("IN element " + i + " is not followed by " + (last ? "')'" : "','"));
      }
      if (!contains(s, e, in.values().get(i))) {
        violations.add("IN element " + i + " '" + text(s, e) + "' does not hold its value " + in.values().get(i));
      }
      expectedStart = e + 2;
    }
  }

  private void row(ParsedStatement.Row row) {
    if (!tokens.is(row.open(), TokenType.LPAREN) || tokens.matchingParen(row.open()) != row.close()) {
      violations.add("row open " + row.open() + " / close " + row.close() + " are not matching parentheses");
      return;
    }
    for (ValueRef v : row.values()) {
      if (!contains(row.open() + 1, row.close() - 1, v)) {
        violations.add("row '" + text(row.open(), row.close()) + "' does not hold its value " + v);
      }
    }
  }

  /** Whether the tokens {@code from..to} hold the token a parameter or literal refers to. */
  private boolean contains(int from, int to, ValueRef v) {
    for (int t = from; t <= to; t++) {
      if (v instanceof ValueRef.Literal l && l.token() == t) {
        return true;
      }
      if (v instanceof ValueRef.Param p && tokens.is(t, TokenType.PARAM) && tokens.paramIndex(t) == p.index()) {
        return true;
      }
    }
    return !(v instanceof ValueRef.Literal) && !(v instanceof ValueRef.Param);
  }

  private String text(int from, int to) {
    return tokens.sql().substring(tokens.start(from), tokens.end(to));
  }
}
