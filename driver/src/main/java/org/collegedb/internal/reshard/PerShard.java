package org.collegedb.internal.reshard;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.collegedb.SqlStates;

/**
 * The reshard's steps that do the same on several shards at once, each shard on its own connection (raising the
 * sources' fences, writing the ranges in motion and the map, reading them back, and the probes that measure those
 * steps before the fence): every shard's part runs on a thread of its own, and the call returns when all have ended.
 * A failure is thrown once every part has ended (the first, the others suppressed).
 */
final class PerShard implements AutoCloseable {
  /** One shard's part. */
  @FunctionalInterface
  interface Part {
    void run(String shard) throws SQLException;
  }

  private static final AtomicInteger THREADS = new AtomicInteger();
  private ExecutorService pool;

  /** Runs {@code part} for every shard of {@code shards} at once and returns when every part has ended. */
  void run(List<String> shards, Part part) throws SQLException {
    if (shards.size() == 1) {
      part.run(shards.get(0));
      return;
    }
    if (pool == null) {
      pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "collegedb-reshard-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    List<Future<Void>> parts = new ArrayList<>();
    for (String shard : shards) {
      parts.add(pool.submit(() -> {
        part.run(shard);
        return null;
      }));
    }
    SQLException failed = null;
    RuntimeException broken = null;
    for (int i = 0; i < parts.size(); i++) {
      try {
        parts.get(i).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed = add(failed, new SQLException("interrupted", SqlStates.GENERAL, e));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          broken = broken == null ? r : broken;
          continue;
        }
        failed = add(failed, cause instanceof SQLException s ? s
            : new SQLException("shard '" + shards.get(i) + "': " + cause, SqlStates.GENERAL, cause));
      }
    }
    if (broken != null) {
      throw broken;
    }
    if (failed != null) {
      throw failed;
    }
  }

  private static SQLException add(SQLException first, SQLException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
      pool = null;
    }
  }
}
