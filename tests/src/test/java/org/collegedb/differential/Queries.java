package org.collegedb.differential;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.collegedb.testing.TestShards;

/**
 * Generates queries over the differential schema, in the shapes that span shards: ORDER BY with LIMIT/OFFSET in
 * every syntax the backend accepts, aggregates with and without GROUP BY, HAVING, DISTINCT, DISTINCT aggregates,
 * expressions over aggregates, co-located joins, joins with the broadcast table, IN lists on the key, joins of 3 to 6
 * tables, CTEs (recursive too), window functions off the shard key, INTERSECT/EXCEPT (ALL where the backend has it),
 * correlated subqueries off the shard key, NULL shard keys, and the backend's other aggregates. Every
 * ORDER BY is made total (a unique column ends it) so that one answer is right; without ORDER BY, answers compare as
 * multisets.
 */
final class Queries {
  /** A query, its parameters, and whether its rows come in a defined order. */
  record Query(String sql, List<Object> params, boolean ordered) {
    @Override
    public String toString() {
      return sql + (params.isEmpty() ? "" : "  -- params " + params);
    }
  }

  /** The weight of each older shape against the newer ones' 1 or 2 (see {@link #any()}). */
  private static final int OLD_WEIGHT = 18;

  private final TestShards.Backend backend;

  Queries(TestShards.Backend backend) {
    this.backend = backend;
  }

  Arbitrary<Query> any() {
    List<Arbitrary<Query>> shapes = new ArrayList<>(List.of(rows(), aggregates(), distinct(), colocatedJoin(),
        broadcastJoin(), inList(), entriesByKey(), subqueries(), windows(), unions(), selfJoins(),
        emptySubqueries(), derivedAggregates(), crossShardJoins()));
    if (backend == TestShards.Backend.SQLITE) {
      shapes.add(sqliteOnly());
    }
    List<Tuple.Tuple2<Integer, Arbitrary<Query>>> weighted = new ArrayList<>();
    for (Arbitrary<Query> shape : shapes) {
      weighted.add(Tuple.of(OLD_WEIGHT, shape));
    }
    // The shapes off the shard key mostly take the distributed path (a scratch database per query, many times the
    // cost of a pushed-down query), so they get a smaller share of the tries to keep the build's time: about 15% in
    // all, some 300 queries per backend in every build (a nightly-sized scale multiplies them).
    weighted.add(Tuple.of(8, nullKeys()));
    for (Arbitrary<Query> shape : List.of(multiJoins(), ctes(), globalWindows(), setOperations(), correlatedOffKey(),
        anyAggregates())) {
      weighted.add(Tuple.of(6, shape));
    }
    return Arbitraries.frequencyOf(weighted);
  }

  // ---------------------------------------------------------------- building blocks

  /** A WHERE clause over accounts (alias-free), possibly with parameters. */
  private Arbitrary<Object[]> where(String prefix) {
    String p = prefix;
    return Arbitraries.oneOf(
        Arbitraries.just(new Object[] {"", List.of()}),
        Arbitraries.integers().between(-60, 160).map(k -> new Object[] {" WHERE " + p + "n > ?", List.of(k)}),
        Arbitraries.integers().between(-60, 160).map(k -> new Object[] {" WHERE " + p + "n <= " + k, List.of()}),
        Arbitraries.of(Fixture.GROUPS).map(g -> new Object[] {" WHERE " + p + "grp = '" + g + "'", List.of()}),
        Arbitraries.just(new Object[] {" WHERE " + p + "grp IS NULL", List.of()}),
        Arbitraries.just(new Object[] {" WHERE " + p + "amt BETWEEN -1000 AND 5000", List.of()}),
        Arbitraries.of("a%", "b%", "%a", "A%").map(l -> new Object[] {" WHERE " + p + "label LIKE '" + l + "'",
            List.of()}),
        Arbitraries.integers().between(0, 100).map(k -> new Object[] {" WHERE (" + p + "n < " + k + " OR " + p
            + "grp = 'g1')", List.of()}),
        Arbitraries.integers().between(1, Fixture.ACCOUNTS).list().ofMinSize(1).ofMaxSize(8)
            .map(ids -> new Object[] {" WHERE " + p + "id IN (" + join(ids) + ")", List.of()}));
  }

