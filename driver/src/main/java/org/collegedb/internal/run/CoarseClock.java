package org.collegedb.internal.run;

import java.util.concurrent.locks.LockSupport;

/**
 * A clock for checks that are due every second or so, read by every statement: {@link #nanos()} is one volatile
 * read, where {@link System#nanoTime()} costs 75-100 ns on some virtual machines. A daemon thread advances it every
 * {@link #RESOLUTION_MILLIS}; it starts with the first read of the class (the first cluster) and runs as long as the
 * JVM does, like the clusters' fan-out threads.
 */
final class CoarseClock {
  /** How far {@link #nanos()} may lag {@link System#nanoTime()}, at most (plus the scheduler's delay). */
  static final long RESOLUTION_MILLIS = 20;

  private static volatile long now = System.nanoTime();

  static {
    Thread t = new Thread(CoarseClock::advance, "collegedb-clock");
    t.setDaemon(true);
    t.start();
  }

  private CoarseClock() {
  }

  /** {@link System#nanoTime()} as of at most about {@link #RESOLUTION_MILLIS} ago. */
  static long nanos() {
    return now;
  }

  private static void advance() {
    long period = RESOLUTION_MILLIS * 1_000_000L;
    while (true) {
      LockSupport.parkNanos(period);
      now = System.nanoTime();
    }
  }
}
