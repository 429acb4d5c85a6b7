package org.collegedb.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random statements of the kinds applications send (selects with joins, nested AND/OR, IN lists, paging and
 * locking; inserts with several rows and upserts; updates; deletes), built as {@link Template}s whose literals are
 * slots: one template rendered with different literal values and different white space and comments must have one
 * shape and one analysis.
 */
final class RandomStatements {
  /** What a literal slot holds. */
  enum Slot {
    /** Any number: integer, decimal, exponent, hexadecimal. */
    NUMBER,
    /** A small unsigned integer, for LIMIT and OFFSET. */
    INTEGER,
    /** A string literal, with quotes, line breaks and multi-byte characters inside. */
    STRING,
    /** The quoted part of DATE '...'. */
    DATE
  }

  /** A statement as fixed pieces of text and literal {@link Slot}s, in order. */
  record Template(List<Object> pieces) {
    /**
     * The statement with each slot filled from {@code values} and white space or comments from {@code layout}
     * between pieces; in MySQL mode backslashes in strings are escaped and # comments may appear.
     */
    String render(Random values, Random layout, boolean mysql) {
      StringBuilder b = new StringBuilder();
      for (Object piece : pieces) {
        if (b.length() > 0) {
          b.append(separator(layout, mysql));
        }
        b.append(piece instanceof Slot slot ? literal(slot, values, mysql) : piece);
      }
      return b.toString();
    }
  }

  private static final String[] SEPARATORS = {" ", " ", " ", "\n", "\t", "\r\n", "  ", " /* c é */ ",
      " -- c 😀\n", "\n\t", "/**/"};

  private RandomStatements() {
  }

  private static String separator(Random r, boolean mysql) {
    if (mysql && r.nextInt(12) == 0) {
      return " # c\n";
    }
    return SEPARATORS[r.nextInt(SEPARATORS.length)];
  }

  private static String literal(Slot slot, Random r, boolean mysql) {
    return switch (slot) {
      case INTEGER -> Integer.toString(r.nextInt(1000));
      case NUMBER -> switch (r.nextInt(7)) {
        case 0 -> Integer.toString(r.nextInt(10));
        case 1 -> Long.toString(Math.abs(r.nextLong() % 1_000_000_000L));
        case 2 -> "123456789012345678901234567890".substring(0, 1 + r.nextInt(30));
        case 3 -> r.nextInt(1000) + "." + r.nextInt(100);
        case 4 -> "." + r.nextInt(1000);
        case 5 -> r.nextInt(10) + (r.nextBoolean() ? "e" : "E-") + r.nextInt(20);
        default -> "0x" + Integer.toHexString(r.nextInt(100_000)).toUpperCase(java.util.Locale.ROOT);
      };
      case STRING -> string(r, mysql);
      case DATE -> String.format("'%04d-%02d-%02d'", 1970 + r.nextInt(100), 1 + r.nextInt(12), 1 + r.nextInt(28));
    };
  }

  private static final String[] STRING_PARTS = {"a", "b", "xyz", " ", "''", "é", "😀", "\n", "\r\n", "?", "--",
      "/*", "\\", "\"", "`", "$", "0", "%", "_", ";"};