  private static String join(List<Integer> values) {
    StringBuilder b = new StringBuilder();
    for (Integer v : values) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(v);
    }
    return b.toString();
  }

  /** A LIMIT/OFFSET clause in one of the backend's syntaxes, or none. Element 1: parameters. */
  private Arbitrary<Object[]> limit() {
    Arbitrary<Integer> n = Arbitraries.integers().between(0, 30);
    Arbitrary<Integer> m = Arbitraries.integers().between(0, 120);
    List<Arbitrary<Object[]>> forms = new ArrayList<>();
    forms.add(Arbitraries.just(new Object[] {"", List.of()}));
    forms.add(n.map(x -> new Object[] {" LIMIT " + x, List.of()}));
    forms.add(Combinators.combine(n, m).as((x, y) -> new Object[] {" LIMIT " + x + " OFFSET " + y, List.of()}));
    forms.add(Combinators.combine(n, m).as((x, y) -> new Object[] {" LIMIT ? OFFSET ?", List.of(x, y)}));
    if (backend != TestShards.Backend.POSTGRES) {
      forms.add(Combinators.combine(n, m).as((x, y) -> new Object[] {" LIMIT " + y + ", " + x, List.of()}));
    }
    if (backend != TestShards.Backend.SQLITE) {
      forms.add(Combinators.combine(n, m).as((x, y) -> new Object[] {" OFFSET " + y + " ROWS FETCH NEXT " + x
          + " ROWS ONLY", List.of()}));
      forms.add(m.map(y -> new Object[] {" OFFSET " + y + " ROWS", List.of()}));
    } else {
      forms.add(m.map(y -> new Object[] {" LIMIT -1 OFFSET " + y, List.of()}));
    }
    return Arbitraries.oneOf(forms);
  }

  private Arbitrary<String> nulls() {
    if (backend == TestShards.Backend.MARIADB) {
      return Arbitraries.just(""); // MariaDB has no NULLS FIRST/LAST: NULL sorts first ascending, last descending
    }
    return Arbitraries.of("", "", " NULLS FIRST", " NULLS LAST");
  }

  private static List<Object> params(Object[]... parts) {
    List<Object> all = new ArrayList<>();
    for (Object[] p : parts) {
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) p[1];
      all.addAll(list);
    }
    return all;
  }

  // ---------------------------------------------------------------- shapes

  /** Plain rows with ORDER BY and LIMIT/OFFSET, or neither. */
  Arbitrary<Query> rows() {
    Arbitrary<String> columns = Arbitraries.of("*", "id, grp, n", "id, label, amt", "n * 2 AS twice, id",
        "label, grp, id", "id");
    Arbitrary<String> orderKey = Arbitraries.of("n", "grp", "label", "amt", "id", "n * 2", "1");
    Arbitrary<String> direction = Arbitraries.of("", " ASC", " DESC");
    Arbitrary<String> order = Combinators.combine(orderKey, direction, nulls(), Arbitraries.of(true, false))
        .as((k, d, nl, second) -> k + d + nl + (second ? ", label DESC" : "") + ", id");
    return Combinators.combine(columns, where(""), Arbitraries.of(true, true, false), order, limit())
        .as((cols, w, ordered, o, l) -> {
          String orderBy = o; // ordinal 1 is a column of every column list
          if (!ordered) {
            return new Query("SELECT " + cols + " FROM accounts" + w[0], params(w), false);
          }
          return new Query("SELECT " + cols + " FROM accounts" + w[0] + " ORDER BY " + orderBy + l[0],
              params(w, l), true);
        });
  }

  private static final String[] AGGREGATES = {"COUNT(*)", "COUNT(n)", "SUM(n)", "MIN(n)", "MAX(n)", "AVG(n)",
      "SUM(amt)", "AVG(amt)", "MIN(label)", "MAX(label)", "COUNT(DISTINCT grp)", "COUNT(DISTINCT n)",
      "SUM(DISTINCT n)", "AVG(DISTINCT n)", "SUM(n) / COUNT(*)", "AVG(n) * 2", "ROUND(AVG(amt), 2)",
      "COALESCE(SUM(n), 0)", "MAX(n) - MIN(n)", "MIN(amt)", "MAX(amt)", "COUNT(label)"};

  /** Aggregates with and without GROUP BY, HAVING, ORDER BY over aggregates and LIMIT. */
  Arbitrary<Query> aggregates() {
    // SQLite stores DECIMAL as REAL: rounding a floating-point average at a .xx5 boundary depends on the order of
    // summation (across shards as across query plans), so SQLite rounds the integer average instead.
    String[] aggregates = AGGREGATES.clone();
    if (backend == TestShards.Backend.SQLITE) {
      for (int i = 0; i < aggregates.length; i++) {
        aggregates[i] = aggregates[i].replace("ROUND(AVG(amt), 2)", "ROUND(AVG(n), 2)");
      }
    }
    Arbitrary<List<String>> aggs = Arbitraries.of(aggregates).list().ofMinSize(1).ofMaxSize(4).uniqueElements();
    Arbitrary<String> groupBy = Arbitraries.of("", "grp", "n", "grp, label");
    Arbitrary<String> having = Arbitraries.of("", "", " HAVING COUNT(*) > 3", " HAVING SUM(n) > 100",
        " HAVING AVG(n) < 40", " HAVING COUNT(*) >= ?");
    return Combinators.combine(aggs, groupBy, where(""), having, Arbitraries.of(0, 1, 2), limit())
        .as((list, g, w, h, orderKind, l) -> {
          StringBuilder sql = new StringBuilder("SELECT ");
          if (!g.isEmpty()) {
            sql.append(g).append(", ");
          }
          sql.append(String.join(", ", list)).append(" FROM accounts").append(w[0]);
          List<Object> params = new ArrayList<>(params(w));
          if (!g.isEmpty()) {
            sql.append(" GROUP BY ").append(g);
          }
          if (!h.isEmpty()) {
            sql.append(h);
            if (h.contains("?")) {
              params.add(2);
            }
          }
          boolean ordered = false;
          if (!g.isEmpty() && orderKind > 0) {
            ordered = true;
            if (orderKind == 1 || plansRoundAverages(list)) {
              sql.append(" ORDER BY ").append(g);
            } else {
              sql.append(" ORDER BY ").append(list.get(0)).append(" DESC, ").append(g);
            }
            sql.append(l[0]);
            params.addAll(params(l));
          }
          return new Query(sql.toString(), params, ordered || g.isEmpty());
        });
  }

  /**
   * Whether MariaDB's own answer to these aggregates, ordered by the first of them, depends on its plan: with GROUP
   * BY, a DISTINCT aggregate and an ORDER BY over an aggregate it sorts the groups in a temporary table, where AVG is
   * stored at its shown scale (4 more decimals), so {@code AVG(n) * 2} multiplies 44.0370, not 44.037037.., and shows
   * 88.0740; the same query without the DISTINCT aggregate, or ordered by its groups, shows 88.0741 (MariaDB
   * 10.11). No merge can know which plan one database would choose, so such a query has no one right answer and is
   * ordered by its groups instead.
   */
  private boolean plansRoundAverages(List<String> aggregates) {
    if (backend != TestShards.Backend.MARIADB || aggregates.stream().noneMatch(a -> a.contains("DISTINCT"))) {
      return false;
    }
    for (String a : aggregates) {
      if (a.contains("AVG(") && !a.matches("AVG\\([^)]*\\)")) {
        return true; // arithmetic or a function over an average: AVG(n) * 2, ROUND(AVG(amt), 2)
      }
    }
    return false;
  }

  Arbitrary<Query> distinct() {
    Arbitrary<String> columns = Arbitraries.of("grp", "label", "grp, label", "n", "grp, n");
    return Combinators.combine(columns, where(""), Arbitraries.of(true, false), nulls(), limit())
        .as((c, w, ordered, nl, l) -> ordered
            ? new Query("SELECT DISTINCT " + c + " FROM accounts" + w[0] + " ORDER BY " + c.replace(",", nl + ",")
                + nl + l[0], params(w, l), true)
            : new Query("SELECT DISTINCT " + c + " FROM accounts" + w[0], params(w), false));
  }

  Arbitrary<Query> colocatedJoin() {
    Arbitrary<String> join = Arbitraries.of("JOIN", "LEFT JOIN", "INNER JOIN");
    Arbitrary<String> on = Arbitraries.of("a.id = e.account_id", "e.account_id = a.id");
    return Combinators.combine(join, on, where("a."), Arbitraries.of(0, 1, 2), limit())
        .as((j, o, w, kind, l) -> switch (kind) {
          case 0 -> new Query("SELECT a.id, a.grp, e.id, e.qty FROM accounts a " + j + " entries e ON " + o + w[0]
              + " ORDER BY e.qty DESC, a.id, e.id" + l[0], params(w, l), true);
          case 1 -> new Query("SELECT a.grp, COUNT(*), SUM(e.qty), AVG(e.qty) FROM accounts a " + j + " entries e ON "
              + o + w[0] + " GROUP BY a.grp ORDER BY a.grp", params(w), true);
          default -> new Query("SELECT COUNT(DISTINCT a.id), COUNT(e.id), MAX(e.note) FROM accounts a " + j
              + " entries e ON " + o + w[0], params(w), true);
        });
  }

  Arbitrary<Query> broadcastJoin() {
    return Combinators.combine(where("a."), Arbitraries.of(true, false), limit())
        .as((w, grouped, l) -> grouped
            ? new Query("SELECT k.title, COUNT(*), SUM(a.n) FROM accounts a JOIN kinds k ON a.grp = k.code" + w[0]
                + " GROUP BY k.title ORDER BY k.title", params(w), true)
            : new Query("SELECT a.id, k.title FROM accounts a JOIN kinds k ON k.code = a.grp" + w[0]
                + " ORDER BY k.title, a.id" + l[0], params(w, l), true));
  }

  Arbitrary<Query> inList() {
    return Arbitraries.integers().between(1, Fixture.ACCOUNTS + 5).list().ofMinSize(1).ofMaxSize(10)
        .map(ids -> {
          StringBuilder marks = new StringBuilder();
          for (int i = 0; i < ids.size(); i++) {
            marks.append(i == 0 ? "?" : ", ?");
          }
          return new Query("SELECT id, grp, n FROM accounts WHERE id IN (" + marks + ") ORDER BY id",
              new ArrayList<>(ids), true);
        });
  }

  /**
   * Subqueries: correlated on the shard key (run per shard), uncorrelated over sharded tables (answered first),
   * and pinned to one key.
   */
  Arbitrary<Query> subqueries() {
    Arbitrary<Integer> k = Arbitraries.integers().between(0, 45);
    Arbitrary<Integer> id = Arbitraries.integers().between(1, Fixture.ACCOUNTS);
    return Arbitraries.oneOf(
        k.map(x -> new Query("SELECT id, grp FROM accounts a WHERE EXISTS (SELECT 1 FROM entries e WHERE "
            + "e.account_id = a.id AND e.qty > ?) ORDER BY id", List.of(x), true)),
        k.map(x -> new Query("SELECT COUNT(*) FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE "
            + "e.account_id = a.id AND e.qty > " + x + ")", List.of(), true)),
        k.map(x -> new Query("SELECT id FROM accounts WHERE id IN (SELECT account_id FROM entries WHERE qty > " + x
            + ") ORDER BY id", List.of(), true)),
        k.map(x -> new Query("SELECT id, n FROM accounts WHERE n > (SELECT AVG(n) FROM accounts WHERE grp <> 'b') "
            + "AND n < " + (x + 100) + " ORDER BY n, id", List.of(), true)),
        Arbitraries.just(new Query("SELECT a.id, (SELECT COUNT(*) FROM entries e WHERE e.account_id = a.id) AS c "
            + "FROM accounts a ORDER BY c DESC, a.id LIMIT 10", List.of(), true)),
        k.map(x -> new Query("SELECT k.code, k.title FROM kinds k WHERE k.code IN (SELECT grp FROM accounts WHERE "
            + "n > " + x + ") ORDER BY k.code", List.of(), true)),
        id.map(x -> new Query("SELECT e.id, e.qty FROM entries e WHERE e.account_id = ? AND e.qty >= (SELECT "
            + "AVG(e2.qty) FROM entries e2 WHERE e2.account_id = ?) ORDER BY e.id", List.of(x, x), true)));
  }

  /** UNION and UNION ALL of queries over different shards, with the chain's ORDER BY and LIMIT. */
  Arbitrary<Query> unions() {
    Arbitrary<Integer> k = Arbitraries.integers().between(-50, 150);
    return Combinators.combine(k, Arbitraries.integers().between(0, 40), Arbitraries.of(" UNION ", " UNION ALL "),
        Arbitraries.of(true, false), limit())
        .as((x, y, op, ordered, l) -> {
          String sql = "SELECT id, grp FROM accounts WHERE n > ?" + op + "SELECT account_id, note FROM entries WHERE "
              + "qty > " + y + op + "SELECT id, label FROM accounts WHERE id IN (1, 2, 3)";
          return ordered ? new Query(sql + " ORDER BY 1 DESC, 2" + l[0], params(new Object[] {"", List.of(x)}, l),
              true) : new Query(sql, List.of(x), false);
        });
  }

  /** Window functions partitioned by the shard key: each partition lives on one shard. */
  Arbitrary<Query> windows() {
    Arbitrary<String> function = Arbitraries.of("ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY id)",
        "SUM(qty) OVER (PARTITION BY account_id)", "RANK() OVER (PARTITION BY account_id ORDER BY qty DESC, id)",
        "COUNT(*) OVER (PARTITION BY account_id, note)");
    return Combinators.combine(function, limit()).as((f, l) -> new Query("SELECT account_id, id, qty, " + f
        + " AS w FROM entries ORDER BY account_id, id" + l[0], params(l), true));
  }

  /**
   * Joins of two tables off their shard keys, unordered: the distributed path's hash join where the join columns and
   * the WHERE allow it (integers; text except on MariaDB; conditions of one table each), the scratch database
   * otherwise (a condition over both tables, a DECIMAL column on SQLite).
   */
  Arbitrary<Query> crossShardJoins() {
    Arbitrary<String> select = Arbitraries.of("a.id, e.id, e.qty, a.grp", "e.note AS w, a.label, a.n",
        "a.amt, e.id", "a.id, a.id AS again, e.qty");
    Arbitrary<String> on = Arbitraries.of("e.qty = a.n", "a.n = e.qty", "a.grp = e.note",
        "e.qty = a.n AND e.note = a.grp", "a.id = e.qty");
    Arbitrary<Object[]> entriesWhere = Arbitraries.oneOf(
        Arbitraries.just(new Object[] {"", List.of()}),
        Arbitraries.integers().between(0, 45).map(k -> new Object[] {" AND e.qty > ?", List.of(k)}),
        Arbitraries.just(new Object[] {" AND e.note IS NOT NULL", List.of()}),
        Arbitraries.just(new Object[] {" AND e.qty < a.n", List.of()}));
    return Combinators.combine(select, Arbitraries.of("JOIN", "INNER JOIN", "LEFT JOIN"), on, where("a."),
            entriesWhere)
        .as((c, j, o, w, ew) -> {
          String where = (String) w[0];
          String more = (String) ew[0];
          if (!more.isEmpty()) {
            where = where.isEmpty() ? " WHERE" + more.substring(4) : where + more;
          }
          List<Object> params = new ArrayList<>(params(w));
          params.addAll(params(ew));
          return new Query("SELECT " + c + " FROM accounts a " + j + " entries e ON " + o + where, params, false);
        });
  }

  /** Self-joins on the shard key: each row meets itself on its own shard. */
  Arbitrary<Query> selfJoins() {
    return Combinators.combine(where("a."), Arbitraries.of(0, 1, 2), limit())
        .as((w, kind, l) -> switch (kind) {
          case 0 -> new Query("SELECT a.id, b.n, b.label FROM accounts a JOIN accounts b ON a.id = b.id" + w[0]
              + " ORDER BY a.id" + l[0], params(w, l), true);
          case 1 -> new Query("SELECT a.grp, COUNT(*), SUM(b.n) FROM accounts a JOIN accounts b ON b.id = a.id" + w[0]
              + " GROUP BY a.grp", params(w), false);
          default -> new Query("SELECT a.id, e.qty FROM accounts a JOIN entries e ON e.account_id = a.id JOIN accounts b "
              + "ON b.id = e.account_id" + w[0] + " ORDER BY a.id, e.id" + l[0], params(w, l), true);
        });
  }

  /**
   * Uncorrelated subqueries over the shards that may answer no rows: they are answered first, and {@code x IN (<no
   * rows>)} must stay false and {@code x NOT IN (<no rows>)} true.
   */
  Arbitrary<Query> emptySubqueries() {
    Arbitrary<Integer> k = Arbitraries.integers().between(30, 60);
    return Arbitraries.oneOf(
        k.map(x -> new Query("SELECT COUNT(*) FROM accounts WHERE n NOT IN (SELECT qty FROM entries WHERE qty > " + x
            + " AND qty IS NOT NULL)", List.of(), true)),
        k.map(x -> new Query("SELECT id FROM accounts WHERE n IN (SELECT qty FROM entries WHERE qty > " + x
            + ") OR id < 4 ORDER BY id", List.of(), true)),
        k.map(x -> new Query("SELECT id, grp FROM accounts WHERE id < 20 AND grp NOT IN (SELECT note FROM entries "
            + "WHERE qty > " + x + ") ORDER BY id", List.of(), true)));
  }

  /**
   * Aggregates over a derived table of one table (the distributed path pushes partial aggregates to the shards where
   * they decompose exactly, and loads rows otherwise): groups by an integer, a text or no column, aggregates of an
   * integer, a decimal or a text column, HAVING and ORDER BY over aggregates.
   */
  Arbitrary<Query> derivedAggregates() {
    Arbitrary<String> group = Arbitraries.of("", "t.grp", "t.n", "t.id");
    Arbitrary<String> aggregates = Arbitraries.of("COUNT(*)", "COUNT(*), SUM(t.x), MIN(t.x), MAX(t.x), AVG(t.x)",
        "SUM(t.x) / COUNT(*), COUNT(t.x)", "AVG(t.amt), SUM(t.amt)", "MIN(t.label), MAX(t.label)",
        "COUNT(DISTINCT t.x)");
    return Combinators.combine(group, aggregates, where(""), Arbitraries.of(true, false))
        .as((g, a, w, having) -> {
          String inner = "(SELECT id, grp, n, n AS x, amt, label FROM accounts" + w[0] + ") t";
          if (g.isEmpty()) {
            return new Query("SELECT " + a + " FROM " + inner, params(w), true);
          }
          return new Query("SELECT " + g + ", " + a + " FROM " + inner + " GROUP BY " + g
              + (having ? " HAVING COUNT(*) > 1" : ""), params(w), false);
        });
  }

  // ---------------------------------------------------------------- shapes off the shard key

  /**
   * Joins of 3 to 6 tables: accounts and its co-located entries, then the broadcast kinds, accounts again by an
   * entry's quantity (off the key), the NULL-keyed notes by owner (off any co-location) and kinds again.
   */
  Arbitrary<Query> multiJoins() {
    String[] chain = {" JOIN kinds k ON k.code = a.grp", " JOIN accounts b ON b.id = e.qty",
        " LEFT JOIN notes t ON t.owner = a.id", " LEFT JOIN kinds k2 ON k2.code = b.grp"};
    String[][] selects = {{"a.id, e.id, k.title", "COUNT(*), SUM(e.qty), MAX(k.title)"},
        {"a.id, e.id, k.title, b.n", "COUNT(*), SUM(b.n), MIN(b.label), COUNT(DISTINCT b.id)"},
        {"a.id, e.id, b.id, t.id, t.score", "COUNT(*), COUNT(t.id), SUM(t.score), MAX(b.n)"},
        {"a.id, e.id, t.id, k2.title", "COUNT(*), COUNT(k2.code), MAX(t.body), SUM(a.n)"}};
    return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.of(0, 1, 2), where("a."),
            Arbitraries.of(" JOIN ", " LEFT JOIN "))
        .as((tables, kind, w, first) -> {
          StringBuilder from = new StringBuilder("FROM accounts a" + first + "entries e ON e.account_id = a.id");
          for (int i = 0; i < tables; i++) {
            from.append(chain[i]);
          }
          String[] sel = selects[tables - 1];
          return switch (kind) {
            case 0 -> new Query("SELECT " + sel[0] + " " + from + w[0], params(w), false);
            case 1 -> new Query("SELECT " + sel[1] + " " + from + w[0], params(w), true);
            default -> new Query("SELECT k.title, " + sel[1] + " " + from.toString().replace(" JOIN kinds k ON",
                " LEFT JOIN kinds k ON") + w[0] + " GROUP BY k.title", params(w), false);
          };
        });
  }

  /** Common table expressions: over one table, joined, referenced twice, and recursive (a series and a walk). */
  Arbitrary<Query> ctes() {
    Arbitrary<Integer> k = Arbitraries.integers().between(-40, 120);
    Arbitrary<Integer> id = Arbitraries.integers().between(1, 40);
    return Arbitraries.oneOf(
        Combinators.combine(k, limit()).as((x, l) -> new Query("WITH big AS (SELECT id, grp, n FROM accounts WHERE "
            + "n > ?) SELECT grp, COUNT(*) AS c, MAX(n) AS m FROM big GROUP BY grp ORDER BY c DESC, m, grp" + l[0],
            params(new Object[] {"", List.of(x)}, l), true)),
        where("a.").map(w -> new Query("WITH t AS (SELECT account_id, SUM(qty) AS s, COUNT(*) AS c FROM entries "
            + "GROUP BY account_id) SELECT a.id, a.grp, t.s, t.c FROM accounts a JOIN t ON t.account_id = a.id" + w[0],
            params(w), false)),
        k.map(x -> new Query("WITH g AS (SELECT grp, AVG(n) AS m FROM accounts GROUP BY grp) SELECT a.id, a.n "
            + "FROM accounts a JOIN g ON g.grp = a.grp WHERE a.n > g.m AND a.n < " + (x + 60) + " AND EXISTS "
            + "(SELECT 1 FROM g g2 WHERE g2.grp = a.grp) ORDER BY a.id", List.of(), true)),
        id.map(x -> new Query("WITH RECURSIVE r(x) AS (SELECT " + x + " UNION ALL SELECT x + 3 FROM r WHERE x < "
            + (x + 40) + ") SELECT a.id, a.n, a.grp FROM accounts a JOIN r ON a.id = r.x ORDER BY a.id", List.of(),
            true)),
        id.map(x -> new Query("WITH RECURSIVE walk(id, depth) AS (SELECT id, 0 FROM accounts WHERE id = " + x
            + " UNION ALL SELECT e.qty, w.depth + 1 FROM walk w JOIN entries e ON e.account_id = w.id WHERE "
            + "w.depth < 3 AND e.qty IS NOT NULL) SELECT id, depth, COUNT(*) AS c FROM walk GROUP BY id, depth",
            List.of(), false)));
  }

  /** Window functions not partitioned by the shard key: over all rows, by a non-key column, with frames. */
  Arbitrary<Query> globalWindows() {
    Arbitrary<String> overAccounts = Arbitraries.of("ROW_NUMBER() OVER (ORDER BY n, id)",
        "RANK() OVER (PARTITION BY grp ORDER BY n DESC)", "DENSE_RANK() OVER (ORDER BY grp)",
        "LAG(n) OVER (ORDER BY id)", "LEAD(n, 2) OVER (ORDER BY n, id)", "COUNT(*) OVER ()",
        "SUM(n) OVER (PARTITION BY grp)", "MAX(label) OVER (PARTITION BY grp ORDER BY id)",
        "SUM(n) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
        "FIRST_VALUE(id) OVER (PARTITION BY grp ORDER BY n, id)");
    Arbitrary<String> overEntries = Arbitraries.of("SUM(qty) OVER (PARTITION BY note)",
        "ROW_NUMBER() OVER (PARTITION BY note ORDER BY qty, id)", "COALESCE(LAG(qty, 1) OVER (ORDER BY id), -1)",
        "SUM(qty) OVER (PARTITION BY note ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)",
        "MIN(qty) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "COUNT(qty) OVER (PARTITION BY qty)");
    return Arbitraries.oneOf(
        Combinators.combine(overAccounts, where(""), limit()).as((f, w, l) -> new Query("SELECT id, n, " + f
            + " AS w FROM accounts" + w[0] + " ORDER BY id" + l[0], params(w, l), true)),
        Combinators.combine(overEntries, Arbitraries.integers().between(0, 45), limit()).as((f, x, l) -> new Query(
            "SELECT id, note, qty, " + f + " AS w FROM entries WHERE qty IS NULL OR qty < " + x + " ORDER BY id"
                + l[0], params(l), true)),
        overAccounts.map(f -> new Query("SELECT w, COUNT(*) FROM (SELECT " + f + " AS w FROM accounts) t GROUP BY w",
            List.of(), false)));
  }

  /** INTERSECT and EXCEPT, distinct and (PostgreSQL, MariaDB) ALL, alone and mixed with UNION. */
  Arbitrary<Query> setOperations() {
    List<String> ops = new ArrayList<>(List.of(" INTERSECT ", " EXCEPT "));
    if (backend == TestShards.Backend.POSTGRES || backend == TestShards.Backend.MARIADB) {
      ops.add(" INTERSECT ALL ");
      ops.add(" EXCEPT ALL ");
    }
    Arbitrary<String> op = Arbitraries.of(ops);
    Arbitrary<Integer> k = Arbitraries.integers().between(-50, 150);
    Arbitrary<Integer> q = Arbitraries.integers().between(0, 40);
    return Arbitraries.oneOf(
        Combinators.combine(op, k, q, Arbitraries.of(true, false), limit()).as((o, x, y, ordered, l) -> {
          String sql = "SELECT n FROM accounts WHERE n > " + x + o + "SELECT qty FROM entries WHERE qty < " + y;
          return ordered ? new Query(sql + " ORDER BY 1" + l[0], params(l), true) : new Query(sql, List.of(), false);
        }),
        Combinators.combine(op, k, q).as((o, x, y) -> new Query("SELECT id FROM accounts WHERE n > ?" + o
            + "SELECT account_id FROM entries WHERE qty > " + y, List.of(x), false)),
        Combinators.combine(op, k).as((o, x) -> new Query("SELECT grp, label FROM accounts" + o
            + "SELECT grp, label FROM accounts WHERE n < " + x, List.of(), false)),
        Combinators.combine(op, Arbitraries.of(" UNION ", " UNION ALL ", " EXCEPT "), k, q).as((o, o2, x, y) ->
            new Query("SELECT n FROM accounts WHERE n < " + x + o2 + "SELECT qty FROM entries WHERE qty > " + y + o
                + "SELECT owner FROM notes", List.of(), false)),
        Combinators.combine(op, q).as((o, y) -> new Query("SELECT COUNT(*) FROM (SELECT account_id FROM entries "
            + "WHERE qty > " + y + o + "SELECT owner FROM notes) t", List.of(), true)));
  }

  /** Correlated subqueries not tied to the shard key: scalar in WHERE and in the select list, EXISTS, IN. */
  Arbitrary<Query> correlatedOffKey() {
    Arbitrary<Integer> k = Arbitraries.integers().between(-40, 120);
    return Arbitraries.oneOf(
        where("a.").map(w -> new Query("SELECT a.id FROM accounts a" + w[0] + (w[0].equals("") ? " WHERE" : " AND")
            + " a.n > (SELECT AVG(b.n) FROM accounts b WHERE b.grp = a.grp) ORDER BY a.id", params(w), true)),
        where("a.").map(w -> new Query("SELECT a.id, (SELECT COUNT(*) FROM entries e WHERE e.qty = a.n) AS c, "
            + "(SELECT MAX(b.id) FROM accounts b WHERE b.label = a.label AND b.id < a.id) AS prev FROM accounts a"
            + w[0], params(w), false)),
        k.map(x -> new Query("SELECT e.id, e.qty FROM entries e WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.n = "
            + "e.qty AND a.grp = 'g1') AND e.id < " + (x + 300) + " ORDER BY e.id", List.of(), true)),
        k.map(x -> new Query("SELECT COUNT(*) FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE "
            + "e.qty = a.n) AND a.n < " + x, List.of(), true)),
        Arbitraries.just(new Query("SELECT k.code, (SELECT COUNT(*) FROM accounts a WHERE a.grp = k.code) AS c, "
            + "(SELECT SUM(e.qty) FROM entries e JOIN accounts a ON a.id = e.account_id WHERE a.grp = k.code) AS s "
            + "FROM kinds k ORDER BY k.code", List.of(), true)),
        k.map(x -> new Query("SELECT t.id, t.owner FROM notes t WHERE t.score < (SELECT MAX(e.qty) FROM entries e "
            + "WHERE e.account_id = t.owner) OR t.score > " + x, List.of(), false)));
  }

  /** The nullable shard key of notes: NULL keys live on one shard; IS NULL routes there. */
  Arbitrary<Query> nullKeys() {
    Arbitrary<Integer> k = Arbitraries.integers().between(0, 50);
    Arbitrary<Integer> owner = Arbitraries.integers().between(1, Fixture.ACCOUNTS);
    return Arbitraries.oneOf(
        Combinators.combine(k, limit()).as((x, l) -> new Query("SELECT id, owner, score FROM notes WHERE owner IS NULL "
            + "AND (score > ? OR score IS NULL) ORDER BY id" + l[0], params(new Object[] {"", List.of(x)}, l), true)),
        Combinators.combine(owner, owner).as((x, y) -> new Query("SELECT COUNT(*), SUM(score), MAX(body) FROM notes "
            + "WHERE owner IS NULL OR owner IN (" + x + ", ?)", List.of(y), true)),
        Combinators.combine(owner, owner).as((x, y) -> new Query("SELECT id FROM notes WHERE owner IS NULL OR owner IN ("
            + x + ", NULL) ORDER BY id", List.of(), true)),
        Combinators.combine(owner, owner).as((x, y) -> new Query("SELECT id, owner FROM notes WHERE owner IS NOT NULL "
            + "AND owner NOT IN (" + x + ", " + y + ") ORDER BY id", List.of(), true)),
        Arbitraries.of("COUNT(*)", "SUM(score)", "MIN(body)", "COUNT(DISTINCT score)").map(a -> new Query(
            "SELECT owner, " + a + " FROM notes GROUP BY owner", List.of(), false)),
        nulls().map(nl -> new Query("SELECT DISTINCT owner FROM notes ORDER BY owner" + nl, List.of(), true)),
        Combinators.combine(nulls(), limit()).as((nl, l) -> new Query("SELECT owner, id, body FROM notes ORDER BY "
            + "owner DESC" + nl + ", id" + l[0], params(l), true)),
        Arbitraries.of("JOIN", "LEFT JOIN").map(j -> new Query("SELECT t.id, t.owner, a.grp, a.n FROM notes t " + j
            + " accounts a ON a.id = t.owner", List.of(), false)),
        Arbitraries.just(new Query("SELECT a.id, COUNT(t.id) FROM accounts a LEFT JOIN notes t ON t.owner = a.id "
            + "WHERE a.id < 40 GROUP BY a.id", List.of(), false)));
  }

  /**
   * The backend's other aggregates: text concatenation with an ORDER BY inside (so one answer is right), standard
   * deviation and variance (rounded to 6 places: floating-point summation order differs across shards), boolean
   * aggregates, COUNT(DISTINCT).
   */
  Arbitrary<Query> anyAggregates() {
    List<String> aggregates = new ArrayList<>(List.of("COUNT(DISTINCT label)", "COUNT(DISTINCT n)"));
    switch (backend) {
      case H2 -> aggregates.addAll(List.of("GROUP_CONCAT(label ORDER BY label, id SEPARATOR ',')",
          "STRING_AGG(label, ';' ORDER BY label)", "LISTAGG(n, ',') WITHIN GROUP (ORDER BY n, id)",
          "ROUND(STDDEV_POP(n), 6)", "ROUND(STDDEV_SAMP(n), 6)", "ROUND(VAR_SAMP(n), 6)", "ROUND(VAR_POP(amt), 6)",
          "BOOL_AND(n > 0)", "EVERY(n < 100)", "BOOL_OR(n > 140)"));
      case SQLITE -> aggregates.addAll(List.of("GROUP_CONCAT(label, ',' ORDER BY label)",
          "GROUP_CONCAT(DISTINCT label)", "STRING_AGG(label, ';' ORDER BY label, id)",
          "GROUP_CONCAT(n ORDER BY n DESC, id)"));
      case POSTGRES -> aggregates.addAll(List.of("STRING_AGG(label, ',' ORDER BY label)",
          "STRING_AGG(DISTINCT label, ';' ORDER BY label)", "ROUND(STDDEV(n), 6)", "ROUND(VARIANCE(n), 6)",
          "ROUND(STDDEV_POP(amt), 6)", "ROUND(VAR_POP(n), 6)", "BOOL_AND(n > 0)", "EVERY(n < 100)",
          "BOOL_OR(n > 140)"));
      default -> aggregates.addAll(List.of("GROUP_CONCAT(label ORDER BY label SEPARATOR ',')",
          "GROUP_CONCAT(DISTINCT grp ORDER BY grp)", "ROUND(STDDEV(n), 6)", "ROUND(VARIANCE(n), 6)",
          "ROUND(STDDEV_SAMP(amt), 6)", "ROUND(VAR_SAMP(n), 6)", "BIT_AND(id)", "BIT_OR(n)"));
    }
    Arbitrary<List<String>> aggs = Arbitraries.of(aggregates).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    return Combinators.combine(aggs, Arbitraries.of("", "grp", "label"), where(""))
        .as((list, g, w) -> {
          String select = String.join(", ", list);
          if (g.isEmpty()) {
            return new Query("SELECT " + select + " FROM accounts" + w[0], params(w), true);
          }
          return new Query("SELECT " + g + ", " + select + " FROM accounts" + w[0] + " GROUP BY " + g, params(w),
              false);
        });
  }

  /** SQLite's own: TOTAL() and the empty list. */
  Arbitrary<Query> sqliteOnly() {
    Arbitrary<String> total = Arbitraries.of("TOTAL(n)", "TOTAL(amt)", "TOTAL(DISTINCT n)", "TOTAL(n) + COUNT(*)");
    return Arbitraries.oneOf(
        Combinators.combine(total, where(""), Arbitraries.of("", "grp")).as((t, w, g) -> g.isEmpty()
            ? new Query("SELECT " + t + " FROM accounts" + w[0], params(w), true)
            : new Query("SELECT grp, " + t + " FROM accounts" + w[0] + " GROUP BY grp", params(w), false)),
        where("").map(w -> new Query("SELECT id, n IN (), n NOT IN () FROM accounts" + w[0], params(w), false)));
  }

  /** Grouping by the co-located table's shard key: every group lives on one shard. */
  Arbitrary<Query> entriesByKey() {
    return Combinators.combine(Arbitraries.of("COUNT(*)", "SUM(qty)", "MAX(note)", "AVG(qty)"), limit())
        .as((agg, l) -> new Query("SELECT account_id, " + agg + " FROM entries GROUP BY account_id ORDER BY "
            + agg + " DESC, account_id" + l[0], params(l), true));
  }
}
