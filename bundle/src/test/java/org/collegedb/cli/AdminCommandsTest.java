package org.collegedb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * The admin commands run in-process through picocli with their output captured, on real shards; what they print is
 * checked against what each shard holds, read directly.
 */
class AdminCommandsTest {
  private static final int USERS = 60;

  @TempDir
  Path dir;

  /** A command's exit status and what it printed. */
  record Run(int status, String out, String err) {
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new CollegeCli());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private String config(TestShards shards, String name, List<String> urls) throws Exception {
    StringBuilder b = new StringBuilder();
    if (shards.backend() == Backend.POSTGRES) {
      b.append("user: postgres\n");
    } else if (shards.backend() == Backend.MARIADB) {
      b.append("user: root\n");
    }
    b.append("shards:\n");
    for (int i = 0; i < urls.size(); i++) {
      b.append("  s").append(i + 1).append(":\n    url: ").append(urls.get(i)).append('\n');
    }
    b.append("directory:\n  placements: on\n");
    b.append("tables:\n  users:\n    lookup: email\n  orders:\n    key: user_id\n");
    Path file = dir.resolve(name);
    Files.writeString(file, b.toString());
    return file.toString();
  }

  private static List<String> urls(TestShards shards) {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < shards.count(); i++) {
      urls.add(shards.url(i));
    }
    return urls;
  }

  private String loaded(TestShards shards) throws Exception {
    String config = config(shards, "app.yaml", urls(shards));
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + config); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100), name VARCHAR(40))");
      s.execute("CREATE TABLE orders (id BIGINT, user_id BIGINT, total INT, PRIMARY KEY (user_id, id))");
      try (PreparedStatement u = c.prepareStatement("INSERT INTO users (id, email, name) VALUES (?, ?, ?)");
           PreparedStatement o = c.prepareStatement("INSERT INTO orders (id, user_id, total) VALUES (?, ?, ?)")) {
        for (long id = 1; id <= USERS; id++) {
          u.setLong(1, id);
          u.setString(2, "user" + id + "@example.org");
          u.setString(3, "User " + id);
          u.executeUpdate();
          for (long n = 1; n <= id % 3; n++) {
            o.setLong(1, n);
            o.setLong(2, id);
            o.setInt(3, 10);
            o.executeUpdate();
          }
        }
      }
    }
    return config;
  }

  private static long count(TestShards shards, int shard, String sql) throws SQLException {
    try (Connection c = shards.direct(shard); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The shard (by name) that physically holds user {@code id}, read from every shard directly. */
  private static String holder(TestShards shards, long id) throws SQLException {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < shards.count(); i++) {
      if (count(shards, i, "SELECT COUNT(*) FROM users WHERE id = " + id) > 0) {
        found.add(shards.names().get(i));
      }
    }
    assertThat(found).as("shards holding user %s", id).hasSize(1);
    return found.get(0);
  }

  private static String number(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void statusAndDistributionCountWhatEachShardHolds(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "cli_status", 3);
    String config = loaded(shards);

    Run status = run("status", config);
    assertThat(status.status()).as(status.err()).isZero();
    assertThat(status.out()).contains("shard map version 1, 3 shards", "serves s1, s2, s3");
    long total = 0;
    for (int i = 0; i < shards.count(); i++) {
      long rows = count(shards, i, "SELECT COUNT(*) FROM users") + count(shards, i, "SELECT COUNT(*) FROM orders");
      total += rows;
      String name = shards.names().get(i);
      String line = status.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
      assertThat(line).as("status line of %s", shards.names().get(i)).contains("33.33%", " " + number(rows) + " ");
    }
    assertThat(status.out()).containsPattern("total +" + number(total));
    assertThat(status.out()).contains("-9223372036854775808..", "..9223372036854775807", "skew");

    Run users = run("distribution", config, "users");
    assertThat(users.status()).as(users.err()).isZero();
    assertThat(users.out()).contains("rows of users, per shard", "total " + USERS);
    for (int i = 0; i < shards.count(); i++) {
      long rows = count(shards, i, "SELECT COUNT(*) FROM users");
      assertThat(users.out()).containsPattern("(?m)^" + shards.names().get(i) + " +" + number(rows) + " ");
    }
    Run all = run("distribution", config);
    assertThat(all.status()).isZero();
    assertThat(all.out()).contains("rows of every sharded table", "total " + number(total));

    Run unknown = run("distribution", config, "nosuchtable");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).startsWith("collegedb distribution: ").contains("nosuchtable");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void shardOfLookupAndMoveKeyNameTheShardsThatHoldTheRows(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "cli_keys", 3);
    String config = loaded(shards);

    String home = holder(shards, 42);
    Run shardOf = run("shard-of", config, "users", "42");
    assertThat(shardOf.status()).as(shardOf.err()).isZero();
    assertThat(shardOf.out().trim()).isEqualTo("users (42) -> " + home + " (owner of its hash)");
    Run ordersOf = run("shard-of", config, "orders", "42");
    assertThat(ordersOf.out().trim()).isEqualTo("orders (42) -> " + home + " (owner of its hash)");
    Run twoValues = run("shard-of", config, "users", "42", "43");
    assertThat(twoValues.status()).isEqualTo(1);
    assertThat(twoValues.err()).contains("1 key column(s) [id], got 2 value(s)");
    Run notAKey = run("shard-of", config, "users", "forty-two");
    assertThat(notAKey.status()).isEqualTo(1);
    assertThat(notAKey.err()).contains("forty-two");

    Run lookup = run("lookup", config, "users", "email", "user42@example.org");
    assertThat(lookup.status()).as(lookup.err()).isZero();
    assertThat(lookup.out()).contains("users.email = user42@example.org", "shard    " + home, "key      id=42",
        "lookups  email=user42@example.org");
    Run byKey = run("lookup", config, "users", "id", "42");
    assertThat(byKey.out()).contains("shard    " + home);
    Run missing = run("lookup", config, "users", "email", "nobody@example.org");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).contains("no row of users has email = nobody@example.org");

    String target = shards.names().stream().filter(n -> !n.equals(home)).findFirst().orElseThrow();
    int targetIndex = shards.names().indexOf(target);
    Run move = run("move-key", config, "users", "42", target);
    assertThat(move.status()).as(move.err()).isZero();
    assertThat(move.out().trim()).isEqualTo("moved users (42) from " + home + " to " + target + ": 1 row(s) copied");
    assertThat(holder(shards, 42)).isEqualTo(target);
    assertThat(count(shards, targetIndex, "SELECT COUNT(*) FROM orders WHERE user_id = 42")).isZero(); // 42 % 3 == 0
    Run moveAgain = run("move-key", config, "users", "42", target);
    assertThat(moveAgain.out()).contains("is on " + target + " already");
    assertThat(run("shard-of", config, "users", "42").out().trim())
        .isEqualTo("users (42) -> " + target + " (placed in the directory)");
    assertThat(run("lookup", config, "users", "email", "user42@example.org").out()).contains("shard    " + target);
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + config);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT name FROM users WHERE id = 42")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("User 42");
    }
    // A user with orders moves with them.
    String home41 = holder(shards, 41);
    String target41 = shards.names().stream().filter(n -> !n.equals(home41)).findFirst().orElseThrow();
    Run move41 = run("move-key", config, "orders", "41", target41);
    assertThat(move41.out().trim()).isEqualTo("moved orders (41) from " + home41 + " to " + target41
        + ": 3 row(s) copied");
    assertThat(count(shards, shards.names().indexOf(target41), "SELECT COUNT(*) FROM orders WHERE user_id = 41"))
        .isEqualTo(2);
    assertThat(holder(shards, 41)).isEqualTo(target41);
    Run noShard = run("move-key", config, "users", "7", "s9");
    assertThat(noShard.status()).isEqualTo(1);
    assertThat(noShard.err()).contains("shard 's9' is not configured");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class)
  void healthReportsEveryShardAndNamesTheOneThatIsDown(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "cli_health", 3);
    String config = loaded(shards);
    Run healthy = run("health", config);
    assertThat(healthy.status()).as(healthy.out() + healthy.err()).isZero();
    assertThat(healthy.out()).contains("3 shards: 3 healthy, 0 unhealthy");
    for (String name : shards.names()) {
      String line = healthy.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
      String[] columns = line.trim().split(" +"); // shard, status, round trip, "ms", rows, bytes, map version
      assertThat(columns).as(line).hasSize(7);
      assertThat(columns[1]).isEqualTo("ok");
      assertThat(Double.parseDouble(columns[2])).isGreaterThanOrEqualTo(0);
      // SQLite keeps no row statistics; the others estimate without counting
      assertThat(columns[4]).as(line).matches(backend == Backend.SQLITE ? "-" : "[0-9,]+");
      assertThat(columns[5]).as(line).matches("[0-9,]+");
      if (backend != Backend.H2) { // H2 in memory reports what its pages use, possibly nothing yet
        assertThat(Long.parseLong(columns[5].replace(",", ""))).as(line).isPositive();
      }
      assertThat(columns[6]).isEqualTo("1");
    }

    List<String> urls = urls(shards);
    urls.set(1, switch (backend) {
      case POSTGRES -> "jdbc:postgresql://127.0.0.1:1/nowhere";
      case MARIADB -> "jdbc:mariadb://127.0.0.1:1/nowhere";
      case H2 -> "jdbc:h2:tcp://127.0.0.1:1/nowhere";
      case SQLITE -> "jdbc:sqlite:" + dir.resolve("no/such/folder/s2.db");
    });
    String broken = config(shards, "broken.yaml", urls);
    Run down = run("health", broken);
    assertThat(down.status()).isEqualTo(1);
    assertThat(down.out()).containsPattern("(?m)^s2 +DOWN ").contains("3 shards: 2 healthy, 1 unhealthy");
    assertThat(down.out()).containsPattern("(?m)^s1 +ok ").containsPattern("(?m)^s3 +ok ");
    assertThat(down.err()).contains("shard 's2'", "cannot be reached");

    // A shard that is reachable but holds no shard map (a new, empty database) is unhealthy too.
    TestShards empty = TestShards.create(backend, "cli_health_empty", 1);
    urls.set(1, empty.url(0));
    Run bad = run("health", config(shards, "empty.yaml", urls));
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.out()).containsPattern("(?m)^s2 +BAD ");
    assertThat(bad.err()).contains("shard 's2' holds no shard map");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE"})
  void everyCommandHasHelpAndFailsClearly(Backend backend) throws Exception {
    for (String command : List.of("status", "distribution", "shard-of", "lookup", "move-key", "health",
        "explain", "backfill-lookup", "verify")) {
      Run help = run(command, "--help");
      assertThat(help.status()).as(command).isZero();
      assertThat(help.out()).as(command).contains("Usage: collegedb " + command + " ", "CONFIG", "Example:");
      Run noConfig = run(command, dir.resolve("missing.yaml").toString(), "users", "1", "s1");
      assertThat(noConfig.status()).as(command).isIn(1, 2);
      assertThat(noConfig.err()).as(command).isNotEmpty();
    }
    Run status = run("status", dir.resolve("missing.yaml").toString());
    assertThat(status.status()).isEqualTo(1);
    assertThat(status.err()).contains("missing.yaml", "does not exist", "HY024");
    assertThat(run("shard-of").status()).isEqualTo(2); // picocli: missing parameters
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void explainShowsThePlanWithTheShardsNamesAndRunsNothingUnlessAsked(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "cli_explain", 3);
    String config = loaded(shards);
    String home = holder(shards, 42);
    Run point = run("explain", config, "SELECT name FROM users WHERE id = 42");
    assertThat(point.status()).as(point.err()).isZero();
    assertThat(point.out()).startsWith("read [" + home + "]") // "directory-cache" when a placement was cached
        .endsWith("\n  sql: SELECT name FROM users WHERE id = 42\n");
    Run delete = run("explain", config, "DELETE FROM users WHERE id = 42");
    assertThat(delete.status()).as(delete.err()).isZero();
    assertThat(delete.out()).startsWith("directory-write users lookup=[email] [" + home + "]");
    assertThat(holder(shards, 42)).as("explain ran nothing").isEqualTo(home);
    Run refused = run("explain", config, "UPDATE users SET id = id + 1");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.out()).startsWith("refused 0A000 ");
    Run analyzed = run("explain", "--analyze", config, "DELETE FROM users WHERE id = 42");
    assertThat(analyzed.status()).as(analyzed.err()).isZero();
    assertThat(analyzed.out()).contains("ran: 1 row(s) changed in ", "on [" + home + "]");
    for (int i = 0; i < shards.count(); i++) {
      assertThat(count(shards, i, "SELECT COUNT(*) FROM users WHERE id = 42")).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void backfillLookupBuildsTheEntriesOfRowsWrittenAroundCollegeDb(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "cli_backfill", 3);
    String config = loaded(shards);
    // Rows written on their own shards without CollegeDB (as before the column was a lookup key): no entries.
    for (long id = 1001; id <= 1005; id++) {
      String owner = run("shard-of", config, "users", String.valueOf(id)).out().replaceAll("(?s).*-> (\\S+).*", "$1");
      int index = shards.names().indexOf(owner.trim());
      try (Connection c = shards.direct(index);
           PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, email, name) VALUES (?, ?, ?)")) {
        ps.setLong(1, id);
        ps.setString(2, "late" + id + "@example.org");
        ps.setString(3, "Late " + id);
        ps.executeUpdate();
      }
    }
    assertThat(run("lookup", config, "users", "email", "late1003@example.org").status()).isEqualTo(1);
    Run backfill = run("backfill-lookup", "--no-progress", config, "users", "email");
    assertThat(backfill.status()).as(backfill.out() + backfill.err()).isZero();
    assertThat(backfill.out()).contains("rows read " + number(USERS + 5) + ", entries added 5, entries re-pointed 0",
        "verified: " + number(USERS + 5) + " of " + number(USERS + 5) + " rows have their entry");
    Run found = run("lookup", config, "users", "email", "late1003@example.org");
    assertThat(found.status()).as(found.err()).isZero();
    assertThat(found.out()).contains(holder(shards, 1003));
    Run again = run("backfill-lookup", "--no-progress", config, "users", "email");
    assertThat(again.out()).as("run again: nothing left to write").contains("entries added 0");
    // A value on two shards: the lookup key is not unique, and the command says where.
    String home = holder(shards, 1001);
    int other = (shards.names().indexOf(home) + 1) % shards.count();
    try (Connection c = shards.direct(other); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO users (id, email, name) VALUES (999999, 'late1001@example.org', 'Twin')");
    }
    Run duplicate = run("backfill-lookup", "--no-progress", config, "users", "email");
    assertThat(duplicate.status()).isEqualTo(1);
    assertThat(duplicate.out()).contains("duplicate: users.email = late1001@example.org on ");
    Run notLookup = run("backfill-lookup", "--no-progress", config, "users", "name");
    assertThat(notLookup.status()).isEqualTo(1);
    assertThat(notLookup.err()).contains("is not a lookup key", "HY024");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void verifyFindsARowOnTheWrongShardAndAMissingLookupEntry(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "cli_verify", 3);
    String config = loaded(shards);
    Run clean = run("verify", config);
    assertThat(clean.status()).as(clean.out() + clean.err()).isZero();
    long orders = 0;
    for (long id = 1; id <= USERS; id++) {
      orders += id % 3;
    }
    assertThat(clean.out()).endsWith(number(USERS + orders) + " rows checked, 0 difference(s)\n");
    String owner = run("shard-of", config, "users", "5000").out().replaceAll("(?s).*-> (\\S+).*", "$1").trim();
    int wrong = (shards.names().indexOf(owner) + 1) % shards.count();
    try (Connection c = shards.direct(wrong); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO users (id, email, name) VALUES (5000, 'stray@example.org', 'Stray')");
    }
    Run dirty = run("verify", config);
    assertThat(dirty.status()).isEqualTo(1);
    assertThat(dirty.out()).contains("difference: users [5000] is on " + shards.names().get(wrong)
        + ", but its key belongs on " + owner, "difference: users.email = stray@example.org on "
        + shards.names().get(wrong) + ": no lookup entry", " 2 difference(s)");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE"})
  void readingCommandsOnACopiedConfigurationDoNotClaimTheShardsForItsDirectory(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "cli_copy", 2);
    StringBuilder b = new StringBuilder("shards:\n");
    for (int i = 0; i < shards.count(); i++) {
      b.append("  s").append(i + 1).append(":\n    url: ").append(shards.url(i)).append('\n');
    }
    Path original = dir.resolve("a/app.yaml");
    Path copy = dir.resolve("b/app.yaml");
    Files.createDirectories(original.getParent());
    Files.createDirectories(copy.getParent());
    Files.writeString(original, b.toString());
    Files.writeString(copy, b.toString());
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + original); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)"); // keys from the directory, once used
    }
    assertThat(run("status", copy.toString()).out()).contains("(not used yet)");
    assertThat(run("shard-of", copy.toString(), "items", "5").out()).contains("(owner of its hash)");
    assertThat(run("distribution", copy.toString()).status()).isZero();
    for (int i = 0; i < shards.count(); i++) {
      assertThat(count(shards, i, "SELECT COUNT(*) FROM collegedb_directory_binding")).isZero();
    }
    // The application's own directory serves them when it is first used ...
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:" + original); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO items (name) VALUES ('x')");
    }
    // ... and from then on the copy is refused at connect, naming the directory to use (a new runtime, as the next
    // command in a JVM of its own; --set makes other settings, so a runtime of its own here too).
    Run refused = run("status", copy.toString(), "--set", "planCacheSize=77");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("directory.url", dir.resolve("a/app.directory.db").toString());
  }
}
