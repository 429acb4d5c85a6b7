package org.collegedb.internal.execute;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ShardSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes transactions left prepared on a shard by a CollegeDB process that died, or lost a connection, between the
 * two phases of {@link AtomicCommit}. Any process with the configuration does it: at start-up (the first connection of
 * a configuration in a JVM) and then every {@code transactions.recoveryInterval} seconds (default 10) while the
 * configuration has an open logical connection in this JVM. A configuration none of whose connections is open is not
 * looked at (each look connects to every shard): its next connection resumes the passes where the interval left them.
 *
 * <p>For each of CollegeDB's prepared transactions on a shard, the coordinator shard named in its id holds the
 * decision: a {@code commit} row means commit it; no row means the committing process never decided, so the resolver
 * inserts {@code abort} (which makes a late commit attempt fail on the primary key) and rolls it back. So that a live
 * transaction between its two phases is not aborted needlessly, a periodic pass finishes only what it already saw on
 * the pass before.
 */
public final class InDoubtResolver {
  private static final Logger LOG = LoggerFactory.getLogger(InDoubtResolver.class);
  /** Per configuration: its resolver, its periodic pass while scheduled, and how many connections hold it. */
  private static final Map<Map<String, String>, Periodic> PERIODIC = new HashMap<>(); // guarded by itself
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "collegedb-in-doubt-resolver");
    t.setDaemon(true);
    return t;
  });
  /** What a configuration without a shard that prepares holds: nothing to release. */
  private static final Lease NOTHING = () -> { };

  private final List<ShardSpec> shards;
  private Set<String> seenBefore = new HashSet<>();

  private InDoubtResolver(List<ShardSpec> shards) {
    this.shards = shards;
  }

  /** A logical connection's hold on its configuration's periodic passes: they run while any hold is open. */
  public interface Lease extends AutoCloseable {
    /** Releases the hold (once; later calls do nothing). */
    @Override
    void close();
  }

  /** The periodic passes of one configuration. */
  private static final class Periodic {
    final InDoubtResolver resolver;
    final long everyMillis;
    ScheduledFuture<?> task;
    int holders;
    volatile long lastPass; // System.nanoTime() of the last pass's start; 0 before the first

    Periodic(InDoubtResolver resolver, long everyMillis) {
      this.resolver = resolver;
      this.everyMillis = everyMillis;
    }

    void run() {
      lastPass = System.nanoTime();
      resolver.pass(false);
    }
  }

  /**
   * Holds the periodic resolver of {@code config} (only for shards that prepare) for one logical connection: the
   * first hold schedules the passes (the first one at once, or, after a pause, when the interval since the last one
   * ends), and the passes stop when the last hold is released.
   */
  static Lease start(CollegeConfig config) {
    if (config.shards().stream().noneMatch(s -> TwoPhase.ofUrl(s.url()) != TwoPhase.NONE)) {
      return NOTHING;
    }
    Map<String, String> key = config.settings();
    synchronized (PERIODIC) {
      Periodic p = PERIODIC.computeIfAbsent(key, k -> new Periodic(new InDoubtResolver(config.shards()),
          config.failures().recoveryIntervalMillis()));
      if (p.holders++ == 0) {
        long since = p.lastPass == 0 ? Long.MAX_VALUE : (System.nanoTime() - p.lastPass) / 1_000_000L;
        long delay = Math.max(0, p.everyMillis - since);
        p.task = TIMER.scheduleWithFixedDelay(p::run, delay, p.everyMillis, TimeUnit.MILLISECONDS);
      }
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        release(key);
      }
    };
  }

  private static void release(Map<String, String> key) {
    synchronized (PERIODIC) {
      Periodic p = PERIODIC.get(key);
      if (p != null && --p.holders == 0) {
        p.task.cancel(false);
        p.task = null;
      }
    }
  }

  /** Whether the periodic passes of {@code config} are scheduled now (some connection of it is open). */
  public static boolean scheduled(CollegeConfig config) {
    synchronized (PERIODIC) {
      Periodic p = PERIODIC.get(config.settings());
      return p != null && p.task != null;
    }
  }

  /**
   * Finishes every CollegeDB transaction prepared on the shards of {@code config} now, also those seen for the first
   * time (a transaction still between its phases is then rolled back, and its commit fails cleanly). Returns how many
   * were finished. For tests and operators after an outage.
   */
  public static int resolveNow(CollegeConfig config) {
    return new InDoubtResolver(config.shards()).pass(true);
  }

  private synchronized int pass(boolean all) {
    int finished = 0;
    Set<String> seen = new HashSet<>();
    Map<String, ShardSpec> byName = new HashMap<>();
    for (ShardSpec s : shards) {
      byName.put(s.name(), s);
    }
    for (ShardSpec shard : shards) {
      TwoPhase p = TwoPhase.ofUrl(shard.url());
      if (p == TwoPhase.NONE) {
        continue;
      }
      List<String[]> gids;
      try (Connection c = BackendDrivers.connect(shard)) {
        gids = p.inDoubt(c, shard.name());
      } catch (SQLException | RuntimeException e) {
        continue; // unreachable now: the next pass tries again
      }
      for (String[] branch : gids) {
        String gid = branch[0];
        String key = shard.name() + "/" + gid;
        seen.add(key);
        if (!all && !seenBefore.contains(key)) {
          continue;
        }
        ShardSpec coordinator = byName.get(TwoPhase.coordinatorOf(gid));
        if (coordinator == null || !TwoPhase.tokenOf(gid).equals(TwoPhase.token(coordinator.url()))) {
          continue; // another configuration's transaction (MariaDB lists XA ids server-wide)
        }
        try {
          boolean commit = TwoPhase.decide(coordinator, TwoPhase.ofUrl(coordinator.url()), gid);
          if (p.finish(shard, gid, branch[1], commit)) {
            finished++;
            LOG.info("shard '{}': in-doubt transaction {} {}", shard.name(), gid, commit ? "committed" : "rolled back");
          }
        } catch (SQLException | RuntimeException e) {
          LOG.debug("shard '{}': in-doubt transaction {} not finished yet: {}", shard.name(), gid, e.getMessage());
        }
      }
    }
    seenBefore = seen;
    return finished;
  }
}
