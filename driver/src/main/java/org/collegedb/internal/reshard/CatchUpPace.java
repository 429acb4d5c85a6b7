package org.collegedb.internal.reshard;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.collegedb.SqlStates;

/**
 * Whether the reshard's unfenced catch-up may stop and raise the fence: the fenced final catch-up, while writes to the
 * moving ranges wait, must take at most {@code reshard.maxSwitchMillis}. Its duration is estimated from the changes
 * left in the sources' logs (between the saved positions and the logs' heads) and the rate at which this run's
 * unfenced rounds applied changes. When writers keep the estimate above the bound for {@code
 * reshard.maxCatchUpSeconds}, the catch-up stops with {@link #outpaced} (the operation stays at its step), unless the
 * backlog is shrinking fast enough to be applied within that time again ({@link #extend}, once).
 */
final class CatchUpPace {
  private final long maxSwitchMillis;
  private final long maxCatchUpMillis;
  private final long startNanos = System.nanoTime();
  private final long startHeads;
  private final long startBacklog;
  private long deadlineNanos;
  private boolean extended;
  private long applied;
  private long applyNanos;
  private long backlog = -1;
  private long heads;

  /**
   * @param heads   the sum of the sources' log heads when the catch-up began (to measure how fast writers write)
   * @param backlog the changes after the saved positions then
   */
  CatchUpPace(long maxSwitchMillis, long maxCatchUpMillis, long heads, long backlog) {
    this.maxSwitchMillis = maxSwitchMillis;
    this.maxCatchUpMillis = maxCatchUpMillis;
    this.startHeads = heads;
    this.heads = heads;
    this.startBacklog = backlog;
    this.deadlineNanos = startNanos + maxCatchUpMillis * 1_000_000L;
  }

  /** A round (or part of one) applied {@code changes} in {@code nanos}. */
  void applied(long changes, long nanos) {
    applied += changes;
    applyNanos += nanos;
  }

  /** After a round: {@code heads} the sum of the logs' heads, {@code backlog} the changes after the saved positions. */
  void measured(long heads, long backlog) {
    this.heads = heads;
    this.backlog = backlog;
  }

  /** Changes applied a second, measured over this run's rounds; 0 before any change was applied. */
  double appliedPerSecond() {
    return applyNanos == 0 ? 0 : applied * 1e9 / applyNanos;
  }

  /** Changes applied a second since the catch-up began, its reads of the logs' heads and pruning included. */
  double overallPerSecond() {
    long nanos = System.nanoTime() - startNanos;
    return nanos == 0 ? 0 : applied * 1e9 / nanos;
  }

  /** Changes written to the logs a second since the catch-up began. */
  double writtenPerSecond() {
    long nanos = System.nanoTime() - startNanos;
    return nanos == 0 ? 0 : (heads - startHeads) * 1e9 / nanos;
  }

  /** The estimated duration of a catch-up of the backlog, in ms (Long.MAX_VALUE when no rate is measured yet). */
  long estimateMillis() {
    if (backlog <= 0) {
      return 0;
    }
    double rate = appliedPerSecond();
    return rate <= 0 ? Long.MAX_VALUE : (long) Math.ceil(backlog * 1000 / rate);
  }

  /** Whether the fence may be raised: the fenced catch-up should end within {@code reshard.maxSwitchMillis}. */
  boolean shortEnough() {
    return backlog >= 0 && estimateMillis() <= maxSwitchMillis;
  }

  /** Whether the catch-up has tried for {@code reshard.maxCatchUpSeconds} (once extended: twice that). */
  boolean overdue() {
    return System.nanoTime() - deadlineNanos >= 0;
  }

  /**
   * After a round that ended overdue and not {@link #shortEnough}: whether to go on. Once, when the backlog has been
   * shrinking fast enough to be applied within another {@code reshard.maxCatchUpSeconds} (a run resumed after the
   * writers slowed down, with a large backlog left), the deadline is extended by that much; otherwise the writers
   * produce changes (about) as fast as the catch-up applies them, and the catch-up stops.
   */
  boolean extend() {
    double nanos = System.nanoTime() - startNanos;
    double shrinkPerMilli = nanos <= 0 ? 0 : (startBacklog - backlog) * 1e6 / nanos;
    if (extended || shrinkPerMilli <= 0 || backlog / shrinkPerMilli > maxCatchUpMillis) {
      return false;
    }
    extended = true;
    deadlineNanos = System.nanoTime() + maxCatchUpMillis * 1_000_000L;
    return true;
  }

  /** For the operation's detail and status: the backlog, the rates, the estimate. */
  Map<String, Object> report() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("backlog", Math.max(backlog, 0));
    out.put("appliedPerSecond", Math.round(appliedPerSecond()));
    out.put("writtenPerSecond", Math.round(writtenPerSecond()));
    long estimate = estimateMillis();
    out.put("switchEstimateMillis", estimate == Long.MAX_VALUE ? -1 : estimate);
    out.put("maxSwitchMillis", maxSwitchMillis);
    return out;
  }

  /** The catch-up could not get the estimate under the bound in time: what was measured and what to do. */
  SQLException outpaced(String step) {
    long estimate = estimateMillis();
    return new SQLException(String.format(Locale.ROOT, "reshard stopped before raising the fence (step %s): "
        + "writers produce changes faster than the catch-up applies them, or nearly as fast (%,.0f changes/s "
        + "written to the sources' change logs, "
        + "%,.0f changes/s applied overall, %,.0f/s while applying; %,d changes left, an estimated %s of fenced "
        + "catch-up, above "
        + "reshard.maxSwitchMillis=%d, after %d s, reshard.maxCatchUpSeconds=%d). Writes to the moving ranges were "
        + "not fenced. Run reshard again when writes are lower (it continues from here), or raise "
        + "reshard.maxSwitchMillis (writes then wait longer at the switch) or reshard.maxCatchUpSeconds; "
        + "reshard --abort undoes it", step, writtenPerSecond(), overallPerSecond(), appliedPerSecond(),
        Math.max(backlog, 0), estimate == Long.MAX_VALUE ? "unknown time" : estimate + " ms", maxSwitchMillis,
        (System.nanoTime() - startNanos) / 1_000_000_000L, maxCatchUpMillis / 1000), SqlStates.LIMIT_EXCEEDED);
  }
}
