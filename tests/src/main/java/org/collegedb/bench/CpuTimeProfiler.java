package org.collegedb.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * CPU time of the benchmark JVM per operation ({@code cpu.time.norm}, ns/op), over each measurement iteration: all
 * its threads, so garbage collection counts too. On a machine shared with other work, wall-clock time includes the
 * time the benchmark waited for a core; CPU time does not, which makes it the steadier figure there. Use with
 * {@code -prof org.collegedb.bench.CpuTimeProfiler}; {@link OverheadReport} adds it itself.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long start;

  @Override
  public String getDescription() {
    return "CPU time of the benchmark JVM per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    start = os.getProcessCpuTime();
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH's signature
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long used = os.getProcessCpuTime() - start;
    long ops = result.getMetadata().getAllOps(); // the CPU time covers every operation of the iteration
    if (iterationParams.getType() != IterationType.MEASUREMENT || ops <= 0 || start < 0) {
      return List.of();
    }
    return List.of(new ScalarResult("cpu.time.norm", (double) used / ops, "ns/op", AggregationPolicy.AVG));
  }
}
