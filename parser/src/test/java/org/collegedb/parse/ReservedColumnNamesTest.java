package org.collegedb.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Words Calcite reserves that applications use as column names unquoted ({@code date}, {@code limit}, ...) must be
 * read as names wherever a name stands, and as keywords wherever they are keywords.
 */
class ReservedColumnNamesTest {
  /** Column names applications use that Calcite's babel parser reserves. */
  private static final String[] NAMES = {"date", "time", "timestamp", "offset", "limit", "default", "value", "year",
      "month", "day", "hour", "minute", "second", "user", "position", "role", "level", "count", "key", "type",
      "start", "end", "result", "language", "names", "password", "status", "name", "session", "comment", "data",
      "order", "rank", "row", "rows", "text", "size", "source", "range", "uuid", "partition", "cursor", "interval",
      "ordinal", "pattern", "skip"};

  private static final ValueRef P1 = new ValueRef.Param(1);
  private static final ValueRef P2 = new ValueRef.Param(2);

  private static ParsedStatement analyze(String sql) {
    return StatementAnalyzer.analyze(SqlLexer.lex(sql));
  }

  private static <T extends ParsedStatement> T analyze(String sql, Class<T> kind) {
    ParsedStatement s = analyze(sql);
    assertThat(s).as(sql).isInstanceOf(kind);
    return kind.cast(s);
  }

  private static Condition eq(String table, String column, ValueRef value) {
    return new Condition.Eq(new ColumnRef(table, column), value);
  }

  /** Runs {@code check} for every name (a failed parse is slow: upper case only for every fifth name). */
  private interface NameCheck {
    void check(String name);
  }

  private static void forEveryName(NameCheck check) {
    for (int i = 0; i < NAMES.length; i++) {
      check.check(NAMES[i]);
      if (i % 5 == 0) {
        check.check(NAMES[i].toUpperCase(Locale.ROOT));
      }
    }
  }

  @Test
  void inTheSelectList() {
    forEveryName(w -> {
      ParsedStatement.Select s = analyze("SELECT id, " + w + " FROM events WHERE id = ?", ParsedStatement.Select.class);
      assertThat(s.where()).isEqualTo(eq("events", "id", P1));
      analyze("SELECT " + w + " FROM events", ParsedStatement.Select.class);
      analyze("SELECT " + w + ", id FROM events", ParsedStatement.Select.class);
      analyze("SELECT DISTINCT " + w + " FROM events", ParsedStatement.Select.class);
      analyze("SELECT e." + w + " FROM events e", ParsedStatement.Select.class);
      analyze("SELECT " + w + " AS x, max(" + w + ") FROM events GROUP BY " + w, ParsedStatement.Select.class);
    });
  }

  @Test
  void asAKeyPredicate() {
    forEveryName(w -> {
      assertThat(analyze("SELECT * FROM events WHERE " + w + " = ?", ParsedStatement.Select.class).where())
          .as(w).isEqualTo(eq("events", w, P1));
      assertThat(analyze("SELECT * FROM events e WHERE e." + w + " = ?", ParsedStatement.Select.class).where())
          .as(w).isEqualTo(eq("events", w, P1));
      assertThat(analyze("SELECT * FROM events WHERE id = ? AND " + w + " = ?", ParsedStatement.Select.class)
          .where()).as(w).isEqualTo(new Condition.And(List.of(eq("events", "id", P1), eq("events", w, P2))));
      assertThat(analyze("SELECT * FROM events WHERE " + w + " = ? OR " + w + " = 7", ParsedStatement.Select.class)
          .where()).as(w).isInstanceOf(Condition.Or.class);
      Condition in = analyze("SELECT * FROM events WHERE " + w + " IN (?, ?)", ParsedStatement.Select.class).where();
      assertThat(in).as(w).isInstanceOf(Condition.In.class);
      assertThat(((Condition.In) in).column()).isEqualTo(new ColumnRef("events", w));
      assertThat(((Condition.In) in).values()).containsExactly(P1, P2);
    });
  }

  @Test
  void inOtherPredicates() {
    int[] next = {0};
    forEveryName(w -> {
      List<String> predicates = List.of(w + " > ?", w + " IS NULL", w + " IS NOT NULL", w + " BETWEEN ? AND ?",
          w + " LIKE ?", "NOT " + w + " = ?", w + " <> ?", "(" + w + " > ?)", w + " NOT IN (?)");
      for (int i = 0; i < 3; i++) { // three per name, every predicate for many names
        String predicate = predicates.get(next[0]++ % predicates.size());
        ParsedStatement.Select s = analyze("SELECT * FROM events WHERE " + predicate + " AND id = ?",
            ParsedStatement.Select.class);
        if (predicate.endsWith(" IS NULL")) { // a key IS NULL narrows routing too (NULL keys have a position)
          assertThat(s.where()).as(predicate).isInstanceOf(Condition.And.class);
          assertThat(((Condition.And) s.where()).terms()).as(predicate)
              .containsExactly(new Condition.IsNull(new ColumnRef("events", w)),
                  ((Condition.And) s.where()).terms().get(1))
              .last().isInstanceOf(Condition.Eq.class);
        } else {
          assertThat(s.where()).as(predicate).isInstanceOf(Condition.Eq.class);
        }
      }
    });
  }

