package org.collegedb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The first {@code DriverManager.getConnection} of a configuration with {@link #shards} shards (in-memory H2 or
 * SQLite files): each measured connect is the first of its configuration in the JVM (a new cluster runtime), for a
 * new cluster ({@code cluster=new}: fresh databases) and for an existing one ({@code cluster=existing}: every shard
 * already holds its identity, the map and a table). The shards beyond the map's holders are checked on first use,
 * so connect reads three.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ManyShardsConnectBenchmark {
  @Param({"1000"})
  public int shards;

  @Param({"H2", "SQLITE"})
  public String backend;

  @Param({"new", "existing"})
  public String cluster;

  private Path dir;
  private int run;
  private Properties existing;
  private Properties next;

  private Properties fresh(String tag) throws Exception {
    Properties p = new Properties();
    Path files = backend.equals("SQLITE") ? Files.createDirectories(dir.resolve(tag)) : null;
    for (int i = 1; i <= shards; i++) {
      String name = String.format("s%04d", i);
      p.setProperty("shards." + name + ".url", backend.equals("H2")
          ? "jdbc:h2:mem:many_" + tag + "_" + i + ";DB_CLOSE_DELAY=-1"
          : "jdbc:sqlite:" + files.resolve(name + ".db"));
    }
    p.setProperty("directory.url", "jdbc:sqlite:" + dir.resolve(tag + "-directory.db"));
    return p;
  }

  @Setup(Level.Trial)
  public void cluster() throws Exception {
    dir = Files.createTempDirectory("cdb-many");
    if (cluster.equals("existing")) {
      existing = fresh("existing");
      Properties setup = (Properties) existing.clone();
      setup.setProperty("transactions", "best-effort"); // H2's two-phase decision row cannot list 1,000 shards
      try (Connection c = DriverManager.getConnection("jdbc:collegedb:", setup);
           Statement s = c.createStatement()) {
        s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(20))"); // every shard joins
      }
    }
  }

  /** A configuration no connect of this JVM has seen (a new cluster runtime), over new or existing shards. */
  @Setup(Level.Invocation)
  public void configuration() throws Exception {
    run++;
    next = cluster.equals("existing") ? (Properties) existing.clone() : fresh("new" + run);
    next.setProperty("planCacheSize", Integer.toString(10_000 + run));
  }

  @Benchmark
  public boolean firstConnect() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", next)) {
      return c.isReadOnly();
    }
  }
}
