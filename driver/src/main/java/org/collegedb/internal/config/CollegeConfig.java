package org.collegedb.internal.config;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.collegedb.SqlStates;

/**
 * The validated, immutable configuration of one sharded database. All validation happens here, once: a setting that
 * is unknown, missing or malformed fails with an {@link SQLException} that names it.
 */
public final class CollegeConfig {
  private static final Pattern SHARD_KEY = Pattern.compile("shards\\.([^.]+)\\.(.+)");
  private static final Pattern TABLE_KEY = Pattern.compile("tables\\.([^.]+)\\.(.+)");
  private static final List<String> SHARD_FIELDS = List.of("url", "user", "password", "region", "priority",
      "maxConnections", "drain");
  private static final List<String> TABLE_FIELDS = List.of("key", "broadcast", "lookup", "ranges");
  /** Top-level settings and what they are. */
  private static final Map<String, String> GLOBAL_KEYS = new LinkedHashMap<>();

  static {
    GLOBAL_KEYS.put("user", "default user for shards that name none");
    GLOBAL_KEYS.put("password", "default password for shards that name none");
    GLOBAL_KEYS.put("planCacheSize", "number of analysed statements kept (default 10000)");
    GLOBAL_KEYS.put("fanoutThreads", "threads running statements on several shards at once (default: shards)");
    GLOBAL_KEYS.put("unparsedReads", "'refuse' (default) or 'all-shards': what to do with a read CollegeDB cannot "
        + "parse");
    GLOBAL_KEYS.put("productName", "the database product name reported to tools (default: the shards')");
    GLOBAL_KEYS.put("shardHint", "shard(<name>,...) or all_shards: every statement of the connection runs on exactly "
        + "these shards, unchanged and unmerged (an operator's setting)");
    GLOBAL_KEYS.put("crossShardQueries", "'allow' (default) or 'pushdown-only': whether a SELECT that cannot run "
        + "shard by shard takes the distributed path or is refused (0A000)");
    GLOBAL_KEYS.put("crossShardMaxRows", "rows a query on the distributed path may fetch from the shards "
        + "(default 1000000)");
    GLOBAL_KEYS.put("crossShardMemoryMB", "MiB of fetched rows a distributed query keeps in memory before its scratch "
        + "database spills to a temporary file (H2, SQLite; default 64)");
    DirectorySpec.describe(GLOBAL_KEYS);
    FailureSpec.describe(GLOBAL_KEYS);
    ReshardSpec.describe(GLOBAL_KEYS);
  }

  private final Map<String, String> settings;
  private final List<ShardSpec> shards;
  private final Map<String, TableSpec> tables;
  private final int planCacheSize;
  private final int fanoutThreads;
  private final boolean unparsedReadsToAllShards;
  private final String productName;
  private final org.collegedb.parse.ShardHint shardHint;
  private final DirectorySpec directory;
  private final FailureSpec failures;
  private final ReshardSpec reshard;
  private final boolean crossShardQueries;
  private final long crossShardMaxRows;
  private final int crossShardMemoryMB;

