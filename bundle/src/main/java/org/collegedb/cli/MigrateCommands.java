package org.collegedb.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.collegedb.migrate.Database;
import org.collegedb.migrate.MigrationOptions;
import org.collegedb.migrate.MigrationReport;
import org.collegedb.migrate.Progress;
import org.collegedb.migrate.Split;
import org.collegedb.migrate.Unshard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code split} and {@code unshard}: bringing one database in, and merging the shards back into one. */
final class MigrateCommands {
  private MigrateCommands() {
  }

  /** The operations section of {@code status}: those in progress, and how many finished. */
  static void printOperations(PrintWriter out, java.util.List<org.collegedb.migrate.Operation> ops) {
    java.util.List<org.collegedb.migrate.Operation> open = ops.stream()
        .filter(o -> !o.state().equals("done") && !o.state().equals("aborted")).toList();
    out.println();
    out.println("operations in progress: " + (open.isEmpty() ? "none" : open.size())
        + (ops.size() > open.size() ? " (" + (ops.size() - open.size()) + " finished or aborted)" : ""));
    for (org.collegedb.migrate.Operation o : open) {
      out.println("  " + o.describe() + ", updated " + java.time.Instant.ofEpochMilli(o.updatedAt()));
    }
  }

  /** What split and unshard share: options, the progress bar, the report, the exit status. */
  abstract static class Base implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "print the plan (tables, rows and bytes per shard) and change nothing")
    boolean dryRun;

    @Option(names = "--finish", description = "make the old side refuse writes, catch up a last time, verify and "
        + "remove change capture (after the application was switched)")
    boolean finish;

    @Option(names = "--abort", description = "undo: drop the tables the operation created, remove change capture "
        + "and write fences")
    boolean abort;

    @Option(names = "--batch", defaultValue = "1000", description = "rows per copy batch (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--no-progress", description = "no progress bar (for logs and scripts)")
    boolean quiet;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a setting laid over the configuration's "
        + "(repeatable)")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = {"-n", "--user"}, description = "default user for shards that name none")
    String user;

    @Option(names = {"-p", "--password"}, description = "default password for shards that name none")
    String password;

    Properties properties() {
      Properties p = new Properties();
      p.putAll(settings);
      if (user != null) {
        p.setProperty("user", user);
      }
      if (password != null) {
        p.setProperty("password", password);
      }
      return p;
    }

    static String url(String config) {
      return config.startsWith("jdbc:collegedb:") ? config : "jdbc:collegedb:" + config;
    }

    abstract MigrationReport run(MigrationOptions options) throws SQLException;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (finish && abort || dryRun && (finish || abort)) {
        err.println("collegedb " + spec.name() + ": --dry-run, --finish and --abort exclude each other");
        err.flush();
        return AdminCommand.FAILED;
      }
      Bar bar = new Bar(quiet || dryRun);
      MigrationOptions options = MigrationOptions.defaults().dryRun(dryRun).finish(finish).abort(abort)
          .batchSize(batch).progress(bar).log(line -> { });
      try {
        MigrationReport r = run(options);
        bar.end();
        for (String line : r.lines()) {
          out.println(line);
        }
        if (!dryRun) {
          out.printf(java.util.Locale.ROOT, "%s: %s (%,d rows copied, %,d changes applied, %,d rows verified)%n",
              r.id(), r.state(), r.copied(), r.applied(), r.verified());
        }
        out.flush();
        if (!r.ok()) {
          err.println("collegedb " + spec.name() + ": verification found " + r.problems().size()
              + " difference(s); run it again to catch up and verify once more");
          err.flush();
          return AdminCommand.FAILED;
        }
        return AdminCommand.OK;
      } catch (SQLException e) {
        bar.end();
        out.flush();
        err.println("collegedb " + spec.name() + ": " + e.getMessage()
            + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]"));
        err.flush();
        return AdminCommand.FAILED;
      }
    }
  }

  /** A progress bar on standard error per long step. */
  static final class Bar implements Progress {
    private final boolean off;
    private ProgressBar bar;

    Bar(boolean off) {
      this.off = off;
    }

    @Override
    public void begin(String task, long total) {
      end();
      if (!off) {
        bar = new ProgressBarBuilder().setTaskName(task).setUnit(" rows", 1).setInitialMax(total)
            .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
      }
    }

    @Override
    public void advance(long n) {
      if (bar != null) {
        bar.stepBy(n);
      }
    }

    @Override
    public void end() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }

  @Command(name = "split", mixinStandardHelpOptions = true,
      description = {"Takes an existing database into the shards the configuration names, while the application "
          + "keeps writing to it: checks that every table can be sharded (a key, configured or its primary key; "
          + "co-located; or broadcast), creates the tables on the shards, installs change capture on the source, "
          + "copies every table in key order, catches up with the changes made meanwhile and verifies row by row. "
          + "Then switch the application to the configuration and run it again with --finish. Interrupted, it "
          + "resumes where it stopped when run again; --abort undoes it.",
          "Example: collegedb split jdbc:sqlite:app.db app.yaml"})
  static final class SplitCommand extends Base {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "the JDBC URL of the database to split")
    String source;

    @Parameters(index = "1", paramLabel = "CONFIG", description = "the configuration naming the shards")
    String config;

    @Option(names = "--source-user", description = "the source database's user")
    String sourceUser;

    @Option(names = "--source-password", description = "the source database's password")
    String sourcePassword;

    @Override
    MigrationReport run(MigrationOptions options) throws SQLException {
      return Split.run(new Database("source", source, sourceUser, sourcePassword), url(config), properties(),
          options);
    }
  }

  @Command(name = "unshard", mixinStandardHelpOptions = true,
      description = {"Merges every shard of the configuration into one database, while the application keeps "
          + "writing through CollegeDB: creates the tables on the target, installs change capture on the shards, "
          + "copies every shard's rows (broadcast tables once), catches up from the shards' change logs and "
          + "verifies row by row. Then switch the application to the target and run it again with --finish. "
          + "Resumable; --abort undoes it.",
          "Example: collegedb unshard app.yaml jdbc:sqlite:merged.db"})
  static final class UnshardCommand extends Base {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "the configuration naming the shards")
    String config;

    @Parameters(index = "1", paramLabel = "TARGET", description = "the JDBC URL of the database to merge into")
    String target;

    @Option(names = "--target-user", description = "the target database's user")
    String targetUser;

    @Option(names = "--target-password", description = "the target database's password")
    String targetPassword;

    @Override
    MigrationReport run(MigrationOptions options) throws SQLException {
      return Unshard.run(url(config), properties(), new Database("target", target, targetUser, targetPassword),
          options);
    }
  }
}