  @Test
  void inOrderBy() {
    forEveryName(w -> {
      ParsedStatement.Select s = analyze("SELECT * FROM events ORDER BY " + w, ParsedStatement.Select.class);
      assertThat(s.features()).containsExactly(ParsedStatement.Feature.ORDER_BY);
      s = analyze("SELECT * FROM events WHERE id = ? ORDER BY " + w + " DESC, id LIMIT 10",
          ParsedStatement.Select.class);
      assertThat(s.features()).contains(ParsedStatement.Feature.ORDER_BY, ParsedStatement.Feature.LIMIT);
      assertThat(s.where()).isEqualTo(eq("events", "id", P1));
      analyze("SELECT * FROM events ORDER BY id, " + w + " ASC NULLS LAST", ParsedStatement.Select.class);
    });
  }

  @Test
  void inInsertColumnLists() {
    forEveryName(w -> {
      ParsedStatement.Insert i = analyze("INSERT INTO events (id, " + w + ") VALUES (?, ?)",
          ParsedStatement.Insert.class);
      assertThat(i.columns()).containsExactly("id", w);
      assertThat(i.rows()).singleElement().extracting(ParsedStatement.Row::values).isEqualTo(List.of(P1, P2));
      i = analyze("INSERT INTO events (" + w + ", id) VALUES (?, ?)", ParsedStatement.Insert.class);
      assertThat(i.columns()).containsExactly(w, "id");
    });
  }

  @Test
  void inUpsertsAndReturning() {
    forEveryName(w -> {
      ParsedStatement.Insert i = analyze("INSERT INTO events (id, " + w + ") VALUES (?, ?) ON CONFLICT (id) DO UPDATE"
          + " SET " + w + " = excluded." + w + " RETURNING " + w, ParsedStatement.Insert.class);
      assertThat(i.columns()).containsExactly("id", w);
      assertThat(i.upsert()).isEqualTo(ParsedStatement.Upsert.ON_CONFLICT);
      assertThat(i.returning()).isTrue();
      ParsedStatement.Update u = analyze("UPDATE events SET " + w + " = ? WHERE id = ? RETURNING id, " + w,
          ParsedStatement.Update.class);
      assertThat(u.setColumns()).containsExactly(w);
      assertThat(u.returning()).isTrue();
    });
  }

  @Test
  void inUpdateSetAndWhere() {
    forEveryName(w -> {
      ParsedStatement.Update u = analyze("UPDATE events SET " + w + " = ? WHERE id = ?",
          ParsedStatement.Update.class);
      assertThat(u.setColumns()).containsExactly(w);
      assertThat(u.setValues()).containsExactly(P1);
      assertThat(u.where()).isEqualTo(eq("events", "id", P2));
      u = analyze("UPDATE events SET id = ?, " + w + " = " + w + " + 1 WHERE " + w + " = ?",
          ParsedStatement.Update.class);
      assertThat(u.setColumns()).containsExactly("id", w);
      assertThat(u.where()).isEqualTo(eq("events", w, P2));
      ParsedStatement.Delete d = analyze("DELETE FROM events WHERE " + w + " = ?", ParsedStatement.Delete.class);
      assertThat(d.where()).isEqualTo(eq("events", w, P1));
    });
  }