  private CollegeConfig(Map<String, String> settings) throws SQLException {
    this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
    Map<String, Map<String, String>> shardFields = new TreeMap<>();
    Map<String, Map<String, String>> tableFields = new TreeMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      Matcher m;
      if ((m = SHARD_KEY.matcher(key)).matches()) {
        String field = m.group(2);
        if (!SHARD_FIELDS.contains(field) && !field.startsWith("properties.")) {
          throw bad("unknown configuration key '" + key + "': a shard takes " + SHARD_FIELDS
              + " and properties.<name>");
        }
        shardFields.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(field, e.getValue());
      } else if ((m = TABLE_KEY.matcher(key)).matches()) {
        String field = m.group(2);
        if (!TABLE_FIELDS.contains(field)) {
          throw bad("unknown configuration key '" + key + "': a table takes " + TABLE_FIELDS);
        }
        tableFields.computeIfAbsent(m.group(1).toLowerCase(Locale.ROOT), k -> new TreeMap<>())
            .put(field, e.getValue());
      } else if (!GLOBAL_KEYS.containsKey(key)) {
        throw bad("unknown configuration key '" + key + "'. Known keys: shards.<name>." + SHARD_FIELDS
            + ", tables.<table>." + TABLE_FIELDS + ", " + GLOBAL_KEYS.keySet());
      }
    }
    if (shardFields.isEmpty()) {
      throw bad("no shards configured: add at least one 'shards.<name>.url'");
    }
    List<ShardSpec> shardList = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : shardFields.entrySet()) {
      shardList.add(shard(e.getKey(), e.getValue(), settings));
    }
    this.shards = List.copyOf(shardList); // sorted by name: the TreeMap above
    Map<String, TableSpec> tableMap = new TreeMap<>();
    for (Map.Entry<String, Map<String, String>> e : tableFields.entrySet()) {
      tableMap.put(e.getKey(), table(e.getKey(), e.getValue()));
    }
    this.tables = Collections.unmodifiableMap(tableMap);
    this.planCacheSize = intSetting("planCacheSize", 10_000, 0);
    this.fanoutThreads = intSetting("fanoutThreads", shards.size(), 1);
    String unparsed = settings.getOrDefault("unparsedReads", "refuse");
    if (!unparsed.equals("refuse") && !unparsed.equals("all-shards")) {
      throw bad("configuration key 'unparsedReads' must be 'refuse' or 'all-shards', not '" + unparsed + "'");
    }
    this.unparsedReadsToAllShards = unparsed.equals("all-shards");
    this.productName = settings.get("productName");
    this.shardHint = shardHint(settings.get("shardHint"), shardList);
    String cross = settings.getOrDefault("crossShardQueries", "allow").trim();
    if (!cross.equals("allow") && !cross.equals("pushdown-only")) {
      throw bad("configuration key 'crossShardQueries' must be 'allow' or 'pushdown-only', not '" + cross + "'");
    }
    this.crossShardQueries = cross.equals("allow");
    this.crossShardMaxRows = intSetting("crossShardMaxRows", 1_000_000, 1);
    this.crossShardMemoryMB = intSetting("crossShardMemoryMB", 64, 1);
    this.directory = DirectorySpec.of(settings, shards, tables);
    this.failures = FailureSpec.of(settings, shards, shardFields);
    this.reshard = ReshardSpec.of(settings);
  }

  /** Validates {@code settings}, as {@link ConfigLoader#load} returns them. */
  public static CollegeConfig of(Map<String, String> settings) throws SQLException {
    return new CollegeConfig(settings);
  }

  private static ShardSpec shard(String name, Map<String, String> fields, Map<String, String> all)
      throws SQLException {
    String url = fields.get("url");
    if (url == null || url.isBlank()) {
      throw bad("shard '" + name + "' has no URL: set 'shards." + name + ".url'");
    }
    if (url.startsWith(ConfigLoader.PREFIX)) {
      throw bad("shard '" + name + "' points at CollegeDB itself ('" + url + "'): shards must be plain databases");
    }
    Properties extra = new Properties();
    for (Map.Entry<String, String> f : fields.entrySet()) {
      if (f.getKey().startsWith("properties.")) {
        extra.setProperty(f.getKey().substring("properties.".length()), f.getValue());
      }
    }
    int priority = 0;
    if (fields.containsKey("priority")) {
      try {
        priority = Integer.parseInt(fields.get("priority").trim());
      } catch (NumberFormatException e) {
        throw bad("'shards." + name + ".priority' must be an integer, not '" + fields.get("priority") + "'");
      }
    }
    String user = fields.containsKey("user") ? fields.get("user") : all.get("user");
    String password = fields.containsKey("password") ? fields.get("password") : all.get("password");
    return new ShardSpec(name, url.trim(), user, password, extra, fields.get("region"), priority);
  }

  private static TableSpec table(String name, Map<String, String> fields) throws SQLException {
    List<String> key = fields.containsKey("key") ? split(fields.get("key")) : List.of();
    boolean broadcast = bool("tables." + name + ".broadcast", fields.getOrDefault("broadcast", "false"));
    if (broadcast && !key.isEmpty()) {
      throw bad("table '" + name + "' has both 'tables." + name + ".key' and 'tables." + name
          + ".broadcast=true': a broadcast table is whole on every shard and has no shard key");
    }
    if (fields.containsKey("key") && key.isEmpty()) {
      throw bad("'tables." + name + ".key' is empty: name the shard-key column(s)");
    }
    List<String> lookup = fields.containsKey("lookup")
        ? split(fields.get("lookup")).stream().map(c -> c.toLowerCase(Locale.ROOT)).toList() : List.of();
    if (fields.containsKey("lookup") && lookup.isEmpty()) {
      throw bad("'tables." + name + ".lookup' is empty: name the lookup column(s)");
    }
    if (broadcast && !lookup.isEmpty()) {
      throw bad("table '" + name + "' is a broadcast table: it is whole on every shard and needs no "
          + "'tables." + name + ".lookup'");
    }
    if (lookup.stream().distinct().count() != lookup.size()) {
      throw bad("'tables." + name + ".lookup' names a column twice: " + lookup);
    }
    return new TableSpec(name, key, broadcast, lookup, fields.get("ranges"));
  }

  private static List<String> split(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static boolean bool(String key, String value) throws SQLException {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw bad("'" + key + "' must be true or false, not '" + value + "'");
    };
  }

  private int intSetting(String key, int fallback, int min) throws SQLException {
    String v = settings.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min) {
        throw bad("'" + key + "' must be at least " + min + ", not " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw bad("'" + key + "' must be an integer, not '" + v + "'");
    }
  }

  static List<String> splitList(String value) {
    return split(value);
  }

  static boolean boolSetting(String key, String value) throws SQLException {
    return bool(key, value);
  }

  static SQLException bad(String message) {
    return new SQLException(message, SqlStates.BAD_CONFIG);
  }

  /** A whole-number setting between {@code min} and {@code max}, or {@code fallback} when it is not set. */
  static long number(Map<String, String> settings, String key, long fallback, long min, long max)
      throws SQLException {
    String v = settings.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < min || n > max) {
        throw bad("'" + key + "' must be between " + min + " and " + max + ", not " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw bad("'" + key + "' must be a whole number, not '" + v + "'");
    }
  }

  /** The shards, sorted by name. */
  public List<ShardSpec> shards() {
    return shards;
  }

  /**
   * The shards marked {@code shards.<name>.drain=true}: the reshard command hands all their keys to the others
   * (then they can be deleted from the configuration).
   */
  public java.util.Set<String> drainedShards() throws SQLException {
    java.util.Set<String> drained = new java.util.TreeSet<>();
    for (ShardSpec s : shards) {
      String v = settings.get("shards." + s.name() + ".drain");
      if (v != null && bool("shards." + s.name() + ".drain", v)) {
        drained.add(s.name());
      }
    }
    return drained;
  }

  /** The configured tables, by lower-case name. */
  public Map<String, TableSpec> tables() {
    return tables;
  }

  /**
   * What the configuration says about {@code table}. When it says nothing: a broadcast table for the tools' own tables
   * ({@link ToolTables}), else an unconfigured spec.
   */
  public TableSpec table(String table) {
    String name = table.toLowerCase(Locale.ROOT);
    TableSpec spec = tables.get(name);
    if (spec != null) {
      return spec;
    }
    return ToolTables.isToolTable(name) ? new TableSpec(name, List.of(), true) : TableSpec.unconfigured(name);
  }

  public int planCacheSize() {
    return planCacheSize;
  }

  public int fanoutThreads() {
    return fanoutThreads;
  }

  public boolean unparsedReadsToAllShards() {
    return unparsedReadsToAllShards;
  }

  /** The shard hint every statement of a connection runs with ({@code shardHint}), or null. */
  public org.collegedb.parse.ShardHint shardHint() {
    return shardHint;
  }

  private static org.collegedb.parse.ShardHint shardHint(String value, List<ShardSpec> shards) throws SQLException {
    if (value == null || value.isBlank()) {
      return null;
    }
    org.collegedb.parse.ShardHint hint;
    try {
      hint = org.collegedb.parse.ShardHint.parse(value);
    } catch (org.collegedb.parse.SqlSyntaxException e) {
      throw bad("configuration key 'shardHint': " + e.getMessage());
    }
    for (String name : hint.shards()) {
      if (shards.stream().noneMatch(s -> s.name().equalsIgnoreCase(name))) {
        throw bad("configuration key 'shardHint' names the shard '" + name + "', which is not configured");
      }
    }
    return hint;
  }

  /**
   * Whether a SELECT whose rows span shards and that cannot run shard by shard takes the distributed path
   * ({@code crossShardQueries=allow}, the default) rather than being refused ({@code pushdown-only}).
   */
  public boolean crossShardQueries() {
    return crossShardQueries;
  }

  /** At most this many rows are fetched from the shards for one query on the distributed path. */
  public long crossShardMaxRows() {
    return crossShardMaxRows;
  }

  /** MiB of fetched rows a distributed query's scratch database keeps in memory before it spills to a file. */
  public int crossShardMemoryMB() {
    return crossShardMemoryMB;
  }

  /** The product name to report instead of the shards', or null. */
  public String productName() {
    return productName;
  }

  /** The directory (lookup table), placement strategy and shard size limit. */
  public DirectorySpec directory() {
    return directory;
  }

  /** Shard connection caps, the commit protocol across shards, in-doubt recovery. */
  public FailureSpec failures() {
    return failures;
  }

  /** How the online reshard bounds the time writes wait at the switch. */
  public ReshardSpec reshard() {
    return reshard;
  }

  /** All settings, sorted: two equal configurations share one runtime. */
  public Map<String, String> settings() {
    return settings;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollegeConfig c && c.settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return settings.hashCode();
  }
}
