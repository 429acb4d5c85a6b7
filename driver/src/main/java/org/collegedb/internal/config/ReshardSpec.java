package org.collegedb.internal.config;

import java.sql.SQLException;
import java.util.Map;

/**
 * How the online reshard ({@code internal.reshard.Reshard}) bounds the time writes wait at the switch.
 *
 * @param maxSwitchMillis     the fence is raised only when the switch (fence raise, final catch-up, directory switch,
 *                            map publication), estimated from measurements made before the fence, should take at
 *                            most this long
 *                            ({@code reshard.maxSwitchMillis}, default 1000)
 * @param maxCatchUpMillis    how long the unfenced catch-up may try to get there before the reshard stops, resumable
 *                            ({@code reshard.maxCatchUpSeconds}, default 300)
 */
public record ReshardSpec(long maxSwitchMillis, long maxCatchUpMillis) {
  static void describe(Map<String, String> keys) {
    keys.put("reshard.maxSwitchMillis", "reshard: the fence on moving ranges is raised only when the switch (fence "
        + "raise, final catch-up, directory switch, map publication) is estimated to take at most this many "
        + "milliseconds (default 1000)");
    keys.put("reshard.maxCatchUpSeconds", "reshard: seconds the catch-up may take to get below "
        + "reshard.maxSwitchMillis before the reshard stops, resumable (default 300)");
  }

  static ReshardSpec of(Map<String, String> settings) throws SQLException {
    return new ReshardSpec(CollegeConfig.number(settings, "reshard.maxSwitchMillis", 1000, 1, Integer.MAX_VALUE),
        CollegeConfig.number(settings, "reshard.maxCatchUpSeconds", 300, 1, Integer.MAX_VALUE) * 1000);
  }
}
