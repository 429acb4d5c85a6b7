package org.collegedb.internal.config;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.collegedb.ShardChooser;

/**
 * The validated settings of the directory (the lookup table: secondary keys, placements, generated-key counters),
 * of where new keys go (the placement strategy) and of the shard size limit. Built by {@link CollegeConfig}.
 *
 * @param url              JDBC URL of the directory database ({@code directory.url}; ConfigLoader supplies the
 *                         embedded default)
 * @param secret           HMAC secret for directory keys, or null for plain SHA-256
 * @param hashKeys         false stores plain canonical values (debugging only)
 * @param cacheSize        entries kept in the in-process cache of directory answers; 0 turns it off
 * @param blockSize        generated key values taken from the directory at a time
 * @param orphanAfterMillis how old an entry whose row is absent must be before another write may take it over
 * @param placesKeys       whether key routing consults the directory (non-hash strategy, size limit, or
 *                         {@code directory.placements=on})
 * @param strategy         the configured strategy
 * @param writeStrategy    the strategy that places new keys ({@code strategy.write} under mixed, else strategy)
 * @param readAll          under mixed with {@code strategy.read=all}: keys without a placement are read everywhere
 * @param chooser          the custom chooser class, or null
 * @param targetRegion     the preferred region of the location strategy, or null
 * @param maxShardSize     bytes at or over which a shard takes no new keys; 0 for no limit
 * @param sizeCheckMillis  how long a shard size reading is reused
 * @param ranges           per table (lower case) the key ranges of the range strategy, sorted
 */
