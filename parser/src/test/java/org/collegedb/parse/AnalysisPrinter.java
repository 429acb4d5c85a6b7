package org.collegedb.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Prints a {@link ParsedStatement} in the compact, stable form of the golden files: one line per non-empty part,
 * values as {@code ?1} (parameter), {@code lit:5} / {@code lit:-5} (number token), {@code 'x'} (string token as
 * written), {@code null}/{@code true}/{@code false} (constants), {@code expr} and {@code default} (computed).
 */
final class AnalysisPrinter {
  private final Tokens tokens;
  private final StringBuilder out = new StringBuilder();

  private AnalysisPrinter(Tokens tokens) {
    this.tokens = tokens;
  }

  /** The analysis, one part per line, each line ending in a newline. */
  static String print(Tokens tokens, ParsedStatement statement) {
    AnalysisPrinter p = new AnalysisPrinter(tokens);
    p.statement(statement, "");
    return p.out.toString();
  }

  private void statement(ParsedStatement statement, String indent) {
    if (statement instanceof ParsedStatement.Select s) {
      select(s, indent);
    } else if (statement instanceof ParsedStatement.Insert s) {
      insert(s, indent);
    } else if (statement instanceof ParsedStatement.Update s) {
      update(s, indent);
    } else if (statement instanceof ParsedStatement.Delete s) {
      delete(s, indent);
    } else if (statement instanceof ParsedStatement.Ddl s) {
      line(indent, "ddl " + s.kind() + (s.table() == null ? "" : " " + s.table()));
    } else if (statement instanceof ParsedStatement.Control s) {
      line(indent, "control " + s.kind());
    } else if (statement instanceof ParsedStatement.Explain s) {
      line(indent, "explain " + (s.collegedb() ? "collegedb" : "backend") + (s.analyze() ? " analyze" : "")
          + " from token " + s.innerStart());
    } else {
      ParsedStatement.Unparsed s = (ParsedStatement.Unparsed) statement;
      line(indent, "unparsed " + s.kind() + (s.table() == null ? "" : " " + s.table()));
      line(indent + "  ", "reason: " + s.reason());
    }
  }

  private void select(ParsedStatement.Select s, String indent) {
    line(indent, "select" + (s.forUpdate() ? " for update" : "") + (s.literalSensitive() ? " literal-sensitive" : ""));
    String in = indent + "  ";
    line(in, "tables: " + tables(s.tables()));
    if (!s.scope().equals(s.tables())) {
      line(in, "scope: " + tables(s.scope()));
    }
    line(in, "where: " + condition(s.where()));
    if (!s.joins().isEmpty()) {
      line(in, "joins: " + s.joins().stream().map(this::condition).collect(Collectors.joining("; ")));
    }
    features(in, s.features());
  }

  private void insert(ParsedStatement.Insert s, String indent) {
    line(indent, "insert " + table(s.table()) + (s.upsert() == ParsedStatement.Upsert.NONE ? "" : " " + s.upsert())
        + (s.returning() ? " returning" : ""));
    String in = indent + "  ";
    if (!s.columns().isEmpty()) {
      line(in, "columns: " + String.join(", ", s.columns()));
    }
    if (!s.rows().isEmpty()) {
      List<String> rows = new ArrayList<>();
      for (ParsedStatement.Row row : s.rows()) {
        rows.add(values(row.values()));
      }
      line(in, "rows: " + String.join(" ", rows));
    }
    if (s.source() != null) {
      line(in, "source:");
      select(s.source(), in + "  ");
    }
  }

  private void update(ParsedStatement.Update s, String indent) {
    line(indent, "update " + table(s.table()) + (s.returning() ? " returning" : ""));
    String in = indent + "  ";
    List<String> sets = new ArrayList<>();
    for (int i = 0; i < s.setColumns().size(); i++) {
      sets.add(s.setColumns().get(i) + " = " + value(s.setValues().get(i)));
    }
    line(in, "set: " + String.join(", ", sets));
    line(in, "where: " + condition(s.where()));
    if (!s.tables().equals(List.of(s.table()))) {
      line(in, "tables: " + tables(s.tables()));
    }
    features(in, s.features());
  }

  private void delete(ParsedStatement.Delete s, String indent) {
    line(indent, "delete " + table(s.table()) + (s.returning() ? " returning" : ""));
    String in = indent + "  ";
    line(in, "where: " + condition(s.where()));
    if (!s.tables().equals(List.of(s.table()))) {
      line(in, "tables: " + tables(s.tables()));
    }
    features(in, s.features());
  }

  private void features(String indent, Set<ParsedStatement.Feature> features) {
    if (!features.isEmpty()) {
      line(indent, "features: " + features.stream().sorted().map(Enum::name).collect(Collectors.joining(" ")));
    }
  }

  private String condition(Condition c) {
    if (c instanceof Condition.Eq eq) {
      return column(eq.column()) + " = " + value(eq.value());
    }
    if (c instanceof Condition.In in) {
      return column(in.column()) + (in.open() < 0 ? " IN(no spans) " : " IN ") + values(in.values());
    }
    if (c instanceof Condition.IsNull n) {
      return column(n.column()) + " IS NULL";
    }
    if (c instanceof Condition.ColumnsEqual ce) {
      return column(ce.left()) + " = " + column(ce.right());
    }
    if (c instanceof Condition.And and) {
      return "(" + and.terms().stream().map(this::condition).collect(Collectors.joining(" AND ")) + ")";
    }
    if (c instanceof Condition.Or or) {
      return "(" + or.terms().stream().map(this::condition).collect(Collectors.joining(" OR ")) + ")";
    }
    return "opaque";
  }

  private static String column(ColumnRef c) {
    return c.table() == null ? c.column() : c.table() + "." + c.column();
  }

  private String values(List<ValueRef> values) {
    return values.stream().map(this::value).collect(Collectors.joining(", ", "(", ")"));
  }

  private String value(ValueRef v) {
    if (v instanceof ValueRef.Param p) {
      return "?" + p.index();
    }
    if (v instanceof ValueRef.Literal l) {
      String sign = l.negated() ? "-" : "";
      return tokens.type(l.token()) == TokenType.NUMBER ? "lit:" + sign + tokens.text(l.token())
          : sign + tokens.text(l.token());
    }
    if (v instanceof ValueRef.Constant k) {
      return String.valueOf(k.value());
    }
    return v == ValueRef.Computed.DEFAULT ? "default" : "expr";
  }

  private static String tables(List<TableRef> tables) {
    return tables.isEmpty() ? "-" : tables.stream().map(AnalysisPrinter::table).collect(Collectors.joining(", "));
  }

  private static String table(TableRef t) {
    return t.alias() == null ? t.name() : t.name() + " " + t.alias();
  }

  private void line(String indent, String text) {
    out.append(indent).append(text).append('\n');
  }
}
