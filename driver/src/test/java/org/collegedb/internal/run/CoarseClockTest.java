package org.collegedb.internal.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoarseClockTest {
  @Test
  void followsTheSystemClockWithoutRunningAhead() throws InterruptedException {
    long before = CoarseClock.nanos();
    assertTrue(before - System.nanoTime() <= 0, "never ahead of System.nanoTime()");
    long started = System.nanoTime();
    Thread.sleep(10 * CoarseClock.RESOLUTION_MILLIS);
    long deadline = System.nanoTime() + 5_000_000_000L; // a loaded machine may delay the clock's thread
    while (CoarseClock.nanos() - started < 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(CoarseClock.RESOLUTION_MILLIS);
    }
    long after = CoarseClock.nanos();
    assertTrue(after - started >= 0, "advanced past the time the wait began");
    assertTrue(after - System.nanoTime() <= 0, "never ahead of System.nanoTime()");
  }
}
