package org.collegedb.internal.distributed;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.execute.BackendDrivers;

/**
 * Scratch sessions on PostgreSQL and MariaDB servers kept for the next query across shards. Opening a session (a new
 * server process or thread, authentication, the driver's start-up queries) was about 40% of a small distributed
 * query on PostgreSQL (wall-clock profile of {@code CrossShardJoinBenchmark.derivedAggregate}), so a session the
 * query is done with is reset and kept instead of closed:
 *
 * <ul>
 *   <li>it is kept only once it is back in a new session's state ({@link Reset}: PostgreSQL {@code DISCARD ALL}, which
 *   drops the temporary tables and resets settings and plans; MariaDB {@code COM_RESET_CONNECTION}); a reset that
 *   fails closes it, and a session whose reset is unknown is never kept;</li>
 *   <li>at most {@link #MAX_IDLE} per server, database and login; the most recently used is taken first;</li>
 *   <li>one unused for {@link #IDLE_MILLIS} is closed (a timer runs only while sessions are kept), so an application
 *   that stops querying across shards holds none after that;</li>
 *   <li>a kept session is checked ({@code isValid}) before it is used again: one the server ended meanwhile (a
 *   restart, {@code pg_terminate_backend}) is closed and another taken or opened.</li>
 * </ul>
 */
final class ScratchSessions {
  static final int MAX_IDLE = 4;
  static final long IDLE_MILLIS = 30_000;

  /** Brings a session back to a new session's state; fails when it cannot. */
  @FunctionalInterface
  interface Reset {
    void reset(Connection c) throws SQLException;
  }

  private record Key(String url, String user, String password, Properties properties) {
  }

  private record Idle(Connection connection, long since) {
  }

  private static final Map<Key, Deque<Idle>> IDLE = new HashMap<>();

  private static final class Timer {
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "collegedb-scratch-sessions");
      t.setDaemon(true);
      return t;
    });
  }

  private ScratchSessions() {
  }

  private static Key key(ShardSpec spec) {
    return new Key(spec.url(), spec.user(), spec.password(), spec.properties());
  }

  /** A kept session of {@code spec}'s server and login that still works, or a new one. */
  static Connection borrow(ShardSpec spec) throws SQLException {
    Key key = key(spec);
    while (true) {
      Idle idle;
      synchronized (IDLE) {
        Deque<Idle> kept = IDLE.get(key);
        idle = kept == null ? null : kept.pollFirst();
      }
      if (idle == null) {
        return BackendDrivers.connect(spec);
      }
      if (valid(idle.connection())) {
        return idle.connection();
      }
      closeQuietly(idle.connection());
    }
  }

  /**
   * Resets {@code c} and keeps it for {@code spec}'s next query, or closes it (reset failed, enough kept). The reset
   * (a round trip that drops the temporary tables) runs on the sessions' own thread: the caller's close does not
   * wait for it.
   */
  static void giveBack(ShardSpec spec, Connection c, Reset reset) {
    try {
      Timer.TIMER.execute(() -> keep(spec, c, reset));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      closeQuietly(c);
    }
  }

  /** Waits until the sessions given back so far are reset and kept or closed (for tests). */
  static void settle() throws Exception {
    Timer.TIMER.submit(() -> { }).get();
  }

  private static void keep(ShardSpec spec, Connection c, Reset reset) {
    try {
      reset.reset(c);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      return;
    }
    synchronized (IDLE) {
      Deque<Idle> kept = IDLE.computeIfAbsent(key(spec), k -> new ArrayDeque<>());
      if (kept.size() >= MAX_IDLE) {
        closeQuietly(c);
        return;
      }
      kept.addFirst(new Idle(c, System.nanoTime()));
    }
    Timer.TIMER.schedule(() -> closeUnused(IDLE_MILLIS), IDLE_MILLIS + 50, TimeUnit.MILLISECONDS);
  }

  /** Closes the sessions unused for {@code idleMillis}. */
  static void closeUnused(long idleMillis) {
    long now = System.nanoTime();
    List<Connection> unused = new ArrayList<>();
    synchronized (IDLE) {
      for (Iterator<Deque<Idle>> kinds = IDLE.values().iterator(); kinds.hasNext(); ) {
        Deque<Idle> kept = kinds.next();
        for (Iterator<Idle> it = kept.iterator(); it.hasNext(); ) {
          Idle idle = it.next();
          if (now - idle.since() >= TimeUnit.MILLISECONDS.toNanos(idleMillis)) {
            unused.add(idle.connection());
            it.remove();
          }
        }
        if (kept.isEmpty()) {
          kinds.remove();
        }
      }
    }
    unused.forEach(ScratchSessions::closeQuietly);
  }

  /** How many sessions are kept now, once those given back are settled (for tests). */
  static int kept() throws Exception {
    settle();
    synchronized (IDLE) {
      return IDLE.values().stream().mapToInt(Deque::size).sum();
    }
  }

  /** Closes every kept session (for tests). */
  static void closeAll() throws Exception {
    settle();
    List<Connection> all = new ArrayList<>();
    synchronized (IDLE) {
      IDLE.values().forEach(kept -> kept.forEach(idle -> all.add(idle.connection())));
      IDLE.clear();
    }
    all.forEach(ScratchSessions::closeQuietly);
  }

  private static boolean valid(Connection c) {
    try {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException ignored) {
      // the session is gone either way
    }
  }
}
