package org.collegedb.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.collegedb.admin.ClusterStatus;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.admin.Distribution;
import org.collegedb.admin.LookupRecord;
import org.collegedb.admin.ShardHealth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The operators' commands: each takes the configuration first and names shards by their configured names. */
final class AdminCommands {
  private AdminCommands() {
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Shows the shard map: its version, each shard's hash ranges and share of the hash space, its "
          + "rows (of every sharded table) and size in bytes, the skew of rows (largest / smallest shard), and the operations "
          + "in progress (split, unshard, reshard) with their step and progress.",
          "Example: collegedb status app.yaml"})
  static final class Status extends AdminCommand {
    @Override
    int run(Admin admin) throws SQLException {
      ClusterStatus s = admin.api().status();
      PrintWriter out = out();
      out.println("shard map version " + s.mapVersion() + ", " + s.shards().size() + " shards");
      out.println("directory " + s.directory() + (s.served().isEmpty() ? " (not used yet)"
          : " (serves " + String.join(", ", s.served()) + ")"));
      out.println();
      int width = Math.max(5, s.shards().stream().mapToInt(x -> x.name().length()).max().orElse(5));
      out.printf(Locale.ROOT, "%-" + width + "s  %-42s  %7s  %12s  %14s%n", "shard", "hash ranges", "share", "rows",
          "bytes");
      for (ClusterStatus.Shard shard : s.shards()) {
        List<String> ranges = new ArrayList<>();
        for (Map.Entry<Long, Long> r : shard.ranges()) {
          ranges.add(r.getKey() + ".." + r.getValue());
        }
        for (int i = 0; i < Math.max(1, ranges.size()); i++) {
          String range = ranges.isEmpty() ? "(none)" : ranges.get(i);
          if (i == 0) {
            out.printf(Locale.ROOT, "%-" + width + "s  %-42s  %6.2f%%  %12s  %14s%n", shard.name(), range,
                shard.share() * 100, number(shard.rows()), shard.bytes() == null ? "-" : number(shard.bytes()));
          } else {
            out.printf(Locale.ROOT, "%-" + width + "s  %-42s%n", "", range);
          }
        }
      }
      Distribution d = s.distribution();
      out.printf(Locale.ROOT, "%-" + width + "s  %-42s  %7s  %12s%n", "total", "", "", number(d.total()));
      out.println();
      out.println("rows per shard: min " + number(d.min()) + ", max " + number(d.max()) + ", mean "
          + decimal(d.mean()) + ", stddev " + decimal(d.stddev()) + ", skew " + decimal(d.skew()) + " (max/min)");
      MigrateCommands.printOperations(out, admin.api().operations());
      out.flush();
      return OK;
    }
  }

  @Command(name = "distribution", mixinStandardHelpOptions = true,
      description = {"Counts the rows of a sharded table on each shard (of every sharded table when no table is "
          + "given, each row counted once) and summarises the spread.",
          "Example: collegedb distribution app.yaml users"})
  static final class DistributionCommand extends AdminCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "TABLE", description = "a sharded table (default: all)")
    String table;

    @Override
    int run(Admin admin) throws SQLException {
      Distribution d = table == null ? admin.api().distribution() : admin.api().distribution(table);
      PrintWriter out = out();
      out.println(table == null ? "rows of every sharded table, per shard" : "rows of " + table + ", per shard");
      int width = Math.max(5, d.rows().keySet().stream().mapToInt(String::length).max().orElse(5));
      out.printf(Locale.ROOT, "%-" + width + "s  %12s  %7s%n", "shard", "rows", "share");
      for (Map.Entry<String, Long> e : d.rows().entrySet()) {
        out.printf(Locale.ROOT, "%-" + width + "s  %12s  %6.2f%%%n", e.getKey(), number(e.getValue()),
            d.total() == 0 ? 0.0 : 100.0 * e.getValue() / d.total());
      }
      out.println("total " + number(d.total()) + ", min " + number(d.min()) + ", max " + number(d.max())
          + ", mean " + decimal(d.mean()) + ", stddev " + decimal(d.stddev()) + ", skew " + decimal(d.skew())
          + " (max/min)");
      out.flush();
      return OK;
    }
  }

  @Command(name = "shard-of", mixinStandardHelpOptions = true,
      description = {"Prints the shard that holds a key of a table: its placement in the directory if it has one, "
          + "else the shard map's owner of its hash. A composite key takes one value per key column.",
          "Example: collegedb shard-of app.yaml orders 42"})
  static final class ShardOf extends AdminCommand {
    @Parameters(index = "1", paramLabel = "TABLE", description = "a sharded table")
    String table;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "KEY", description = "the key's value(s)")
    List<String> key;

    @Override
    int run(Admin admin) throws SQLException {
      CollegeAdmin api = admin.api();
      Object[] k = api.keyFromText(table, key.toArray(String[]::new));
      String shard = api.shardOf(table, k);
      out().println(table + " " + key(k) + " -> " + shard + (api.isPlaced(table, k) ? " (placed in the directory)"
          : " (owner of its hash)"));
      out().flush();
      return OK;
    }
  }

  @Command(name = "lookup", mixinStandardHelpOptions = true,
      description = {"Finds the row whose COLUMN is VALUE (a lookup column, or the single key column) and prints "
          + "its shard, key and lookup values, as read from the row. Exit status 1 when no row has it.",
          "Example: collegedb lookup app.yaml users email ann@example.org"})
  static final class Lookup extends AdminCommand {
    @Parameters(index = "1", paramLabel = "TABLE", description = "a sharded table")
    String table;

    @Parameters(index = "2", paramLabel = "COLUMN", description = "a lookup column, or the key column")
    String column;

    @Parameters(index = "3", paramLabel = "VALUE", description = "the value to look for")
    String value;

    @Override
    int run(Admin admin) throws SQLException {
      Optional<LookupRecord> r = admin.api().lookupKeys(table, column,
          admin.api().valueFromText(table, column, value));
      if (r.isEmpty()) {
        return fail("no row of " + table + " has " + column + " = " + value);
      }
      PrintWriter out = out();
      out.println(table + "." + column + " = " + value);
      out.println("shard    " + r.get().shard());
      out.println("key      " + pairs(r.get().key()));
      out.println("lookups  " + (r.get().lookups().isEmpty() ? "(none)" : pairs(r.get().lookups())));
      out.flush();
      return OK;
    }

    private static String pairs(Map<String, Object> values) {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, Object> e : values.entrySet()) {
        b.append(b.length() > 0 ? ", " : "").append(e.getKey().toLowerCase(Locale.ROOT)).append('=')
            .append(e.getValue());
      }
      return b.toString();
    }
  }

  @Command(name = "move-key", mixinStandardHelpOptions = true,
      description = {"Moves a key, with its rows of every table keyed by the same value and type, to SHARD: copies "
          + "them there, points the key's placement and lookup entries at it, deletes them elsewhere. Stop writes "
          + "to the key while it moves; after a crash, run it again. Needs placements (directory.placements=on, a "
          + "non-hash strategy or maxShardSize) in the configuration of every instance.",
          "Example: collegedb move-key app.yaml users 42 s3"})
  static final class MoveKey extends AdminCommand {
    @Parameters(index = "1", paramLabel = "TABLE", description = "a sharded table")
    String table;

    @Parameters(index = "2..*", arity = "2..*", paramLabel = "KEY... SHARD",
        description = "the key's value(s), then the target shard's name")
    List<String> keyAndShard;

    @Override
    int run(Admin admin) throws SQLException {
      CollegeAdmin api = admin.api();
      String target = keyAndShard.get(keyAndShard.size() - 1);
      Object[] k = api.keyFromText(table, keyAndShard.subList(0, keyAndShard.size() - 1).toArray(String[]::new));
      String from = api.shardOf(table, k);
      long copied = api.movePlacement(table, k, target);
      out().println(from.equals(target) ? table + " " + key(k) + " is on " + target + " already: nothing moved"
          : "moved " + table + " " + key(k) + " from " + from + " to " + target + ": " + number(copied)
          + " row(s) copied");
      out().flush();
      return OK;
    }
  }

  @Command(name = "health", mixinStandardHelpOptions = true,
      description = {"Checks every shard on a connection of its own (works while a shard is down): reachable, "
          + "the time of a trivial statement, rows (estimated where the backend keeps statistics) and bytes, and "
          + "the shard map version it holds. Exit status 1 when a shard is unhealthy.",
          "Example: collegedb health app.yaml"})
  static final class Health extends AdminCommand {
    @Override
    int run() throws SQLException {
      List<ShardHealth> shards = CollegeAdmin.health(url(), properties());
      PrintWriter out = out();
      int width = Math.max(5, shards.stream().mapToInt(x -> x.shard().length()).max().orElse(5));
      out.printf(Locale.ROOT, "%-" + width + "s  %-6s  %10s  %12s  %14s  %11s%n", "shard", "status",
          "round trip", "rows (est.)", "bytes", "map version");
      int unhealthy = 0;
      List<String> errors = new ArrayList<>();
      for (ShardHealth h : shards) {
        if (!h.healthy()) {
          unhealthy++;
          errors.add(h.error());
        }
        out.printf(Locale.ROOT, "%-" + width + "s  %-6s  %10s  %12s  %14s  %11s%n", h.shard(),
            !h.reachable() ? "DOWN" : h.healthy() ? "ok" : "BAD",
            h.reachable() ? String.format(Locale.ROOT, "%.2f ms", h.roundTripMicros() / 1000.0) : "-",
            h.rows() == null ? "-" : number(h.rows()), h.bytes() == null ? "-" : number(h.bytes()),
            h.mapVersion() == null ? "-" : h.mapVersion().toString());
      }
      long versions = shards.stream().filter(h -> h.mapVersion() != null).map(ShardHealth::mapVersion).distinct()
          .count();
      out.println(shards.size() + " shards: " + (shards.size() - unhealthy) + " healthy, " + unhealthy
          + " unhealthy" + (versions > 1 ? "; they hold different shard map versions" : ""));
      out.flush();
      for (String e : errors) {
        fail(e);
      }
      return unhealthy == 0 && versions <= 1 ? OK : FAILED;
    }
  }

  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = {"Shows where a statement would run and why, without running it: CollegeDB's plan (the plan "
          + "node, the shards, the text each shard receives, the merge), or its refusal with the SQLState. "
          + "--analyze runs it too (a write writes) and adds what it did.",
          "Example: collegedb explain app.yaml \"SELECT * FROM users WHERE id = 42\""})
  static final class Explain extends AdminCommand {
    @Parameters(index = "1", paramLabel = "SQL", description = "the statement (without parameters)")
    String sql;

    @picocli.CommandLine.Option(names = "--analyze", description = "run the statement as well and report what it did")
    boolean analyze;

    @Override
    int run(Admin admin) throws SQLException {
      PrintWriter out = out();
      try (java.sql.Statement st = admin.connection().createStatement();
           java.sql.ResultSet rs = st.executeQuery("EXPLAIN COLLEGEDB " + (analyze ? "ANALYZE " : "") + sql)) {
        boolean refused = false;
        while (rs.next()) {
          String line = rs.getString(1);
          refused |= line.startsWith("refused ");
          out.println(line);
        }
        out.flush();
        return refused ? FAILED : OK;
      }
    }
  }

  @Command(name = "backfill-lookup", mixinStandardHelpOptions = true,
      description = {"Builds the directory's lookup entries of a column for the rows written before it was declared "
          + "a lookup key (declare it in the configuration first). Online: reads each shard in key order in "
          + "batches; run it again after an interruption, it writes only what is still missing. Then checks every "
          + "row against the directory; exit status 1 when a value is on two shards or an entry is still wrong.",
          "Example: collegedb backfill-lookup app.yaml users email"})
  static final class BackfillLookup extends AdminCommand {
    @Parameters(index = "1", paramLabel = "TABLE", description = "a sharded table")
    String table;

    @Parameters(index = "2", paramLabel = "COLUMN", description = "its lookup column")
    String column;

    @picocli.CommandLine.Option(names = "--no-progress", description = "no progress bar (for logs and scripts)")
    boolean quiet;

    @Override
    int run(Admin admin) throws SQLException {
      PrintWriter out = out();
      org.collegedb.internal.directory.LookupBackfill.Result r;
      if (quiet) {
        r = admin.api().backfillLookup(table, column, rows -> { });
      } else {
        try (me.tongfei.progressbar.ProgressBar bar = new me.tongfei.progressbar.ProgressBarBuilder()
            .setTaskName("backfill " + table + "." + column).setUnit(" rows", 1).setInitialMax(-1)
            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()) {
          r = admin.api().backfillLookup(table, column, bar::stepTo);
        }
      }
      out.println("rows read " + number(r.rows()) + ", entries added " + number(r.added()) + ", entries re-pointed "
          + number(r.repointed()));
      org.collegedb.internal.directory.LookupBackfill.Check check = admin.api().verifyLookup(table, column);
      out.println("verified: " + number(check.entries()) + " of " + number(check.rows()) + " rows have their entry");
      for (String d : r.duplicates()) {
        out.println("duplicate: " + d);
      }
      for (String p : check.problems()) {
        out.println("problem: " + p);
      }
      out.flush();
      return r.duplicates().isEmpty() && check.problems().isEmpty() ? OK : FAILED;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Checks row by row that the shards hold what the shard map and the directory say: every row of "
          + "a sharded table on the shard its key belongs on; broadcast tables with the same rows on "
          + "every shard; every lookup entry present and naming its row's shard. Reads only. Prints each "
          + "difference; exit status 1 when there is any.",
          "Example: collegedb verify app.yaml"})
  static final class Verify extends AdminCommand {
    @Override
    int run(Admin admin) throws SQLException {
      org.collegedb.internal.directory.ClusterVerification.Report report = admin.api().verify();
      PrintWriter out = out();
      for (String p : report.problems()) {
        out.println("difference: " + p);
      }
      out.println(number(report.rows()) + " rows checked, " + number(report.problems().size()) + " difference(s)");
      out.flush();
      return report.problems().isEmpty() ? OK : FAILED;
    }
  }
}
