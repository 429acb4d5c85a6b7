import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.*;

/**
 * Compares benchmark jars (e.g. before and after a change) in one JVM: each jar in its own class loader runs the same
 * workload ({@link Workloads}), in alternating rounds, so that the machine's load drifts over all of them alike.
 * Prints the benchmark thread's CPU time per operation (min, 25th percentile, median over the rounds) and the bytes
 * allocated per operation (last round). Usage: see README.md.
 */
public class CompareJars {
  public static void main(String[] a) throws Exception {
    String work = a[0];
    boolean direct = Boolean.getBoolean("direct");
    int ops = Integer.getInteger("ops", 20000), rounds = Integer.getInteger("rounds", 30), warm = Integer.getInteger("warm", 200000);
    com.sun.management.ThreadMXBean T = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<String> names = new ArrayList<>(); List<Runnable> ops_ = new ArrayList<>();
    for (int i = 1; i < a.length; i++) {
      String[] nv = a[i].split("=");
      URLClassLoader cl = new URLClassLoader(new URL[] {Path.of(nv[1]).toUri().toURL(), Path.of(System.getProperty("workloads", "target")).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      Thread.currentThread().setContextClassLoader(cl);
      for (java.sql.Driver d : java.util.ServiceLoader.load(java.sql.Driver.class, cl)) { }
      Runnable r = (Runnable) cl.loadClass("Workloads").getMethod("setup", String.class, boolean.class).invoke(null, work, direct);
      names.add(nv[0]); ops_.add(r);
    }
    for (int i = 0; i < warm; i++) for (Runnable r : ops_) r.run();
    long tid = Thread.currentThread().getId();
    double[][] cpu = new double[ops_.size()][rounds]; double[] alloc = new double[ops_.size()];
    for (int round = 0; round < rounds; round++) {
      for (int k0 = 0; k0 < ops_.size(); k0++) {
        int k = (k0 + round) % ops_.size();
        Runnable r = ops_.get(k);
        long b0 = T.getThreadAllocatedBytes(tid), t0 = T.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) r.run();
        long t1 = T.getCurrentThreadCpuTime(), b1 = T.getThreadAllocatedBytes(tid);
        cpu[k][round] = (t1 - t0) / (double) ops; alloc[k] = (b1 - b0) / (double) ops;
      }
    }
    for (int k = 0; k < ops_.size(); k++) {
      double[] c = cpu[k].clone(); Arrays.sort(c);
      System.out.printf("%s %s %-8s cpu ns/op: min %.0f p25 %.0f median %.0f   alloc %.0f B/op%n", work, direct ? "direct" : "college", names.get(k), c[0], c[rounds / 4], c[rounds / 2], alloc[k]);
    }
    System.exit(0);
  }
}
