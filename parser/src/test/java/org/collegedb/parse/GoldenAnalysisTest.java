package org.collegedb.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Analyses every statement of {@code golden/analysis.txt} and compares the {@link AnalysisPrinter printed} analysis
 * with the one the file expects. With {@code -Dgolden.update=true} the file is rewritten with the current analyses
 * instead, so that a change in the analyser is reviewed as a diff of the file.
 *
 * <p>File format: lines starting with {@code #} and blank lines are kept as they are. A block is one or more lines
 * starting with {@code > } (the statement, lexed in standard mode) or {@code mysql> } (lexed with MySQL options),
 * joined with newlines, followed by the expected analysis up to the next blank line.
 */
class GoldenAnalysisTest {
  private static final Path FILE = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "golden",
      "analysis.txt");
  private static final String STANDARD = "> ";
  private static final String MYSQL = "mysql> ";

  /** A statement of the file with the analysis the file expects. */
  private record Block(String prefix, List<String> sqlLines, List<String> expected) {
    String sql() {
      return String.join("\n", sqlLines);
    }

    SqlLexer.Options options() {
      return prefix.equals(MYSQL) ? SqlLexer.Options.MYSQL : SqlLexer.Options.STANDARD;
    }
  }

  @Test
  void analysesMatchTheGoldenFile() throws IOException {
    List<String> lines = Files.readAllLines(FILE, StandardCharsets.UTF_8);
    List<Object> items = parse(lines);
    List<String> mismatches = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    StringBuilder rewritten = new StringBuilder();
    int statements = 0;
    for (Object item : items) {
      if (item instanceof String verbatim) {
        rewritten.append(verbatim).append('\n');
        continue;
      }
      Block block = (Block) item;
      statements++;
      String actual = analyse(block, violations);
      for (String sqlLine : block.sqlLines()) {
        rewritten.append(block.prefix()).append(sqlLine).append('\n');
      }
      rewritten.append(actual);
      String expected = block.expected().isEmpty() ? "" : String.join("\n", block.expected()) + "\n";
      if (!actual.equals(expected)) {
        mismatches.add(block.sql() + "\n--- expected\n" + expected + "--- actual\n" + actual);
      }
    }
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(FILE, rewritten.toString(), StandardCharsets.UTF_8);
      System.out.println("rewrote " + FILE.toAbsolutePath() + ": " + mismatches.size() + " analyses changed");
    } else {
      assertThat(mismatches)
          .as("analyses that differ from %s (rerun with -Dgolden.update=true to rewrite it, then review the diff)",
              FILE)
          .isEmpty();
    }
    assertThat(violations).as("invariant violations").isEmpty();
    assertThat(statements).as("statements in the golden file").isGreaterThanOrEqualTo(150);
  }

  private static String analyse(Block block, List<String> violations) {
    Tokens tokens;
    ParsedStatement statement;
    try {
      tokens = SqlLexer.lex(block.sql(), block.options());
      statement = StatementAnalyzer.analyze(tokens);
    } catch (SqlSyntaxException e) {
      return "error: " + e.getMessage() + "\n";
    } catch (RuntimeException e) {
      violations.add(block.sql() + ": analyze threw " + e);
      return "CRASH: " + e + "\n";
    }
    for (String v : AnalysisInvariants.violations(tokens, statement)) {
      violations.add(block.sql() + ": " + v);
    }
    return AnalysisPrinter.print(tokens, statement);
  }

  /** The file as verbatim lines ({@code String}) and {@link Block}s, in order. */
  private static List<Object> parse(List<String> lines) {
    List<Object> items = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      String prefix = line.startsWith(STANDARD) ? STANDARD : line.startsWith(MYSQL) ? MYSQL : null;
      if (prefix == null) {
        items.add(line);
        i++;
        continue;
      }
      List<String> sql = new ArrayList<>();
      while (i < lines.size() && lines.get(i).startsWith(prefix)) {
        sql.add(lines.get(i).substring(prefix.length()));
        i++;
      }
      List<String> expected = new ArrayList<>();
      while (i < lines.size() && !lines.get(i).isEmpty() && !lines.get(i).startsWith(STANDARD)
          && !lines.get(i).startsWith(MYSQL)) {
        expected.add(lines.get(i));
        i++;
      }
      items.add(new Block(prefix, sql, expected));
    }
    return items;
  }
}
