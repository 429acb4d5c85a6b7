package org.collegedb.internal.config;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How CollegeDB holds shard connections and commits across shards: the per-shard cap on physical connections, how long
 * to wait at the cap, the commit protocol ({@code transactions}) and how often in-doubt transactions are resolved.
 *
 * @param maxConnections per shard name, the most physical connections all logical connections of this configuration
 *     (in this JVM) hold to it at once; 0 = no cap
 * @param connectionWaitMillis how long opening a shard connection waits at the cap before it fails (53300)
 * @param transactions {@code atomic}, {@code best-effort}, or null when not set (atomic where the backend can prepare)
 * @param recoveryIntervalMillis how often each JVM looks for in-doubt (prepared, undecided) transactions
 * @param partialResults whether a fan-out read in auto-commit mode skips shards it cannot reach (with a warning)
 */
public record FailureSpec(Map<String, Integer> maxConnections, long connectionWaitMillis, Transactions transactions,
    long recoveryIntervalMillis, boolean partialResults) {

  /** The commit protocol across shards. */
  public enum Transactions { ATOMIC, BEST_EFFORT }

  static void describe(Map<String, String> keys) {
    keys.put("maxConnectionsPerShard", "most physical connections to one shard held at once by all logical "
        + "connections of this configuration in this JVM; shards.<name>.maxConnections overrides (default 0: no cap)");
    keys.put("connectionWaitTimeout", "milliseconds to wait for a shard connection at the cap before failing with "
        + "53300 (default 30000)");
    keys.put("transactions", "'atomic' (two-phase commit across shards; the default where the shards' product has "
        + "it) or 'best-effort' (commit shard by shard)");
    keys.put("transactions.recoveryInterval", "seconds between looks for in-doubt transactions (default 10)");
    keys.put("partialResults", "'true' or 'false' (default): whether a read on several shards, in auto-commit mode, "
        + "skips shards it cannot reach and returns the others' rows with an SQLWarning naming them");
  }

  static FailureSpec of(Map<String, String> settings, List<ShardSpec> shards,
      Map<String, Map<String, String>> shardFields) throws SQLException {
    int shared = intOf(settings, "maxConnectionsPerShard", 0, 0);
    Map<String, Integer> max = new HashMap<>();
    for (ShardSpec s : shards) {
      Map<String, String> fields = shardFields.get(s.name());
      max.put(s.name(), fields == null ? shared : intOf(fields, "maxConnections", shared, 0,
          "shards." + s.name() + ".maxConnections"));
    }
    long wait = intOf(settings, "connectionWaitTimeout", 30_000, 0);
    Transactions mode = null;
    String t = settings.get("transactions");
    if (t != null) {
      switch (t.trim().toLowerCase(Locale.ROOT)) {
        case "atomic" -> mode = Transactions.ATOMIC;
        case "best-effort" -> mode = Transactions.BEST_EFFORT;
        default -> throw CollegeConfig.bad("configuration key 'transactions' must be 'atomic' or 'best-effort', not '"
            + t + "'");
      }
    }
    long recovery = intOf(settings, "transactions.recoveryInterval", 10, 1) * 1000L;
    String partial = settings.getOrDefault("partialResults", "false").trim().toLowerCase(Locale.ROOT);
    if (!partial.equals("true") && !partial.equals("false")) {
      throw CollegeConfig.bad("configuration key 'partialResults' must be 'true' or 'false', not '" + partial + "'");
    }
    return new FailureSpec(Map.copyOf(max), wait, mode, recovery, partial.equals("true"));
  }

  /** The cap for shard {@code name}, 0 for none. */
  public int maxConnections(String name) {
    return maxConnections.getOrDefault(name, 0);
  }

  private static int intOf(Map<String, String> m, String key, int fallback, int min) throws SQLException {
    return intOf(m, key, fallback, min, key);
  }

  private static int intOf(Map<String, String> m, String key, int fallback, int min, String shown)
      throws SQLException {
    String v = m.get(key);
    if (v == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw CollegeConfig.bad("'" + shown + "' must be an integer, not '" + v + "'");
    }
    if (n < min) {
      throw CollegeConfig.bad("'" + shown + "' must be at least " + min + ", not " + n);
    }
    return n;
  }
}