public record DirectorySpec(String url, String user, String password, String secret, boolean hashKeys,
    int cacheSize, int blockSize, long orphanAfterMillis, boolean placesKeys, Strategy strategy,
    Strategy writeStrategy, boolean readAll, Class<? extends ShardChooser> chooser, String targetRegion,
    long maxShardSize, long sizeCheckMillis, Map<String, List<Range>> ranges) {

  /** Where a new key goes. */
  public enum Strategy {
    HASH("hash"), ROUND_ROBIN("round-robin"), RANDOM("random"), LOCATION("location"), MIXED("mixed"),
    RANGE("range"), CUSTOM("custom");

    private final String setting;

    Strategy(String setting) {
      this.setting = setting;
    }

    public String setting() {
      return setting;
    }

    static Strategy parse(String key, String value) throws SQLException {
      for (Strategy s : values()) {
        if (s.setting.equalsIgnoreCase(value.trim())) {
          return s;
        }
      }
      List<String> names = new ArrayList<>();
      for (Strategy s : values()) {
        names.add(s.setting);
      }
      throw CollegeConfig.bad("'" + key + "' must be one of " + names + ", not '" + value + "'");
    }
  }

  /** Keys {@code from} to {@code to}, inclusive, go to {@code shard}. */
  public record Range(long from, long to, String shard) {
  }

  private static final Pattern RANGE = Pattern.compile("\\s*(-?\\d+)\\s*-\\s*(-?\\d+)\\s*:\\s*([^,\\s]+)\\s*");

  static void describe(Map<String, String> keys) {
    keys.put("directory.url", "JDBC URL of the directory database (default: an SQLite file beside the "
        + "configuration)");
    keys.put("directory.user", "user for the directory database");
    keys.put("directory.password", "password for the directory database");
    keys.put("directory.secret", "secret for HMAC-SHA-256 directory keys (default: plain SHA-256)");
    keys.put("directory.hashKeys", "false stores lookup values in clear, for debugging (default true)");
    keys.put("directory.cacheSize", "directory answers cached in process (default 100000; 0: no cache)");
    keys.put("directory.blockSize", "generated key values reserved at a time (default 100)");
    keys.put("directory.orphanAfter", "seconds after which an entry whose row is absent may be taken over "
        + "(default 120)");
    keys.put("directory.placements", "auto (default), on or off: whether key routing consults the directory");
    keys.put("strategy", "where new keys go: hash (default), round-robin, random, location, mixed, range, custom");
    keys.put("strategy.read", "mixed: where keys without a placement are read: hash (default) or all");
    keys.put("strategy.write", "mixed: the strategy that places new keys (default hash)");
    keys.put("strategy.class", "custom: a class implementing org.collegedb.ShardChooser");
    keys.put("targetRegion", "location: the region new keys prefer");
    keys.put("maxShardSize", "bytes at or over which a shard takes no new keys (default: no limit)");
    keys.put("sizeCheckInterval", "seconds a shard size reading is reused (default 5)");
  }

  static DirectorySpec of(Map<String, String> s, List<ShardSpec> shards, Map<String, TableSpec> tables)
      throws SQLException {
    String url = s.get("directory.url");
    if (url != null && url.startsWith(ConfigLoader.PREFIX)) {
      throw CollegeConfig.bad("'directory.url' points at CollegeDB itself: the directory is a plain database");
    }
    boolean hashKeys = CollegeConfig.boolSetting("directory.hashKeys", s.getOrDefault("directory.hashKeys", "true"));
    String secret = s.get("directory.secret");
    if (secret != null && secret.isEmpty()) {
      throw CollegeConfig.bad("'directory.secret' is empty: remove it for plain SHA-256 keys, or set a secret");
    }
    int cacheSize = (int) CollegeConfig.number(s, "directory.cacheSize", 100_000, 0, Integer.MAX_VALUE);
    int blockSize = (int) CollegeConfig.number(s, "directory.blockSize", 100, 1, 1_000_000);
    long orphanAfter = CollegeConfig.number(s, "directory.orphanAfter", 120, 0, Integer.MAX_VALUE) * 1000;
    Strategy strategy = Strategy.parse("strategy", s.getOrDefault("strategy", "hash"));
    Strategy write = strategy;
    boolean readAll = false;
    if (strategy == Strategy.MIXED) {
      write = Strategy.parse("strategy.write", s.getOrDefault("strategy.write", "hash"));
      if (write == Strategy.MIXED) {
        throw CollegeConfig.bad("'strategy.write' cannot be mixed: name the strategy that places new keys");
      }
      String read = s.getOrDefault("strategy.read", "hash").trim().toLowerCase(Locale.ROOT);
      if (!read.equals("hash") && !read.equals("all")) {
        throw CollegeConfig.bad("'strategy.read' must be 'hash' or 'all', not '" + read + "': it says where "
            + "keys that were never placed are read; placed keys are read where they were placed");
      }
      readAll = read.equals("all");
    } else if (s.containsKey("strategy.read") || s.containsKey("strategy.write")) {
      throw CollegeConfig.bad("'strategy.read' and 'strategy.write' need 'strategy=mixed'");
    }
    Class<? extends ShardChooser> chooser = null;
    if (write == Strategy.CUSTOM) {
      chooser = chooserClass(s.get("strategy.class"));
    } else if (s.containsKey("strategy.class")) {
      throw CollegeConfig.bad("'strategy.class' needs 'strategy=custom' (or strategy.write=custom)");
    }
    List<String> names = shards.stream().map(ShardSpec::name).toList();
    Map<String, List<Range>> ranges = new TreeMap<>();
    for (TableSpec t : tables.values()) {
      if (t.ranges() == null) {
        continue;
      }
      if (write != Strategy.RANGE) {
        throw CollegeConfig.bad("'tables." + t.name() + ".ranges' needs 'strategy=range' (or strategy.write=range)");
      }
      ranges.put(t.name(), ranges(t.name(), t.ranges(), names));
    }
    long maxSize = CollegeConfig.number(s, "maxShardSize", 0, 1, Long.MAX_VALUE);
    long sizeCheck = CollegeConfig.number(s, "sizeCheckInterval", 5, 1, 86_400) * 1000;
    String placements = s.getOrDefault("directory.placements", "auto").trim().toLowerCase(Locale.ROOT);
    boolean places = switch (placements) {
      case "auto" -> write != Strategy.HASH || maxSize > 0;
      case "on", "true" -> true; // YAML reads an unquoted on/off as true/false
      case "off", "false" -> {
        if (write != Strategy.HASH || maxSize > 0) {
          throw CollegeConfig.bad("'directory.placements=off' contradicts 'strategy=" + strategy.setting()
              + (maxSize > 0 ? "' and 'maxShardSize'" : "'") + ": those place keys in the directory");
        }
        yield false;
      }
      default -> throw CollegeConfig.bad("'directory.placements' must be auto, on or off, not '" + placements + "'");
    };
    String region = s.get("targetRegion");
    return new DirectorySpec(url, s.get("directory.user"), s.get("directory.password"), secret, hashKeys, cacheSize,
        blockSize, orphanAfter, places, strategy, write, readAll, chooser, region == null ? null : region.trim(),
        maxSize, sizeCheck, ranges);
  }

  private static Class<? extends ShardChooser> chooserClass(String name) throws SQLException {
    if (name == null || name.isBlank()) {
      throw CollegeConfig.bad("'strategy=custom' needs 'strategy.class=<a class implementing "
          + ShardChooser.class.getName() + ">'");
    }
    Class<?> c = null;
    for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
        DirectorySpec.class.getClassLoader()}) {
      if (loader == null) {
        continue;
      }
      try {
        c = Class.forName(name.trim(), false, loader);
        break;
      } catch (ClassNotFoundException e) {
        // try the next loader
      }
    }
    if (c == null) {
      throw CollegeConfig.bad("'strategy.class': class '" + name + "' is not on the class path");
    }
    if (!ShardChooser.class.isAssignableFrom(c)) {
      throw CollegeConfig.bad("'strategy.class': " + name + " does not implement " + ShardChooser.class.getName());
    }
    try {
      c.getConstructor();
    } catch (NoSuchMethodException e) {
      throw CollegeConfig.bad("'strategy.class': " + name + " has no public no-argument constructor");
    }
    return c.asSubclass(ShardChooser.class);
  }

  private static List<Range> ranges(String table, String value, List<String> shards) throws SQLException {
    String key = "tables." + table + ".ranges";
    List<Range> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      Matcher m = RANGE.matcher(part);
      if (!m.matches()) {
        throw CollegeConfig.bad("'" + key + "': '" + part.trim() + "' is not <from>-<to>:<shard>, e.g. "
            + "0-9999:s1,10000-19999:s2");
      }
      long from;
      long to;
      try {
        from = Long.parseLong(m.group(1));
        to = Long.parseLong(m.group(2));
      } catch (NumberFormatException e) {
        throw CollegeConfig.bad("'" + key + "': '" + part.trim() + "' has a bound out of the 64-bit range");
      }
      if (from > to) {
        throw CollegeConfig.bad("'" + key + "': range " + part.trim() + " is empty (from > to)");
      }
      if (!shards.contains(m.group(3))) {
        throw CollegeConfig.bad("'" + key + "': range " + part.trim() + " names shard '" + m.group(3)
            + "', which is not configured (shards: " + shards + ")");
      }
      out.add(new Range(from, to, m.group(3)));
    }
    if (out.isEmpty()) {
      throw CollegeConfig.bad("'" + key + "' is empty");
    }
    out.sort(Comparator.comparingLong(Range::from));
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).from() <= out.get(i - 1).to()) {
        throw CollegeConfig.bad("'" + key + "': ranges " + out.get(i - 1).from() + "-" + out.get(i - 1).to()
            + " and " + out.get(i).from() + "-" + out.get(i).to() + " overlap");
      }
    }
    return List.copyOf(out);
  }

  /** The range holding {@code key} in {@code table}'s ranges, or null. */
  public Range rangeOf(String table, long key) {
    List<Range> list = ranges.get(table);
    if (list == null) {
      return null;
    }
    for (Range r : list) {
      if (key >= r.from() && key <= r.to()) {
        return r;
      }
    }
    return null;
  }
}
