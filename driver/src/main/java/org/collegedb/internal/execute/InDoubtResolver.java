package org.collegedb.internal.execute;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ShardSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes transactions left prepared on a shard by a CollegeDB process that died, or lost a connection, between the
 * two phases of {@link AtomicCommit}. Any process with the configuration does it: at start-up (the first connection of
 * a configuration in a JVM) and then every {@code transactions.recoveryInterval} seconds (default 10).
 *
 * <p>For each of CollegeDB's prepared transactions on a shard, the coordinator shard named in its id holds the
 * decision: a {@code commit} row means commit it; no row means the committing process never decided, so the resolver
 * inserts {@code abort} (which makes a late commit attempt fail on the primary key) and rolls it back. So that a live
 * transaction between its two phases is not aborted needlessly, a periodic pass finishes only what it already saw on
 * the pass before.
 */
public final class InDoubtResolver {
  private static final Logger LOG = LoggerFactory.getLogger(InDoubtResolver.class);
  private static final Map<Map<String, String>, InDoubtResolver> RUNNING = new ConcurrentHashMap<>();
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "collegedb-in-doubt-resolver");
    t.setDaemon(true);
    return t;
  });

  private final List<ShardSpec> shards;
  private Set<String> seenBefore = new HashSet<>();

  private InDoubtResolver(List<ShardSpec> shards) {
    this.shards = shards;
  }

  /** Starts the periodic resolver of {@code config}, once per configuration per JVM (only for shards that prepare). */
  static void start(CollegeConfig config) {
    if (config.shards().stream().noneMatch(s -> TwoPhase.ofUrl(s.url()) != TwoPhase.NONE)) {
      return;
    }
    RUNNING.computeIfAbsent(config.settings(), k -> {
      InDoubtResolver r = new InDoubtResolver(config.shards());
      long every = config.failures().recoveryIntervalMillis();
      TIMER.scheduleWithFixedDelay(() -> r.pass(false), 0, every, TimeUnit.MILLISECONDS);
      return r;
    });
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