  @Test
  void inJoins() {
    forEveryName(w -> {
      ParsedStatement.Select s = analyze("SELECT a." + w + " FROM events a JOIN logs b ON b." + w + " = a." + w
          + " WHERE a.id = ?", ParsedStatement.Select.class);
      assertThat(s.joins()).containsExactly(new Condition.ColumnsEqual(new ColumnRef("logs", w),
          new ColumnRef("events", w)));
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"user", "order", "session", "data", "status"})
  void asTableNames(String table) {
    ParsedStatement.Select s = analyze("SELECT * FROM " + table + " WHERE id = ?", ParsedStatement.Select.class);
    assertThat(s.tables()).containsExactly(new TableRef(table, null));
    assertThat(s.where()).isEqualTo(eq(table, "id", P1));
    ParsedStatement.Insert i = analyze("INSERT INTO " + table + " (id) VALUES (?)", ParsedStatement.Insert.class);
    assertThat(i.table()).isEqualTo(new TableRef(table, null));
    ParsedStatement.Update u = analyze("UPDATE " + table + " SET name = ? WHERE id = ?",
        ParsedStatement.Update.class);
    assertThat(u.table()).isEqualTo(new TableRef(table, null));
  }

  // ---------------------------------------------------------------- the same words as keywords

  @Test
  void typedLiteralsStayLiterals() {
    String sql = "SELECT date, time FROM events WHERE date = DATE '2024-01-01' AND time < TIME '10:00:00'"
        + " AND timestamp > TIMESTAMP '2024-01-01 00:00:00'";
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement.Select s = (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
    assertThat(s.where()).isInstanceOf(Condition.Eq.class);
    ValueRef.Literal date = (ValueRef.Literal) ((Condition.Eq) s.where()).value();
    assertThat(tokens.text(date.token())).isEqualTo("'2024-01-01'");
  }

  @Test
  void castsKeepTheirTypes() {
    ParsedStatement.Select s = analyze("SELECT CAST(date AS DATE), CAST(? AS TIMESTAMP), CAST(x AS TIME) FROM events"
        + " WHERE date = CAST(? AS DATE)", ParsedStatement.Select.class);
    assertThat(s.where()).isEqualTo(eq("events", "date", P2));
    ParsedStatement.Insert i = analyze("INSERT INTO events (id, date) VALUES (?, CAST(? AS DATE))",
        ParsedStatement.Insert.class);
    assertThat(i.rows().get(0).values()).containsExactly(P1, P2);
  }

  @Test
  void limitAndOffsetStayClauses() {
    ParsedStatement.Select s = analyze("SELECT limit, offset FROM events WHERE offset = ? ORDER BY limit LIMIT 10"
        + " OFFSET 5", ParsedStatement.Select.class);
    assertThat(s.where()).isEqualTo(eq("events", "offset", P1));
    assertThat(s.features()).containsExactlyInAnyOrder(ParsedStatement.Feature.ORDER_BY,
        ParsedStatement.Feature.LIMIT, ParsedStatement.Feature.OFFSET);
    s = analyze("SELECT * FROM events ORDER BY date LIMIT ? OFFSET ?", ParsedStatement.Select.class);
    assertThat(s.features()).containsExactlyInAnyOrder(ParsedStatement.Feature.ORDER_BY,
        ParsedStatement.Feature.LIMIT, ParsedStatement.Feature.OFFSET);
    s = analyze("SELECT * FROM events ORDER BY date OFFSET 5 ROWS FETCH FIRST 10 ROWS ONLY",
        ParsedStatement.Select.class);
    assertThat(s.features()).contains(ParsedStatement.Feature.LIMIT, ParsedStatement.Feature.OFFSET);
  }

  @Test
  void functionsNamedLikeColumnsStayFunctions() {
    ParsedStatement.Select s = analyze("SELECT count(*), count(date), position('a' IN name), year(date)"
        + " FROM events WHERE count > ?", ParsedStatement.Select.class);
    assertThat(s.features()).contains(ParsedStatement.Feature.AGGREGATE);
    assertThat(s.where()).isEqualTo(Condition.Opaque.INSTANCE);
    s = analyze("SELECT EXTRACT(YEAR FROM date), rank() OVER (PARTITION BY type ORDER BY date) FROM events",
        ParsedStatement.Select.class);
    assertThat(s.features()).contains(ParsedStatement.Feature.WINDOW);
    s = analyze("SELECT date, sum(x) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), sum(x) OVER w FROM events"
        + " WINDOW w AS (RANGE UNBOUNDED PRECEDING)", ParsedStatement.Select.class);
    assertThat(s.features()).contains(ParsedStatement.Feature.WINDOW);
    s = analyze("SELECT * FROM events WHERE date > CURRENT_DATE - INTERVAL '1' DAY AND id = ?",
        ParsedStatement.Select.class);
    assertThat(s.where()).isEqualTo(eq("events", "id", P1));
  }

  @Test
  void theDefaultKeywordInValuesStaysDefault() {
    ParsedStatement.Insert i = analyze("INSERT INTO events (id, default, status) VALUES (?, ?, DEFAULT)",
        ParsedStatement.Insert.class);
    assertThat(i.columns()).containsExactly("id", "default", "status");
    assertThat(i.rows().get(0).values()).containsExactly(P1, P2, ValueRef.Computed.DEFAULT);
    i = analyze("INSERT INTO events (id, date) VALUES (?, DEFAULT)", ParsedStatement.Insert.class);
    assertThat(i.rows().get(0).values()).containsExactly(P1, ValueRef.Computed.DEFAULT);
  }

  @Test
  void lockingClausesStayClauses() {
    ParsedStatement.Select s = analyze("SELECT date FROM events WHERE date = ? FOR UPDATE SKIP LOCKED",
        ParsedStatement.Select.class);
    assertThat(s.forUpdate()).isTrue();
    assertThat(s.where()).isEqualTo(eq("events", "date", P1));
    s = analyze("SELECT * FROM events WHERE lock IN (?, ?)", ParsedStatement.Select.class);
    assertThat(s.forUpdate()).isFalse();
    assertThat(s.where()).isInstanceOf(Condition.In.class);
  }
}
