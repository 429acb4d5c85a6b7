package org.collegedb.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.collegedb.fixtures.EveryBackend;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Assumptions;

/**
 * The sqllogictest corpus {@code select1} ... {@code select5} (the {@code net.hydromatic:sql-logic-test} jar) through
 * CollegeDB over 4 shards, compared with one reference database of the same product holding the same rows, on H2,
 * SQLite, PostgreSQL and MariaDB. Each file's tables are created and filled through CollegeDB (table {@code tN}
 * sharded by its first column when N is odd, its second when N is even, so that the corpus's joins
 * {@code aN = bM} are co-located for some pairs and off the keys for others) and directly in the reference database.
 * Each query is classified: answered equally, refused by CollegeDB (by SQLState and reason), answered differently
 * (a wrong answer), or failed otherwise; a query the reference database itself rejects is skipped.
 *
 * <p>Every build runs every {@value #CI_EVERY}th query of each file; {@code -Dcollegedb.slt.every=1} runs the whole
 * corpus, {@code -Dcollegedb.slt.files=select1,select4} chooses files, {@code -Dcollegedb.slt.backends=h2,sqlite}
 * backends. The summary is printed and written to
 * {@code tests/target/slt/<backend>.txt} with every query that was not answered equally.
 */
class SqlLogicTestDifferentialTest {
  static final int CI_EVERY = 100;
  private static final int EVERY = Integer.getInteger("collegedb.slt.every", CI_EVERY);
  private static final List<String> BACKENDS = List.of(System.getProperty("collegedb.slt.backends", "")
      .toUpperCase(java.util.Locale.ROOT).split(",")).stream().filter(b -> !b.isEmpty()).toList();
  private static final List<String> FILES =
      List.of(System.getProperty("collegedb.slt.files", "select1,select2,select3,select4,select5").split(","));
  /**
   * The least share of the compared queries (those the reference answers) that each backend must answer equally:
   * set from what was measured (see README, "Queries across shards: the distributed path"), so a regression fails.
   */
  private static final Map<Backend, Double> MIN_EQUAL = Map.of(
      Backend.H2, 1.0, Backend.SQLITE, 1.0, Backend.POSTGRES, 1.0, Backend.MARIADB, 1.0);
  private static final Pattern CREATE_TABLE =
      Pattern.compile("(?is)\\s*CREATE\\s+TABLE\\s+(\\w+)\\s*\\(\\s*(\\w+)\\s[^,]*,\\s*(\\w+)\\s.*");
  /** A query through CollegeDB that takes longer fails (the suite must end); the reference answers in milliseconds. */
  private static final int QUERY_TIMEOUT_SECONDS = 60;
  private static final Pattern TABLE_NUMBER = Pattern.compile("\\D*(\\d+)");

  /** What happened to the compared queries of one file (or of all files) on one backend. */
  static final class Tally {
    int total;
    int skipped;
    int equal;
    int different;
    int error;
    double seconds;
    double loadSeconds;
    final Map<String, Integer> refused = new TreeMap<>();
    final Map<String, Integer> errors = new TreeMap<>();

    int refusedTotal() {
      return refused.values().stream().mapToInt(Integer::intValue).sum();
    }

    int compared() {
      return total - skipped;
    }

    void add(Tally t) {
      total += t.total;
      skipped += t.skipped;
      equal += t.equal;
      different += t.different;
      error += t.error;
      seconds += t.seconds;
      loadSeconds += t.loadSeconds;
      t.refused.forEach((k, v) -> refused.merge(k, v, Integer::sum));
      t.errors.forEach((k, v) -> errors.merge(k, v, Integer::sum));
    }

    String line() {
      return String.format("total %d, reference rejects %d, compared %d: equal %d (%.1f%%), refused %d, "
          + "different %d, error %d (%.1f s, loading %.1f s)", total, skipped, compared(), equal,
          compared() == 0 ? 0.0 : 100.0 * equal / compared(), refusedTotal(), different, error, seconds,
          loadSeconds);
    }
  }

