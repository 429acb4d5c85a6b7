package org.collegedb.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import org.collegedb.internal.reshard.Reshard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reshard <config>}: makes the stored shard map match the configuration, online, then verifies. */
@Command(name = "reshard", mixinStandardHelpOptions = true,
    description = {"Makes the stored shard map match the configuration, online: a shard added to the configuration "
        + "takes 1/(N+1) of every other shard's keys; a shard marked shards.<name>.drain=true hands all its keys to "
        + "the others (then delete it from the configuration); --rebalance evens out rows or bytes until the "
        + "largest shard is within 10% of the mean. Rows are copied in key order, caught up from a change log, "
        + "then switched under a fence of about a second; the old copies are deleted after the switch. Run it "
        + "again after an interruption: it resumes. Ends with verify; exit status 1 on any difference.",
        "Example: collegedb reshard app.yaml --dry-run"})
final class ReshardCommand extends AdminCommand {
  @Option(names = "--dry-run", description = "print the plan (ranges moving, rows and bytes per shard); change nothing")
  boolean dryRun;

  @Option(names = "--rebalance", description = "also even out the shards")
  boolean rebalance;

  @Option(names = "--by", paramLabel = "rows|size", description = "what --rebalance evens out (default rows)")
  String by = "rows";

  @Option(names = "--abort", description = "undo the reshard in progress (before its switch): copies deleted, map "
      + "unchanged")
  boolean abort;

  @Option(names = "--batch-size", description = "rows per copy batch (default 1000)")
  int batchSize = 1000;

  @Option(names = "--no-progress", description = "no progress bar (for logs and scripts)")
  boolean quiet;

  @Override
  int run(Admin admin) throws SQLException {
    if (!by.equals("rows") && !by.equals("size")) {
      return fail("--by must be rows or size, not '" + by + "'");
    }
    Reshard.Options options = Reshard.Options.defaults().dryRun(dryRun).abort(abort)
        .rebalance(rebalance ? by : null).batchSize(batchSize);
    Reshard.Result r;
    if (quiet || dryRun) {
      r = admin.api().reshard(options, Reshard.Progress.NONE);
    } else {
      try (me.tongfei.progressbar.ProgressBar bar = new me.tongfei.progressbar.ProgressBarBuilder()
          .setTaskName("reshard").setUnit(" rows", 1).setInitialMax(-1)
          .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()) {
        r = admin.api().reshard(options, (step, done, total) -> {
          bar.setExtraMessage(step);
          if (step.startsWith("copy")) {
            bar.stepTo(done);
          }
        });
      }
    }
    PrintWriter out = out();
    out.println(r.text());
    out.flush();
    if (!r.state().equals("done") && !r.state().equals("aborted")) {
      return OK;
    }
    org.collegedb.internal.directory.ClusterVerification.Report report = admin.api().verify();
    for (String p : report.problems()) {
      out.println("difference: " + p);
    }
    out.println("verify: " + number(report.rows()) + " rows checked, " + number(report.problems().size())
        + " difference(s)");
    out.flush();
    return report.problems().isEmpty() ? OK : FAILED;
  }
}
