package org.collegedb.internal.execute;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces {@code setQueryTimeout} when the backend cannot: a shard that stopped answering (a hung server, a dropped
 * route) never answers the cancel request its driver sends at the timeout either, and the statement would wait for
 * ever. One second after the timeout, the watchdog aborts the shard's physical connection: the statement fails with
 * an I/O error (SQLState 08006) naming the shard, and the next statement outside a transaction reconnects.
 */
public final class ShardWatchdog {
  private static final long GRACE_MILLIS = 1000;
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "collegedb-query-watchdog");
    t.setDaemon(true);
    return t;
  });
  private static final Executor ABORTS = Runnable::run;
  private static final Map<Statement, ScheduledFuture<?>> WATCHED = new ConcurrentHashMap<>();

  private ShardWatchdog() {
  }

  /** Starts watching {@code st}, about to run with a query timeout of {@code seconds} (0: nothing to watch). */
  public static void watch(Statement st, int seconds) {
    if (seconds <= 0) {
      return;
    }
    WATCHED.put(st, TIMER.schedule(() -> abort(st), seconds * 1000L + GRACE_MILLIS, TimeUnit.MILLISECONDS));
  }

  /**
   * Gives {@code st}, a statement CollegeDB runs for the caller's statement outside its shard statements (a read
   * before a write, a restricted write), the caller's query timeout of {@code seconds} (0: none), watched as theirs
   * are; {@link #done} once it returned.
   */
  public static void timeout(Statement st, int seconds) throws SQLException {
    if (seconds > 0) {
      st.setQueryTimeout(seconds);
      watch(st, seconds);
    }
  }

  /** Stops watching {@code st}: it returned. */
  public static void done(Statement st) {
    if (st == null) {
      return;
    }
    ScheduledFuture<?> f = WATCHED.remove(st);
    if (f != null) {
      f.cancel(false);
    }
  }

  private static void abort(Statement st) {
    if (WATCHED.remove(st) == null) {
      return;
    }
    try {
      Connection c = st.getConnection();
      c.abort(ABORTS);
    } catch (SQLException | RuntimeException e) {
      // closed already: the statement has its answer
    }
  }
}
