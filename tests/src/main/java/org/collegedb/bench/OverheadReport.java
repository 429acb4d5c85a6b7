package org.collegedb.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * The main class of the benchmarks jar: runs JMH with the command line's options (by default every benchmark of
 * this module) and then prints, per benchmark, the ratio of CollegeDB's score to direct JDBC's, with its error.
 *
 * <p>The error of the ratio {@code c/d} is {@code c/d * sqrt((ec/c)^2 + (ed/d)^2)}, from JMH's 99.9% confidence
 * half-widths {@code ec} and {@code ed}. Listing, help and profiler listing go straight to JMH.
 */
public final class OverheadReport {
  private OverheadReport() {
  }

  public static void main(String[] args) throws Exception {
    CommandLineOptions options = new CommandLineOptions(args);
    if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
        || options.shouldListProfilers() || options.shouldListResultFormats()) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    Collection<RunResult> results = new Runner(options).run();
    System.out.println();
    System.out.println(report(results));
  }

  /** One line per benchmark that ran for both targets: the scores and their ratio. */
  static String report(Collection<RunResult> results) {
    Map<String, Result<?>[]> byBenchmark = new TreeMap<>();
    Map<String, Double[]> allocation = new TreeMap<>();
    for (RunResult r : results) {
      String target = r.getParams().getParam("target");
      if (target == null) {
        continue;
      }
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      int slot = target.equals("direct") ? 0 : 1;
      byBenchmark.computeIfAbsent(name, k -> new Result<?>[2])[slot] = r.getPrimaryResult();
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      if (alloc != null) {
        allocation.computeIfAbsent(name, k -> new Double[2])[slot] = alloc.getScore();
      }
    }
    StringBuilder out = new StringBuilder("CollegeDB / direct JDBC (same run; errors are 99.9% half-widths)\n");
    for (Map.Entry<String, Result<?>[]> e : byBenchmark.entrySet()) {
      Result<?> direct = e.getValue()[0];
      Result<?> college = e.getValue()[1];
      if (direct == null || college == null) {
        continue;
      }
      double ratio = college.getScore() / direct.getScore();
      double error = ratio * Math.hypot(relative(college), relative(direct));
      out.append(String.format(Locale.ROOT, "  %-12s direct %9.3f ± %.3f %s   collegedb %9.3f ± %.3f %s   "
              + "ratio %.2f ± %.2f", e.getKey(), direct.getScore(), finite(direct.getScoreError()),
          direct.getScoreUnit(), college.getScore(), finite(college.getScoreError()), college.getScoreUnit(),
          ratio, error));
      Double[] alloc = allocation.get(e.getKey());
      if (alloc != null && alloc[0] != null && alloc[1] != null) {
        out.append(String.format(Locale.ROOT, "   allocated %.0f vs %.0f B/op", alloc[0], alloc[1]));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static double relative(Result<?> r) {
    return finite(r.getScoreError()) / r.getScore();
  }

  private static double finite(double error) {
    return Double.isFinite(error) ? error : 0;
  }
}