  @EveryBackend
  void corpus(Backend backend) throws Exception {
    Assumptions.assumeTrue(BACKENDS.isEmpty() || BACKENDS.contains(backend.name()),
        "collegedb.slt.backends=" + BACKENDS);
    TestShards shards = TestShards.create(backend, "slt", 4);
    Tally all = new Tally();
    StringBuilder report = new StringBuilder();
    Map<String, Tally> perFile = new LinkedHashMap<>();
    long start = System.nanoTime();
    List<String> files = FILES;
    for (String file : files) {
      long fileStart = System.nanoTime();
      Tally t = runFile(shards, backend, file, report, file.equals(files.get(files.size() - 1)));
      t.seconds = (System.nanoTime() - fileStart) / 1e9;
      perFile.put(file, t);
      all.add(t);
    }
    StringBuilder summary = new StringBuilder();
    summary.append(String.format("sqllogictest %s, every %d. query, %.1f s%n", backend, EVERY,
        (System.nanoTime() - start) / 1e9));
    perFile.forEach((f, t) -> summary.append("  ").append(f).append(": ").append(t.line()).append('\n'));
    summary.append("  all: ").append(all.line()).append('\n');
    all.refused.forEach((k, v) -> summary.append("    refused ").append(v).append(": ").append(k).append('\n'));
    all.errors.forEach((k, v) -> summary.append("    error ").append(v).append(": ").append(k).append('\n'));
    System.out.print(summary);
    write(backend, summary + "\n" + report);

    assertEquals(0, all.different, "wrong answers on " + backend + " (see tests/target/slt/" + backend + ".txt)");
    double share = all.compared() == 0 ? 1.0 : (double) all.equal / all.compared();
    assertTrue(share >= MIN_EQUAL.get(backend), String.format("%s answered %.3f of the compared queries equally, "
        + "less than the %.3f measured before", backend, share, MIN_EQUAL.get(backend)));
  }

  private Tally runFile(TestShards shards, Backend backend, String file, StringBuilder report, boolean last)
      throws Exception {
    List<SqlLogicTestFile.Record> records = switch (backend) {
      case SQLITE -> SqlLogicTestFile.read(file, "sqlite");
      case POSTGRES -> SqlLogicTestFile.read(file, "postgresql");
      case MARIADB -> SqlLogicTestFile.read(file, "mysql", "mariadb");
      case H2 -> SqlLogicTestFile.read(file, "h2");
    };
    List<String> settings = new ArrayList<>();
    List<String> tables = new ArrayList<>();
    for (SqlLogicTestFile.Record r : records) {
      if (r instanceof SqlLogicTestFile.Statement s) {
        Matcher m = CREATE_TABLE.matcher(s.sql());
        if (m.matches()) {
          tables.add(m.group(1));
          Matcher n = TABLE_NUMBER.matcher(m.group(1));
          boolean even = n.lookingAt() && Integer.parseInt(n.group(1)) % 2 == 0;
          settings.add("tables." + m.group(1) + ".key");
          settings.add(even ? m.group(3) : m.group(2));
        }
      }
    }
    Tally tally = new Tally();
    try (Connection sharded = shards.connect(settings.toArray(String[]::new));
         Connection reference = shards.reference()) {
      try {
        long loadStart = System.nanoTime();
        load(records, sharded, reference);
        tally.loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        int index = 0;
        for (SqlLogicTestFile.Record r : records) {
          if (r instanceof SqlLogicTestFile.Query q && index++ % EVERY == 0) {
            compare(file, q, sharded, reference, tally, report);
          }
        }
      } finally {
        if (!last) {
          drop(shards, tables);
        }
      }
    }
    return tally;
  }

