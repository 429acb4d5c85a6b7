package org.collegedb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * CPU time of the benchmark threads per operation ({@code cpu.time.norm}, ns/op), over each measurement iteration.
 * On a machine shared with other work, wall-clock time includes the time the benchmark waited for a core, and the
 * JVM's own CPU time includes the JIT compiler catching up; the benchmark threads' CPU time has neither, which makes
 * it the steadier figure there. It leaves out garbage collection (compare {@code -prof gc}'s B/op) and work on other
 * threads, such as CollegeDB's fan-out threads (none in a one-shard statement). Iteration fixtures run on the
 * benchmark threads inside the iteration: wrap their work in {@link #untimed} to keep it out. Use with
 * {@code -prof org.collegedb.bench.CpuTimeProfiler}; {@link OverheadReport} adds it itself.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final AtomicLong UNTIMED = new AtomicLong();
  private long[] workers = new long[0];
  private long start;

  /** Work that may throw. */
  @FunctionalInterface
  public interface Work<E extends Exception> {
    void run() throws E;
  }

  /** Runs fixture work (a setup that cleans up, say) whose CPU time the iteration's figure must not include. */
  public static <E extends Exception> void untimed(Work<E> work) throws E {
    long start = THREADS.getCurrentThreadCpuTime();
    try {
      work.run();
    } finally {
      UNTIMED.addAndGet(THREADS.getCurrentThreadCpuTime() - start);
    }
  }

  @Override
  public String getDescription() {
    return "CPU time of the benchmark threads per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    workers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains("jmh-worker"))
        .mapToLong(Thread::getId).toArray();
    UNTIMED.set(0);
    start = cpuTime();
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH's signature
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long used = cpuTime() - start - UNTIMED.get();
    long ops = result.getMetadata().getAllOps(); // the CPU time covers every operation of the iteration
    if (iterationParams.getType() != IterationType.MEASUREMENT || workers.length == 0 || ops <= 0 || used <= 0) {
      return List.of();
    }
    return List.of(new ScalarResult("cpu.time.norm", (double) used / ops, "ns/op", AggregationPolicy.AVG));
  }

  private long cpuTime() {
    long sum = 0;
    for (long id : workers) {
      sum += Math.max(0, THREADS.getThreadCpuTime(id));
    }
    return sum;
  }
}
