import java.net.*; import java.nio.file.Path; import java.util.*;
/**
 * Counts the JDBC calls CollegeDB makes on its shard connections per operation of a workload ({@link Workloads}), through
 * {@link TraceDriver}: a deterministic figure to compare two versions with (what each statement asks of the shards).
 */
public class TraceCalls {
  public static void main(String[] a) throws Exception {
    System.setProperty("trace", "true");
    URLClassLoader cl = new URLClassLoader(new URL[] {Path.of(a[1]).toUri().toURL(), Path.of(System.getProperty("workloads", "target")).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(cl);
    for (java.sql.Driver d : ServiceLoader.load(java.sql.Driver.class, cl)) { }
    Runnable r = (Runnable) cl.loadClass("Workloads").getMethod("setup", String.class, boolean.class).invoke(null, a[0], false);
    for (int i = 0; i < 2000; i++) r.run();
    Class<?> t = cl.loadClass("TraceDriver");
    t.getField("on").set(null, true);
    int n = 1000;
    for (int i = 0; i < n; i++) r.run();
    t.getField("on").set(null, false);
    @SuppressWarnings("unchecked") Map<String, java.util.concurrent.atomic.LongAdder> calls = (Map<String, java.util.concurrent.atomic.LongAdder>) t.getField("CALLS").get(null);
    new TreeMap<>(calls).forEach((k, v) -> System.out.printf("%s %.2f%n", k, v.sum() / (double) n));
    System.exit(0);
  }
}
