package org.collegedb.internal.reshard;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.collegedb.SqlStates;

/**
 * Whether the reshard's unfenced catch-up may stop and raise the fence: the switch, while writes to the moving ranges
 * wait, must take at most {@code reshard.maxSwitchMillis}. Its duration is estimated as the fenced final catch-up
 * (the changes left in the sources' logs, between the saved positions and the logs' heads, at the rate at which this
 * run's unfenced rounds applied changes, plus the fixed costs of a round, as the last one took them) and the switch's
 * other steps, measured before the fence ({@link SwitchCost}: raising the fences, re-pointing the directory,
 * publishing the map).
 * When writers keep the estimate above the bound for {@code reshard.maxCatchUpSeconds}, the catch-up stops with
 * {@link #outpaced} (the operation stays at its step), unless the backlog is shrinking fast enough to be applied within
 * that time again ({@link #extend}, once); it stops at once when the other steps alone stay above the bound for
 * {@value #FIXED_ROUNDS} rounds (no catch-up can help then).
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
   * What the last round took beyond its changes at the measured rate: each log's head read, the batches' fixed costs
   * (reading the log, the directory, saving the position), pruning. The final catch-up is such a round.
   */
  private double roundOverheadMillis;
  private SwitchCost fixed = SwitchCost.NONE;
  private int fixedAbove;
  static final int FIXED_ROUNDS = 3;

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

  /**
   * After a round: {@code heads} the sum of the logs' heads, {@code backlog} the changes after the saved positions,
   * {@code roundMillis} how long the round took to read and apply its {@code roundChanges} changes.
   */
  void measured(long heads, long backlog, double roundMillis, long roundChanges) {
    this.heads = heads;
    this.backlog = backlog;
    double rate = appliedPerSecond();
    this.roundOverheadMillis = Math.max(0, roundMillis - (rate <= 0 ? 0 : roundChanges * 1000 / rate));
  }

  /** After a round: the switch's other steps, measured unfenced. */
  void fixed(SwitchCost cost) {
    fixed = cost;
    fixedAbove = cost.millis() > maxSwitchMillis ? fixedAbove + 1 : 0;
  }

  /** Whether the switch's steps besides the catch-up stayed above the bound for {@value #FIXED_ROUNDS} rounds. */
  boolean fixedTooLong() {
    return fixedAbove >= FIXED_ROUNDS;
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

  /**
   * The estimated duration of the fenced catch-up of the backlog, in ms: a round's overhead as the last round took it,
   * and the backlog at the measured rate (Long.MAX_VALUE when there is a backlog and no rate is measured yet).
   * Before, the backlog alone: for the few changes left when the fence may go up, the batches' fixed costs are most of
   * the final catch-up (H2, 21 changes: 4 ms estimated, 43 ms taken).
   */
  long catchUpMillis() {
    double rate = appliedPerSecond();
    if (backlog > 0 && rate <= 0) {
      return Long.MAX_VALUE;
    }
    return (long) Math.ceil(Math.max(backlog, 0) * 1000 / Math.max(rate, 1e-9) + roundOverheadMillis);
  }

  /** The estimated duration of the switch, in ms: the fenced catch-up and the other steps (Long.MAX_VALUE: unknown). */
  long estimateMillis() {
    long catchUp = catchUpMillis();
    return catchUp == Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(catchUp + fixed.millis());
  }

  /** Whether the fence may be raised: the switch should end within {@code reshard.maxSwitchMillis}. */
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
    long catchUp = catchUpMillis();
    out.put("catchUpEstimateMillis", catchUp == Long.MAX_VALUE ? -1 : catchUp);
    out.putAll(fixed.report());
    out.put("maxSwitchMillis", maxSwitchMillis);
    return out;
  }

  /** The estimate's parts, for messages: {@code fenced catch-up 20 ms, fence raise 3 ms, ...}. */
  String parts() {
    long catchUp = catchUpMillis();
    return String.format(Locale.ROOT, "fenced catch-up %s, fence raise %.0f ms, directory switch %.0f ms (%,d moved "
        + "rows' entries), map publication %.0f ms", catchUp == Long.MAX_VALUE ? "unknown" : catchUp + " ms",
        Math.ceil(fixed.raiseMillis()), Math.ceil(fixed.directoryMillis()), fixed.directoryEntries(),
        Math.ceil(fixed.publishMillis()));
  }

  /**
   * The catch-up could not get the estimate under the bound in time, or the switch's other steps alone are above it:
   * what was measured and what to do.
   */
  SQLException outpaced(String step) {
    long estimate = estimateMillis();
    if (fixedTooLong()) {
      return new SQLException(String.format(Locale.ROOT, "reshard stopped before raising the fence (step %s): the "
          + "switch's steps besides the catch-up alone are estimated at %.0f ms (%s), above "
          + "reshard.maxSwitchMillis=%d, in %d rounds. Writes to the moving ranges were not fenced. Raise "
          + "reshard.maxSwitchMillis (writes then wait that long at the switch) and run reshard again (it continues "
          + "from here); reshard --abort undoes it", step,
          Math.ceil(fixed.millis()), parts(), maxSwitchMillis, fixedAbove), SqlStates.LIMIT_EXCEEDED);
    }
    return new SQLException(String.format(Locale.ROOT, "reshard stopped before raising the fence (step %s): "
        + "writers produce changes faster than the catch-up applies them, or nearly as fast (%,.0f changes/s "
        + "written to the sources' change logs, "
        + "%,.0f changes/s applied overall, %,.0f/s while applying; %,d changes left, an estimated %s of switch "
        + "(%s), above "
        + "reshard.maxSwitchMillis=%d, after %d s, reshard.maxCatchUpSeconds=%d). Writes to the moving ranges were "
        + "not fenced. Run reshard again when writes are lower (it continues from here), or raise "
        + "reshard.maxSwitchMillis (writes then wait longer at the switch) or reshard.maxCatchUpSeconds; "
        + "reshard --abort undoes it", step, writtenPerSecond(), overallPerSecond(), appliedPerSecond(),
        Math.max(backlog, 0), estimate == Long.MAX_VALUE ? "unknown time" : estimate + " ms", parts(),
        maxSwitchMillis, (System.nanoTime() - startNanos) / 1_000_000_000L, maxCatchUpMillis / 1000),
        SqlStates.LIMIT_EXCEEDED);
  }
}
