package org.collegedb.migrate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One long operation as {@code collegedb_operations} keeps it: its id ({@code split:<source>}, ...), kind, state
 * ({@code running}, {@code ready}, {@code done}, {@code aborted}), current step and detail (JSON: per-table
 * progress, capture positions, the tables it created).
 */
public final class Operation {
  private final String id;
  private final String kind;
  private String state;
  private String step;
  private final Map<String, Object> detail;
  private long updatedAt;

  Operation(String id, String kind, String state, String step, Map<String, Object> detail, long updatedAt) {
    this.id = id;
    this.kind = kind;
    this.state = state;
    this.step = step;
    this.detail = detail;
    this.updatedAt = updatedAt;
  }

  public String id() {
    return id;
  }

  public String kind() {
    return kind;
  }

  public String state() {
    return state;
  }

  public String step() {
    return step;
  }

  public Map<String, Object> detail() {
    return detail;
  }

  public long updatedAt() {
    return updatedAt;
  }

  void state(String state) {
    this.state = state;
  }

  void step(String step) {
    this.step = step;
  }

  void touch() {
    updatedAt = System.currentTimeMillis();
  }

  /** The detail's map under {@code name}, created empty if absent. */
  @SuppressWarnings("unchecked")
  Map<String, Object> section(String name) {
    return (Map<String, Object>) detail.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
  }

  /** Rows copied so far and rows to copy (as counted before the copy), summed over the tables; -1 if unknown. */
  @SuppressWarnings("unchecked")
  public long[] progress() {
    long copied = 0;
    long total = 0;
    Object tables = detail.get("copy");
    if (!(tables instanceof Map<?, ?> m)) {
      return new long[] {0, -1};
    }
    for (Object v : m.values()) {
      if (v instanceof Map<?, ?> t) {
        copied += t.get("copied") instanceof Number n ? n.longValue() : 0;
        total += t.get("total") instanceof Number n ? n.longValue() : 0;
      }
    }
    return new long[] {copied, total};
  }

  /** A one-line description for status: {@code split:jdbc:... running step copy, 1,200 of 5,000 rows copied}. */
  public String describe() {
    long[] p = progress();
    String rows = p[1] < 0 ? "" : String.format(java.util.Locale.ROOT, ", %,d of %,d rows copied", p[0], p[1]);
    String catchUp = "";
    if (detail.get("catchUp") instanceof Map<?, ?> c && "catchup".equals(step)) { // a reshard's catch-up
      catchUp = String.format(java.util.Locale.ROOT, ", %s changes left, %s changes/s applied, %s written, switch "
          + "estimated at %s ms (at most %s): fence raise %s + fenced catch-up %s + directory switch %s + map "
          + "publication %s", c.get("backlog"), c.get("appliedPerSecond"), c.get("writtenPerSecond"),
          c.get("switchEstimateMillis"), c.get("maxSwitchMillis"), c.get("raiseEstimateMillis"),
          c.get("catchUpEstimateMillis"), c.get("directoryEstimateMillis"), c.get("publishEstimateMillis"));
    }
    String switched = switchSummary(detail);
    return id + " " + state + " (step " + step + rows + catchUp + (switched.isEmpty() ? ""
        : ", writes to moving ranges fenced for " + detail.get("switchMillis") + " ms: " + switched) + ")";
  }

  /**
   * The parts of a reshard's switch as its detail records them: {@code fence raise 3 ms, final catch-up 20 ms,
   * directory switch 0 ms, map publication 12 ms; estimated 41 ms: 4 + 22 + 0 + 15} (the estimate the fence waited
   * for, its parts in the same order); "" before the switch (or for other operations).
   */
  public static String switchSummary(Map<String, Object> detail) {
    if (!(detail.get("switch") instanceof Map<?, ?> p)) {
      return "";
    }
    String measured = "fence raise " + p.get("raiseMillis")
        + " ms, final catch-up " + p.get("catchUpMillis") + " ms, directory switch " + p.get("directoryMillis")
        + " ms, map publication " + p.get("publishMillis") + " ms";
    if (detail.get("catchUp") instanceof Map<?, ?> m && m.get("switchEstimateMillis") instanceof Number n
        && n.longValue() >= 0 && m.get("raiseEstimateMillis") != null) {
      return measured + "; estimated " + n + " ms: " + m.get("raiseEstimateMillis") + " + "
          + m.get("catchUpEstimateMillis") + " + " + m.get("directoryEstimateMillis") + " + "
          + m.get("publishEstimateMillis");
    }
    return measured;
  }

  static List<Object> list(Object o) {
    return o instanceof List<?> l ? new java.util.ArrayList<>(l) : new java.util.ArrayList<>();
  }
}
