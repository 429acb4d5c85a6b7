package org.collegedb.internal.execute;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.collegedb.SqlStates;
import org.collegedb.metrics.Metrics;

/**
 * Runs one piece of work per shard: on the caller's thread for one shard, in parallel for several (the caller's
 * thread takes the first). Waits for all; if any failed, releases what the others produced and throws the first
 * failure, naming its shard.
 */
public final class ShardExecutor implements AutoCloseable {
  private final ExecutorService pool;

  public ShardExecutor(int threads) {
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "collegedb-fanout-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Work for one shard: {@code position} is the index in the target list, {@code shard} the shard's index. */
  @FunctionalInterface
  public interface ShardTask<T> {
    T run(int position, int shard) throws SQLException;
  }

  /**
   * Runs {@code task} for every shard of {@code shards}, returning the results in the same order.
   *
   * @param names the shard names, for error messages
   */
  public <T> List<T> onEach(int[] shards, ShardTask<T> task, IntFunction<String> names) throws SQLException {
    List<T> results = new ArrayList<>(shards.length);
    if (shards.length == 1) {
      results.add(runNamed(task, 0, shards[0], names));
      return results;
    }
    List<Future<T>> futures = new ArrayList<>(shards.length - 1);
    for (int i = 1; i < shards.length; i++) {
      int position = i;
      futures.add(pool.submit(() -> runNamed(task, position, shards[position], names)));
    }
    SQLException failure = null;
    T first = null;
    try {
      first = runNamed(task, 0, shards[0], names);
    } catch (SQLException e) {
      failure = e;
    }
    results.add(first);
    for (Future<T> f : futures) {
      try {
        results.add(f.get());
      } catch (ExecutionException e) {
        results.add(null);
        SQLException cause = e.getCause() instanceof SQLException s ? s
            : new SQLException("fan-out failed: " + e.getCause(), SqlStates.GENERAL, e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        results.add(null);
        if (failure == null) {
          failure = new SQLException("interrupted while waiting for the shards", SqlStates.GENERAL, e);
        }
      }
    }
    if (failure != null) {
      for (T r : results) {
        if (r instanceof AutoCloseable c) {
          try {
            c.close();
          } catch (Exception ignored) {
            failure.addSuppressed(ignored);
          }
        }
      }
      throw failure;
    }
    return results;
  }

  /** {@link #inOrder} when {@code ordered}, else {@link #onEach}. */
  public <T> List<T> run(boolean ordered, int[] shards, ShardTask<T> task, IntFunction<String> names)
      throws SQLException {
    return ordered ? inOrder(shards, task, names) : onEach(shards, task, names);
  }

  /**
   * Runs {@code task} for every shard of {@code shards} one after the other, in ascending shard order, on the caller's
   * thread: for statements that take locks on copies of the same rows (writes to broadcast tables, locking reads),
   * so that two clients take their locks in one order and cannot deadlock across shards. Stops at the first failure,
   * releasing what the shards before it produced.
   */
  public <T> List<T> inOrder(int[] shards, ShardTask<T> task, IntFunction<String> names) throws SQLException {
    List<T> results = new ArrayList<>(shards.length);
    for (int i = 0; i < shards.length; i++) {
      results.add(null);
    }
    for (int position : inShardOrder(shards)) {
      try {
        results.set(position, runNamed(task, position, shards[position], names));
      } catch (SQLException e) {
        for (T r : results) {
          if (r instanceof AutoCloseable c) {
            try {
              c.close();
            } catch (Exception ignored) {
              e.addSuppressed(ignored);
            }
          }
        }
        throw e;
      }
    }
    return results;
  }

  /**
   * The positions of {@code shards} in ascending shard order (positions of equal shards in their order). Routes list
   * their shards ascending as a rule, so this is mostly the identity, found without sorting or boxing.
   */
  static int[] inShardOrder(int[] shards) {
    int[] positions = new int[shards.length];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i;
    }
    for (int i = 1; i < positions.length; i++) { // insertion sort: a few shards, stable, no work when ascending
      int p = positions[i];
      int j = i - 1;
      while (j >= 0 && shards[positions[j]] > shards[p]) {
        positions[j + 1] = positions[j];
        j--;
      }
      positions[j + 1] = p;
    }
    return positions;
  }

  private static <T> T runNamed(ShardTask<T> task, int position, int shard, IntFunction<String> names)
      throws SQLException {
    long started = Metrics.start();
    try {
      T result = task.run(position, shard);
      Metrics.shard(names.apply(shard), started, false);
      return result;
    } catch (SQLException e) {
      Metrics.shard(names.apply(shard), started, true);
      throw ShardErrors.named(e, names.apply(shard));
    } catch (RuntimeException e) {
      Metrics.shard(names.apply(shard), started, true);
      throw new SQLException("shard '" + names.apply(shard) + "': " + e, SqlStates.GENERAL, e);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