  /**
   * Drops a file's tables on each shard and in the reference database directly (through CollegeDB each DROP is a
   * schema change across the shards, about a second apiece on PostgreSQL; the next file connects with other
   * settings, hence another CollegeDB runtime that reads the tables afresh).
   */
  private static void drop(TestShards shards, List<String> tables) throws SQLException {
    for (int i = -1; i < shards.count(); i++) {
      try (Connection c = i < 0 ? shards.reference() : shards.direct(i); Statement s = c.createStatement()) {
        for (String table : tables) {
          s.execute("DROP TABLE " + table);
        }
      }
    }
  }

  /** Runs the file's statements through both; INSERTs in one transaction each (SQLite syncs once, not per row). */
  private static void load(List<SqlLogicTestFile.Record> records, Connection sharded, Connection reference)
      throws SQLException {
    for (Connection c : List.of(sharded, reference)) {
      boolean inTransaction = false;
      for (SqlLogicTestFile.Record r : records) {
        if (!(r instanceof SqlLogicTestFile.Statement s) || s.expectError()) {
          continue;
        }
        boolean insert = s.sql().stripLeading().regionMatches(true, 0, "INSERT", 0, 6);
        if (insert != inTransaction) {
          if (inTransaction) {
            c.commit();
          }
          c.setAutoCommit(!insert);
          inTransaction = insert;
        }
        try (Statement st = c.createStatement()) {
          st.execute(s.sql());
        }
      }
      if (inTransaction) {
        c.commit();
        c.setAutoCommit(true);
      }
    }
  }

  private static void compare(String file, SqlLogicTestFile.Query q, Connection sharded, Connection reference,
      Tally tally, StringBuilder report) {
    tally.total++;
    List<List<String>> expected;
    try (Statement s = reference.createStatement(); ResultSet rs = s.executeQuery(q.sql())) {
      expected = SqlLogicAnswers.rows(rs);
    } catch (SQLException e) {
      tally.skipped++;
      return;
    }
    String where = file + ":" + q.line();
    long start = System.nanoTime();
    try (Statement s = sharded.createStatement()) {
      s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      List<List<String>> actual;
      try (ResultSet rs = s.executeQuery(q.sql())) {
        actual = SqlLogicAnswers.rows(rs);
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (ms > 2_000) {
        report.append("SLOW ").append(where).append(": ").append(ms).append(" ms\n").append(q.sql()).append("\n\n");
      }
      String difference = SqlLogicAnswers.difference(q, expected, actual);
      if (difference == null) {
        tally.equal++;
      } else {
        tally.different++;
        report.append("DIFFERENT ").append(where).append(": ").append(difference).append('\n')
            .append(q.sql()).append("\n\n");
      }
    } catch (SQLException e) {
      String reason = reason(e);
      if ("0A000".equals(e.getSQLState()) || "54000".equals(e.getSQLState())) {
        tally.refused.merge(reason, 1, Integer::sum);
        report.append("REFUSED ").append(where).append(": ").append(e.getMessage()).append('\n')
            .append(q.sql()).append("\n\n");
      } else {
        tally.error++;
        tally.errors.merge(reason, 1, Integer::sum);
        report.append("ERROR ").append(where).append(": [").append(e.getSQLState()).append("] ")
            .append(e.getMessage()).append('\n').append(q.sql()).append("\n\n");
      }
    } catch (RuntimeException e) {
      tally.error++;
      tally.errors.merge("driver threw " + e.getClass().getSimpleName(), 1, Integer::sum);
      report.append("ERROR ").append(where).append(": ").append(e).append('\n').append(q.sql()).append("\n\n");
    }
  }

  /** The SQLState and the start of the message, numbers and quoted names masked, to count refusals by kind. */
  static String reason(SQLException e) {
    String m = String.valueOf(e.getMessage()).replaceAll("'[^']*'", "'?'").replaceAll("\\d+", "N");
    int cut = m.indexOf(':');
    m = cut > 20 ? m.substring(0, cut) : m;
    return "[" + e.getSQLState() + "] " + (m.length() > 110 ? m.substring(0, 110) : m);
  }

  private static void write(Backend backend, String text) throws IOException {
    Path dir = Path.of("target", "slt");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(backend + ".txt"), text);
  }
}
