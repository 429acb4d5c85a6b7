package org.collegedb.internal.reshard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The probes of the switch's steps that touch several shards, each measured both ways after every unfenced catch-up
 * round: on every shard at once ({@link PerShard}, the wall time) and one shard after the other (the sum). Which is
 * faster depends on the shards: with commits that wait for a disk or a network round trip, at once; on a busy machine
 * with commits of a fraction of a millisecond, the threads' hand-offs can cost more than they save (on the 2-core test
 * machine, publishing to five SQLite shards took 8 to 9 ms one after the other, 14 to 45 ms at once). The switch runs
 * each step the way whose mean over the rounds was shorter, and the estimate counts that mean.
 */
final class SwitchProbes {
  private double raiseOneByOne;
  private double raiseAtOnce;
  private double publishOneByOne;
  private double publishAtOnce;
  private int rounds;

  /** One round's probes, in milliseconds ({@code raiseAtOnce} infinite where raises must not run at once). */
  void add(double raiseOneByOne, double raiseAtOnce, double publishOneByOne, double publishAtOnce) {
    this.raiseOneByOne += raiseOneByOne;
    this.raiseAtOnce += raiseAtOnce;
    this.publishOneByOne += publishOneByOne;
    this.publishAtOnce += publishAtOnce;
    rounds++;
  }

  /** Whether the fences go up on every source at once (else one after the other). */
  boolean raiseAtOnce() {
    return rounds > 0 && raiseAtOnce < raiseOneByOne;
  }

  /** Whether the motion and the map are written to every shard at once (else one after the other). */
  boolean publishAtOnce() {
    return rounds > 0 && publishAtOnce < publishOneByOne;
  }

  /** The raise's estimate: the mean of the faster way. */
  double raiseMillis() {
    return rounds == 0 ? 0 : Math.min(raiseOneByOne, raiseAtOnce) / rounds;
  }

  /** The publication's estimate: the mean of the faster way, twice (the motion, then the map). */
  double publishMillis() {
    return rounds == 0 ? 0 : 2 * Math.min(publishOneByOne, publishAtOnce) / rounds;
  }

  /** For the operation's detail: the ways chosen and the means of both. */
  Map<String, Object> report() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("raiseAtOnce", raiseAtOnce());
    out.put("publishAtOnce", publishAtOnce());
    out.put("probeRounds", rounds);
    out.put("raiseProbeMillis", rounds == 0 ? "" : String.format(java.util.Locale.ROOT, "%.1f one by one, %s at once",
        raiseOneByOne / rounds, Double.isInfinite(raiseAtOnce) ? "not" : String.format(java.util.Locale.ROOT, "%.1f",
            raiseAtOnce / rounds)));
    out.put("publishProbeMillis", rounds == 0 ? "" : String.format(java.util.Locale.ROOT, "%.1f one by one, %.1f at "
        + "once", publishOneByOne / rounds, publishAtOnce / rounds));
    return out;
  }
}
