package org.collegedb.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.migrate.Database;
import org.collegedb.migrate.MigrationOptions;
import org.collegedb.migrate.MigrationReport;
import org.collegedb.migrate.Split;
import org.collegedb.migrate.Unshard;

/**
 * Bringing an existing database in, and merging it back, on SQLite files under {@code ./data-split} (made afresh
 * each run): one database like the quickstart's ({@code users}, {@code orders}, and a broadcast {@code countries}) is
 * split into four shards, verified, then merged back into one database that is compared with the original.
 *
 * <p>Run from the repository root: {@code mvn -q -pl samples -am compile exec:java@split}
 */
public final class SplitSample {
  private static final Path DATA = Path.of("data-split");

  private SplitSample() {
  }

  public static void main(String[] args) throws Exception {
    clean();
    Files.createDirectories(DATA);
    String source = "jdbc:sqlite:" + DATA.resolve("app.db");
    createSingleDatabase(source);
    Path config = DATA.resolve("split.yaml");
    StringBuilder yaml = new StringBuilder("shards:\n");
    for (int i = 1; i <= 4; i++) {
      yaml.append("  s").append(i).append(":\n    url: jdbc:sqlite:${configDir}/s").append(i).append(".db\n");
    }
    yaml.append("tables:\n  orders:\n    key: user_id\n  countries:\n    broadcast: true\n");
    Files.writeString(config, yaml);
    String url = "jdbc:collegedb:" + config;
    MigrationOptions options = MigrationOptions.defaults().log(line -> { });

    System.out.println("1. The plan (--dry-run): nothing changes");
    print(Split.run(Database.of(source), url, null, options.dryRun(true)));

    System.out.println("\n2. Split: create, capture, copy, catch up, verify");
    print(Split.run(Database.of(source), url, null, options));

    System.out.println("\n3. Finish: the source refuses writes, last catch-up, verify, capture removed");
    print(Split.run(Database.of(source), url, null, options.finish(true)));
    try (Connection app = DriverManager.getConnection(url)) {
      CollegeAdmin admin = CollegeAdmin.of(app);
      System.out.println("   verify: " + admin.verify().problems().size() + " difference(s) in "
          + String.format(Locale.ROOT, "%,d", admin.verify().rows()) + " rows");
      System.out.println("   rows per shard: " + admin.distribution().rows());
    }

    // 4. Adding a 5th shard online belongs to the reshard command (collegedb reshard), built separately:
    //    add s5 to split.yaml and run Reshard here.

    System.out.println("\n5. Unshard: merge the four shards back into one database");
    String merged = "jdbc:sqlite:" + DATA.resolve("merged.db");
    print(Unshard.run(url, null, new Database("target", merged, null, null), options.finish(true)));
    for (String table : new String[] {"users", "orders", "countries"}) {
      System.out.printf(Locale.ROOT, "   %-9s original %,7d rows, merged %,7d rows%n", table, count(source, table),
          count(merged, table));
    }
  }

  private static void print(MigrationReport r) {
    for (String line : r.lines()) {
      System.out.println("   " + line);
    }
    if (!r.state().equals("planned")) {
      System.out.printf(Locale.ROOT, "   %s: %s (%,d rows copied, %,d changes applied, %,d rows verified)%n", r.id(),
          r.state(), r.copied(), r.applied(), r.verified());
    }
  }

  private static void createSingleDatabase(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)");
      st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, total DECIMAL(10, 2))");
      st.execute("CREATE TABLE countries (code CHAR(2) PRIMARY KEY, name TEXT NOT NULL)");
      c.setAutoCommit(false);
      try (PreparedStatement u = c.prepareStatement("INSERT INTO users VALUES (?, ?, ?)");
           PreparedStatement o = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)")) {
        for (int i = 1; i <= 2_000; i++) {
          u.setInt(1, i);
          u.setString(2, "user " + i);
          u.setString(3, "user" + i + "@example.org");
          u.addBatch();
          for (int j = 0; j < 5; j++) {
            o.setInt(1, i * 5 + j);
            o.setInt(2, i);
            o.setBigDecimal(3, new java.math.BigDecimal((i * 7 + j) % 1000 + ".50"));
            o.addBatch();
          }
        }
        u.executeBatch();
        o.executeBatch();
      }
      st.execute("INSERT INTO countries VALUES ('de', 'Germany'), ('fr', 'France'), ('jp', 'Japan')");
      c.commit();
    }
  }

  private static long count(String url, String table) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void clean() throws IOException {
    if (Files.exists(DATA)) {
      try (Stream<Path> files = Files.walk(DATA)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