  private static String string(Random r, boolean mysql) {
    StringBuilder b = new StringBuilder(r.nextInt(5) == 0 ? "N'" : "'");
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      String part = STRING_PARTS[r.nextInt(STRING_PARTS.length)];
      b.append(mysql && part.equals("\\") ? "\\\\" : part);
    }
    return b.append('\'').toString();
  }

  /** A random template. */
  static Template template(Random r) {
    Builder b = new Builder(r);
    switch (r.nextInt(9)) {
      case 0, 1, 2, 3 -> b.select(true);
      case 4, 5 -> b.insert();
      case 6, 7 -> b.update();
      default -> b.delete();
    }
    return new Template(List.copyOf(b.pieces));
  }

  /** Builds one template; {@code qualifier} is the alias columns may be qualified with, or null. */
  private static final class Builder {
    private final Random r;
    private final List<Object> pieces = new ArrayList<>();
    private String qualifier;
    private boolean join;

    Builder(Random r) {
      this.r = r;
    }

    private void add(Object... parts) {
      for (Object p : parts) {
        pieces.add(p);
      }
    }

    private boolean chance(int percent) {
      return r.nextInt(100) < percent;
    }

    private String column() {
      String[] names = {"id", "id", "tenant_id", "name", "status", "\"id\"", "date", "type", "value"};
      String name = names[r.nextInt(names.length)];
      return qualifier != null && chance(50) ? qualifier + "." + name : name;
    }

    void select(boolean top) {
      if (top && chance(10)) {
        add("WITH", "recent", "AS", "(", "SELECT", "*", "FROM", "orders", "WHERE", "total", ">");
        value();
        add(")");
      }
      add("SELECT");
      if (chance(10)) {
        add("/*+ hint(x) */");
      }
      if (chance(10)) {
        add("DISTINCT");
      }
      switch (r.nextInt(4)) {
        case 0 -> add("*");
        case 1 -> add(column(), ",", column());
        case 2 -> add("count(*)");
        default -> add(column(), ",", Slot.STRING, "AS", "label", ",", Slot.NUMBER);
      }
      add("FROM", "users");
      qualifier = null;
      if (chance(50)) {
        add("u");
        qualifier = "u";
        if (top && chance(40)) {
          join = true;
          add(chance(50) ? "JOIN" : "LEFT JOIN", "orders", "o", "ON", "o.user_id", "=", "u.id");
          if (chance(30)) {
            add("AND", "o.total", ">", Slot.NUMBER);
          }
        }
      }
      if (chance(85)) {
        add("WHERE");
        condition(0);
      }
      if (chance(15)) {
        add("GROUP BY", column());
        if (chance(50)) {
          add("HAVING", "count(*)", ">", Slot.INTEGER);
        }
      }
      boolean union = top && chance(8);
      if (union) {
        add("UNION ALL", "SELECT", "id", "FROM", "archived", "WHERE", "id", "=");
        value();
      }
      if (top && chance(30)) {
        add("ORDER BY", union ? "id" : column(), chance(50) ? "DESC" : "ASC");
      }
      if (top && chance(30)) {
        if (chance(70)) {
          add("LIMIT", r.nextBoolean() ? Slot.INTEGER : "?");
          if (chance(40)) {
            add("OFFSET", Slot.INTEGER);
          }
        } else {
          add("OFFSET", Slot.INTEGER, "ROWS", "FETCH", "FIRST", Slot.INTEGER, "ROWS", "ONLY");
        }
      }
      if (top && !join && !union && chance(10)) {
        add("FOR UPDATE");
      }
    }

    void condition(int depth) {
      int kind = depth > 2 ? 0 : r.nextInt(10);
      switch (kind) {
        case 0, 1, 2, 3 -> predicate();
        case 4, 5 -> {
          condition(depth + 1);
          add("AND");
          condition(depth + 1);
        }
        case 6 -> {
          condition(depth + 1);
          add("OR");
          condition(depth + 1);
        }
        case 7 -> {
          add("(");
          condition(depth + 1);
          add(")");
        }
        case 8 -> {
          add("NOT", "(");
          predicate();
          add(")");
        }
        default -> {
          add(column(), "IN", "(", "SELECT", "user_id", "FROM", "orders", "WHERE", "total", ">");
          value();
          add(")");
        }
      }
    }

    void predicate() {
      switch (r.nextInt(9)) {
        case 0, 1, 2 -> {
          add(column(), "=");
          value();
        }
        case 3 -> {
          value();
          add("=", column());
        }
        case 4, 5 -> {
          add(column(), "IN", "(");
          int n = 1 + r.nextInt(5);
          for (int i = 0; i < n; i++) {
            if (i > 0) {
              add(",");
            }
            value();
          }
          add(")");
        }
        case 6 -> {
          add(column(), ">");
          value();
        }
        case 7 -> {
          add(column(), "BETWEEN");
          value();
          add("AND");
          value();
        }
        default -> {
          if (chance(10)) {
            add(column(), "GLOB"); // SQLite: Calcite cannot parse it
            value();
          } else {
            add(column(), chance(50) ? "IS NULL" : "IS NOT NULL");
          }
        }
      }
    }

    void value() {
      switch (r.nextInt(16)) {
        case 0, 1, 2, 3 -> add("?");
        case 4, 5 -> add(Slot.NUMBER);
        case 6 -> add("-", Slot.NUMBER);
        case 7, 8 -> add(Slot.STRING);
        case 9 -> add("DATE", Slot.DATE);
        case 10 -> add("CAST(?", "AS", "BIGINT)");
        case 11 -> add("?::bigint");
        case 12 -> add("(", "?", ")");
        case 13 -> add(chance(50) ? "NULL" : "TRUE");
        case 14 -> add("lower(", Slot.STRING, ")");
        default -> add(Slot.NUMBER, "+", "1");
      }
    }

    void insert() {
      int upsert = r.nextInt(10);
      add(upsert == 0 ? "REPLACE" : "INSERT", upsert == 1 ? "OR IGNORE INTO" : "INTO", "users", "(");
      int columns = 1 + r.nextInt(4);
      String[] names = {"id", "name", "date", "status"};
      for (int i = 0; i < columns; i++) {
        if (i > 0) {
          add(",");
        }
        add(names[i]);
      }
      add(")");
      if (chance(15)) {
        select(false);
        return;
      }
      add("VALUES");
      int rows = 1 + r.nextInt(3);
      for (int row = 0; row < rows; row++) {
        add(row > 0 ? "," : "", "(");
        for (int i = 0; i < columns; i++) {
          if (i > 0) {
            add(",");
          }
          if (chance(10)) {
            add("DEFAULT");
          } else {
            value();
          }
        }
        add(")");
      }
      switch (upsert > 1 ? r.nextInt(5) : 4) {
        case 0 -> add("ON CONFLICT (id) DO UPDATE SET", "name", "=", "excluded.name");
        case 1 -> add("ON CONFLICT DO NOTHING");
        case 2 -> {
          add("ON DUPLICATE KEY UPDATE", "name", "=");
          value();
        }
        default -> {
        }
      }
      if (chance(30)) {
        add("RETURNING", "id");
      }
    }

    void update() {
      add("UPDATE", "users");
      if (chance(30)) {
        add("u");
        qualifier = "u";
      }
      add("SET", "name", "=");
      value();
      if (chance(40)) {
        add(",", "date", "=");
        value();
      }
      if (chance(90)) {
        add("WHERE");
        condition(0);
      }
      if (chance(20)) {
        add("RETURNING", "*");
      }
    }

    void delete() {
      add("DELETE", "FROM", "users");
      if (chance(90)) {
        add("WHERE");
        condition(0);
      }
    }
  }
}
