package org.collegedb.internal.execute;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ShardSpec;

/**
 * The cap on physical connections per shard ({@code shards.<name>.maxConnections}, default
 * {@code maxConnectionsPerShard}), shared by every logical connection of one configuration in this JVM. A logical
 * connection takes a permit when it opens a shard's physical connection and gives it back when it closes or discards
 * it. At the cap, opening waits up to {@code connectionWaitTimeout} milliseconds, then fails with SQLState 53300
 * naming the shard and the setting.
 */
final class ShardGates {
  private static final Map<Map<String, String>, ShardGates> BY_CONFIG = new ConcurrentHashMap<>();
  /** No cap on any shard. */
  static final ShardGates NONE = new ShardGates(new Semaphore[0], new int[0], 0);

  private final Semaphore[] permits; // null entry: no cap on that shard
  private final int[] caps;
  private final long waitMillis;

  private ShardGates(Semaphore[] permits, int[] caps, long waitMillis) {
    this.permits = permits;
    this.caps = caps;
    this.waitMillis = waitMillis;
  }

  /** The gates of {@code config}, one set per configuration per JVM. */
  static ShardGates of(CollegeConfig config) {
    return BY_CONFIG.computeIfAbsent(config.settings(), k -> {
      List<ShardSpec> shards = config.shards();
      Semaphore[] permits = new Semaphore[shards.size()];
      int[] caps = new int[shards.size()];
      for (int i = 0; i < permits.length; i++) {
        caps[i] = config.failures().maxConnections(shards.get(i).name());
        permits[i] = caps[i] > 0 ? new Semaphore(caps[i], true) : null;
      }
      return new ShardGates(permits, caps, config.failures().connectionWaitMillis());
    });
  }

  /** Takes a permit for one physical connection to shard {@code index}, waiting at the cap. */
  void acquire(int index, String name) throws SQLException {
    Semaphore s = index < permits.length ? permits[index] : null;
    if (s == null) {
      return;
    }
    try {
      if (s.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new SQLTransientConnectionException("shard '" + name + "': all " + caps[index] + " connections allowed by "
        + "shards." + name + ".maxConnections (or maxConnectionsPerShard) are in use, and none came free within "
        + "connectionWaitTimeout=" + waitMillis + " ms: close idle CollegeDB connections or raise the cap",
        SqlStates.TOO_MANY_CONNECTIONS);
  }

  /** Gives back the permit of one physical connection to shard {@code index}. */
  void release(int index) {
    Semaphore s = index < permits.length ? permits[index] : null;
    if (s != null) {
      s.release();
    }
  }

  /** Permits free now on shard {@code index}, or -1 without a cap: for tests and monitoring. */
  int available(int index) {
    Semaphore s = index < permits.length ? permits[index] : null;
    return s == null ? -1 : s.availablePermits();
  }
}
