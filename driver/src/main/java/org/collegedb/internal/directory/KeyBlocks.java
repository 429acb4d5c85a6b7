package org.collegedb.internal.directory;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out generated key values that are unique across shards and across driver instances: each counter lives in
 * the directory ({@code key:<table>.<column>}), created at the largest key any shard holds, and an instance takes
 * {@code directory.blockSize} values at a time by adding to it atomically (four times a request larger than a block,
 * such as a batch's). Values are unique, and increase within one instance; across instances they interleave by block.
 */
final class KeyBlocks {
  /** Reads the largest key the shards hold, to start a new counter above it. */
  @FunctionalInterface
  interface LargestKey {
    long read() throws SQLException;
  }

  private static final long RECHECK_MILLIS = 5_000;

  private final DirectoryStore store;
  private final int blockSize;
  private final Map<String, Block> blocks = new ConcurrentHashMap<>();

  private static final class Block {
    boolean exists; // the counter exists in the directory
    long checked; // when its absence was last seen (ms)
    long next = 1;
    long end; // last value owned; next > end: empty
    long ceiling = Long.MIN_VALUE; // the counter's value as last seen
  }

  KeyBlocks(DirectoryStore store, int blockSize) {
    this.store = store;
    this.blockSize = blockSize;
  }

  static String counter(String table, String column) {
    return "key:" + table + "." + column;
  }

  /** {@code n} new values of a counter, in increasing order. */
  long[] take(String name, int n, LargestKey largest) throws SQLException {
    Block b = blocks.computeIfAbsent(name, k -> new Block());
    synchronized (b) {
      if (!b.exists) {
        if (!store.hasCounter(name)) {
          store.createCounter(name, Math.max(0, largest.read()));
        }
        b.exists = true;
      }
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        if (b.next > b.end) {
          // A request larger than a block (a batch) takes room for a few more like it: one directory write then
          // serves several batches.
          long size = n - i > blockSize ? Math.max(blockSize, 4L * (n - i)) : blockSize;
          b.end = store.add(name, size);
          b.next = b.end - size + 1;
          b.ceiling = Math.max(b.ceiling, b.end);
        }
        out[i] = b.next++;
      }
      return out;
    }
  }

  /**
   * An INSERT gave {@code value} explicitly: raise the counter past it, so that no instance hands it out later. A
   * counter that does not exist yet needs nothing (it starts above the largest key); its absence is re-checked at
   * most every few seconds.
   */
  void saw(String name, long value) throws SQLException {
    Block b = blocks.computeIfAbsent(name, k -> new Block());
    synchronized (b) {
      if (b.next <= value && value <= b.end) {
        b.next = b.end + 1; // a value of our own unused block was taken: drop the block
      }
      if (value <= b.ceiling) {
        return;
      }
      if (!b.exists) {
        long now = System.currentTimeMillis();
        if (now - b.checked < RECHECK_MILLIS) {
          return;
        }
        b.checked = now;
        if (!store.hasCounter(name)) {
          return;
        }
        b.exists = true;
      }
      store.raise(name, value);
      b.ceiling = value;
      if (b.next <= value) {
        b.next = b.end + 1; // the rest of our block is at or below a value in use: take a new one
      }
    }
  }
}
