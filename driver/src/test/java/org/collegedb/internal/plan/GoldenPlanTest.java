package org.collegedb.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.SqlSyntaxException;
import org.collegedb.parse.StatementAnalyzer;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.value.KeyType;
import org.collegedb.internal.route.ShardMap;
import org.collegedb.internal.route.ShardRouter;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.TableRule;
import org.junit.jupiter.api.Test;

/**
 * Plans every statement of the files under {@code golden/plans/} against a fixed schema ({@link #SCHEMA}) and a fixed
 * map of four shards, with no database, and compares each plan's text ({@link Plan#explain}) with the one the file
 * expects. With {@code -Dgolden.update=true} the files are rewritten with the current plans instead, so that a change
 * in planning is reviewed as a diff of the files (as Vitess's planbuilder test data).
 *
 * <p>File format: lines starting with {@code #} and blank lines are kept. A block is one or more lines starting with
 * {@code > } (the statement), followed by the expected plan up to the next blank line. Every {@code ?} is bound to
 * the integer {@code 10 * n + 1} for the n-th parameter (11, 21, 31, ...).
 */
class GoldenPlanTest {
  private static final Path DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "golden",
      "plans");
  private static final String PROMPT = "> ";
  static final List<String> SHARDS = List.of("s1", "s2", "s3", "s4");

  /** The fixed schema the golden plans are made against. */
  static final Map<String, TableRule> SCHEMA = Map.of(
      "users", sharded("users", List.of("id"), new KeyType[] {KeyType.INTEGER},
          List.of("id", "name", "email", "age", "country"), List.of(), List.of()),
      "orders", sharded("orders", List.of("user_id"), new KeyType[] {KeyType.INTEGER},
          List.of("id", "user_id", "total", "status", "created"), List.of(), List.of()),
      "items", sharded("items", List.of("user_id"), new KeyType[] {KeyType.INTEGER},
          List.of("id", "order_id", "user_id", "sku", "qty", "price"), List.of(), List.of()),
      "accounts", sharded("accounts", List.of("region", "id"), new KeyType[] {KeyType.TEXT, KeyType.INTEGER},
          List.of("region", "id", "balance"), List.of(), List.of()),
      "tags", sharded("tags", List.of("name"), new KeyType[] {KeyType.TEXT}, List.of("name", "uses"), List.of(),
          List.of()),
      "people", sharded("people", List.of("id"), new KeyType[] {KeyType.INTEGER}, List.of("id", "name"),
          List.of("id"), List.of()),
      "members", sharded("members", List.of("id"), new KeyType[] {KeyType.INTEGER},
          List.of("id", "email", "nick"), List.of(), List.of("email", "nick")),
      "countries", new TableRule("countries", TableRule.Placement.BROADCAST, List.of(), new KeyType[0],
          List.of("code", "name"), List.of(), true),
      "events", new TableRule("events", TableRule.Placement.UNKEYED, List.of(), new KeyType[0],
          List.of("id", "kind", "at"), List.of(), true),
      "visits", new TableRule("visits", TableRule.Placement.SHARDED, List.of("tenant"),
          new KeyType[] {KeyType.TEXT}, List.of("id", "tenant", "at"), List.of(), true, Map.of(), List.of(),
          List.of()));

  private static TableRule sharded(String name, List<String> key, KeyType[] types, List<String> columns,
      List<String> generated, List<String> lookup) {
    // Primary-key columns are NOT NULL: a NULL key there is refused; "events2" below has a nullable key.
    return new TableRule(name, TableRule.Placement.SHARDED, key, types, columns, generated, true, Map.of(), lookup,
        key);
  }

  private static final ShardMap MAP = ShardMap.initial(SHARDS);
  /**
   * The map of the files whose name starts with {@code motion}: {@link #MAP} while a reshard moves the start of s1's
   * range to s2 and is copying it (s2 may hold rows it does not own).
   */
  static final ShardMap MOTION_MAP = MAP.withMotion(List.of(new ShardMap.Motion(Long.MIN_VALUE,
      Long.MIN_VALUE + (1L << 60), "s1", "s2", ShardMap.Motion.COPY)));

  static Planner planner() {
    return planner(MAP);
  }

  static Planner planner(ShardMap map) {
    ShardRouter router = new ShardRouter(new ShardRouter.Context() {
      @Override
      public ShardMap shardMap() {
        return map;
      }

      @Override
      public TableRule rule(String table) {
        TableRule rule = SCHEMA.get(table.toLowerCase(java.util.Locale.ROOT));
        return rule != null ? rule : new TableRule(table.toLowerCase(java.util.Locale.ROOT),
            TableRule.Placement.UNKEYED, List.of(), new KeyType[0], List.of(), List.of(), false);
      }
    });
    return new Planner(router, Dialect.H2, false, new Planner.Analyzer() {
      @Override
      public Tokens lex(String sql) {
        return SqlLexer.lex(sql);
      }

      @Override
      public ParsedStatement analyze(Tokens tokens) {
        return StatementAnalyzer.analyze(tokens);
      }
    }, null, true);
  }

  /** The plan text of one statement, or the error that keeps it from being planned. */
  static String plan(Planner planner, String sql) {
    try {
      Tokens tokens = SqlLexer.lex(sql);
      ParsedStatement statement = StatementAnalyzer.analyze(tokens);
      ParameterStore params = new ParameterStore();
      for (int i = 1; i <= tokens.paramCount(); i++) {
        params.setPrimitive(i, ParameterStore.Setter.LONG, 10L * i + 1);
      }
      Plan plan = planner.plan(statement, new Bindings(tokens, params, false), null);
      return plan.explain(SHARDS);
    } catch (SqlSyntaxException e) {
      return "error syntax " + e.getMessage() + "\n";
    } catch (SQLException e) {
      return "error " + e.getSQLState() + " " + e.getMessage() + "\n";
    }
  }

  @Test
  void plansMatchTheGoldenFiles() throws IOException {
    Planner still = planner();
    Planner moving = planner(MOTION_MAP);
    List<String> mismatches = new ArrayList<>();
    int statements = 0;
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    for (Path file : files) {
      Planner planner = file.getFileName().toString().startsWith("motion") ? moving : still;
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      StringBuilder rewritten = new StringBuilder();
      int i = 0;
      while (i < lines.size()) {
        String line = lines.get(i);
        if (!line.startsWith(PROMPT)) {
          rewritten.append(line).append('\n');
          i++;
          continue;
        }
        List<String> sql = new ArrayList<>();
        while (i < lines.size() && lines.get(i).startsWith(PROMPT)) {
          sql.add(lines.get(i).substring(PROMPT.length()));
          i++;
        }
        List<String> expected = new ArrayList<>();
        while (i < lines.size() && !lines.get(i).isEmpty()) {
          expected.add(lines.get(i));
          i++;
        }
        statements++;
        String text = String.join("\n", sql);
        String actual = plan(planner, text);
        for (String s : sql) {
          rewritten.append(PROMPT).append(s).append('\n');
        }
        rewritten.append(actual);
        String want = expected.isEmpty() ? "" : String.join("\n", expected) + "\n";
        if (!actual.equals(want)) {
          mismatches.add(file.getFileName() + ": " + text + "\n--- expected\n" + want + "--- actual\n" + actual);
        }
      }
      if (Boolean.getBoolean("golden.update")) {
        Files.writeString(file, rewritten.toString(), StandardCharsets.UTF_8);
      }
    }
    if (!Boolean.getBoolean("golden.update")) {
      assertThat(mismatches)
          .as("plans that differ from the files in %s (rerun with -Dgolden.update=true to rewrite them, then "
              + "review the diff)", DIR)
          .isEmpty();
    }
    assertThat(files.stream().map(p -> p.getFileName().toString()).toList()).contains("unsupported.txt");
    assertThat(statements).as("statements in the golden plan files").isGreaterThanOrEqualTo(300);
  }
}
