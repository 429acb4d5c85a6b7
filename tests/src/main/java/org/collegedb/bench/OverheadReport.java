package org.collegedb.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The main class of the benchmarks jar: measures CollegeDB against direct JDBC in paired rounds and prints the ratio
 * CollegeDB/direct per benchmark.
 *
 * <p>On a shared machine the load drifts over minutes, which JMH's usual order (every fork of one target, then every
 * fork of the other) turns into a bias. So each round runs every benchmark once for each target, one fork each,
 * alternating which target goes first, and the ratio is taken within the round. The result is the mean of
 * the rounds' ratios with its 95% confidence half-width (Student's t over the rounds), for wall-clock time (JMH's
 * score) and for the benchmark thread's CPU time ({@link CpuTimeProfiler}), which waiting for a busy core does not
 * inflate.
 *
 * <p>{@code -Drounds=N} sets the number of rounds (default 6). JMH options on the command line apply to every
 * round ({@code -wi}, {@code -i}, {@code -r}, {@code -prof gc}, a benchmark name pattern ...); by default a round
 * warms up 5 x 1 s and measures 5 x 1 s. Listing and help go straight to JMH.
 */
public final class OverheadReport {
  private OverheadReport() {
  }

  public static void main(String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    if (cli.shouldHelp() || cli.shouldList() || cli.shouldListWithParams() || cli.shouldListProfilers()
        || cli.shouldListResultFormats()) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    int rounds = Integer.getInteger("rounds", 6);
    List<Collection<RunResult>> results = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      String[] order = round % 2 == 0 ? new String[] {"direct", "collegedb"} : new String[] {"collegedb", "direct"};
      for (String target : order) {
        System.out.printf(Locale.ROOT, "%n# Round %d of %d: %s%n", round + 1, rounds, target);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli).param("target", target)
            .addProfiler(CpuTimeProfiler.class);
        if (!cli.getForkCount().hasValue()) {
          options.forks(1);
        }
        if (!cli.getWarmupIterations().hasValue()) {
          options.warmupIterations(5); // on a busy machine the JIT needs the time
        }
        if (!cli.getMeasurementIterations().hasValue()) {
          options.measurementIterations(5);
        }
        if (!cli.getWarmupTime().hasValue()) {
          options.warmupTime(TimeValue.seconds(1));
        }
        if (!cli.getMeasurementTime().hasValue()) {
          options.measurementTime(TimeValue.seconds(1));
        }
        results.add(new Runner(options.build()).run());
      }
    }
    System.out.println();
    System.out.println(report(results));
  }

  /** What one benchmark measured for one target, over all rounds. */
  private static final class Samples {
    final List<Double> iterations = new ArrayList<>(); // every measured iteration's score
    final List<Double> roundScores = new ArrayList<>(); // one score per round
    final List<Double> cpu = new ArrayList<>(); // cpu.time.norm per round
    final List<Double> allocation = new ArrayList<>(); // gc.alloc.rate.norm per round, with -prof gc
    String unit = "";
  }

  /** The ratio per benchmark, from the results of all rounds. */
  static String report(List<Collection<RunResult>> runs) {
    Map<String, Samples[]> byBenchmark = new TreeMap<>();
    for (Collection<RunResult> run : runs) {
      for (RunResult r : run) {
        String target = r.getParams().getParam("target");
        if (target == null) {
          continue;
        }
        String name = r.getParams().getBenchmark();
        name = name.substring(name.lastIndexOf('.') + 1);
        String backend = r.getParams().getParam("backend");
        if (backend != null) {
          name = name + " " + backend;
        }
        Samples[] pair = byBenchmark.computeIfAbsent(name, k -> new Samples[] {new Samples(), new Samples()});
        Samples s = pair[target.equals("direct") ? 0 : 1];
        s.unit = r.getPrimaryResult().getScoreUnit();
        s.roundScores.add(r.getPrimaryResult().getScore());
        for (BenchmarkResult b : r.getBenchmarkResults()) {
          for (IterationResult i : b.getIterationResults()) {
            s.iterations.add(i.getPrimaryResult().getScore());
          }
        }
        Result<?> cpu = r.getSecondaryResults().get("cpu.time.norm");
        if (cpu != null) {
          s.cpu.add(cpu.getScore());
        }
        Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        if (alloc != null) {
          s.allocation.add(alloc.getScore());
        }
      }
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "CollegeDB / direct JDBC. Ratio: mean of the "
        + "rounds' ratios ± 95%% half-width (min..max). Times: mean ± 95%% half-width.%n"));
    for (Map.Entry<String, Samples[]> e : byBenchmark.entrySet()) {
      Samples direct = e.getValue()[0];
      Samples college = e.getValue()[1];
      if (direct.roundScores.isEmpty() || college.roundScores.isEmpty()) {
        continue;
      }
      out.append(String.format(Locale.ROOT, "  %-12s wall  direct %s  collegedb %s %s  ratio %s over %d rounds%n",
          e.getKey(), meanAndError(direct.iterations, 3), meanAndError(college.iterations, 3), direct.unit,
          ratio(direct.roundScores, college.roundScores), Math.min(direct.roundScores.size(),
              college.roundScores.size())));
      if (!direct.cpu.isEmpty() && !college.cpu.isEmpty()) {
        out.append(String.format(Locale.ROOT, "  %-12s cpu   direct %s  collegedb %s ns/op  ratio %s%n", "",
            meanAndError(direct.cpu, 0), meanAndError(college.cpu, 0), ratio(direct.cpu, college.cpu)));
      }
      if (!direct.allocation.isEmpty() && !college.allocation.isEmpty()) {
        out.append(String.format(Locale.ROOT, "  %-12s alloc direct %.0f  collegedb %.0f B/op%n", "",
            mean(direct.allocation), mean(college.allocation)));
      }
    }
    return out.toString();
  }

  /** The mean of the per-round ratios {@code college[i] / direct[i]}, its error, and its range. */
  private static String ratio(List<Double> direct, List<Double> college) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(direct.size(), college.size()); i++) {
      ratios.add(college.get(i) / direct.get(i));
    }
    return String.format(Locale.ROOT, "%s (%.2f..%.2f)", meanAndError(ratios, 2),
        ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
        ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
  }

  private static String meanAndError(List<Double> values, int decimals) {
    double mean = mean(values);
    int n = values.size();
    if (n < 2) {
      return String.format(Locale.ROOT, "%." + decimals + "f", mean);
    }
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(squares / (n - 1));
    double t = n - 1 < T975.length ? T975[n - 1] : 1.96;
    return String.format(Locale.ROOT, "%." + decimals + "f ± %." + decimals + "f", mean, t * sd / Math.sqrt(n));
  }

  /** Student's t, 97.5% quantile, for 1 to 30 degrees of freedom (index 0 unused). */
  private static final double[] T975 = {Double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
      2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
      2.056, 2.052, 2.048, 2.045, 2.042};

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
