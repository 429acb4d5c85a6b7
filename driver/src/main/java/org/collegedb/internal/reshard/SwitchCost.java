package org.collegedb.internal.reshard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The steps of the switch besides the final catch-up, as measured before the fence ({@code Reshard.measureSwitch}):
 * raising the sources' fences (a write of each source's version row, the same lock and commit as the raise),
 * re-pointing the directory (the entries the scan found, at the rate a same-value re-point of a sample of them took,
 * plus the two saves of the operation), and publishing (the ranges in motion rewritten on every shard, counted twice:
 * the motion, then the map); the raise and the publication the faster way, at once or one shard after the other
 * ({@link SwitchProbes}). Added to the catch-up's estimate in {@link CatchUpPace}, so that {@code
 * reshard.maxSwitchMillis} bounds the whole switch.
 *
 * @param raiseMillis      the fence raise
 * @param directoryMillis  the directory switch (0 before the directory scan, or when nothing is re-pointed)
 * @param directoryEntries the moved rows whose entries the switch re-points (as known when measured)
 * @param publishMillis    writing the ranges in motion and the map to every shard
 */
record SwitchCost(double raiseMillis, double directoryMillis, long directoryEntries, double publishMillis) {
  static final SwitchCost NONE = new SwitchCost(0, 0, 0, 0);

  double millis() {
    return raiseMillis + directoryMillis + publishMillis;
  }

  /** For the operation's detail: the parts, in whole milliseconds (rounded up). */
  Map<String, Object> report() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("raiseEstimateMillis", (long) Math.ceil(raiseMillis));
    out.put("directoryEstimateMillis", (long) Math.ceil(directoryMillis));
    out.put("directoryEntries", directoryEntries);
    out.put("publishEstimateMillis", (long) Math.ceil(publishMillis));
    return out;
  }
}
