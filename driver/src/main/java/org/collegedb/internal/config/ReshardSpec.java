package org.collegedb.internal.config;

import java.sql.SQLException;
import java.util.Map;

/**
 * How the online reshard ({@code internal.reshard.Reshard}) bounds the time writes wait at the switch.
 *
 * @param maxSwitchMillis     the fence is raised only when the final catch-up, estimated from the measured apply rate
 *                            and the changes left in the logs, should take at most this long
 *                            ({@code reshard.maxSwitchMillis}, default 1000)
 * @param maxCatchUpMillis    how long the unfenced catch-up may try to get there before the reshard stops, resumable
 *                            ({@code reshard.maxCatchUpSeconds}, default 300)
 */
public record ReshardSpec(long maxSwitchMillis, long maxCatchUpMillis) {
  static void describe(Map<String, String> keys) {
    keys.put("reshard.maxSwitchMillis", "reshard: the fence on moving ranges is raised only when the final catch-up "
        + "is estimated to take at most this many milliseconds (default 1000)");
    keys.put("reshard.maxCatchUpSeconds", "reshard: seconds the catch-up may take to get below "
        + "reshard.maxSwitchMillis before the reshard stops, resumable (default 300)");
  }

  static ReshardSpec of(Map<String, String> settings) throws SQLException {
    return new ReshardSpec(positive(settings, "reshard.maxSwitchMillis", 1000),
        positive(settings, "reshard.maxCatchUpSeconds", 300) * 1000);
  }

  private static long positive(Map<String, String> settings, String key, long fallback) throws SQLException {
    String v = settings.get(key);
    if (v == null) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw CollegeConfig.bad("'" + key + "' must be an integer, not '" + v + "'");
    }
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw CollegeConfig.bad("'" + key + "' must be between 1 and " + Integer.MAX_VALUE + ", not " + n);
    }
    return n;
  }
}
