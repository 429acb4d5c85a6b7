package org.collegedb.capture;

import java.util.Map;

/**
 * One committed change of one row, as the change log of a database holds it.
 *
 * <p>Column names are in lower case. Values are decoded from the log's JSON with the column types recorded when
 * capture was installed: integers as {@code Long} (or {@code BigInteger} beyond 64 bits), {@code DECIMAL}/{@code
 * NUMERIC} as {@code BigDecimal}, floating point as {@code Double}, booleans as {@code Boolean}, text as {@code
 * String}, {@code DATE}/{@code TIME}/{@code TIMESTAMP} as {@code LocalDate}/{@code LocalTime}/{@code
 * LocalDateTime} ({@code OffsetDateTime} with a time zone), binary as {@code byte[]}; a value the type does not
 * explain (SQLite keeps any value in any column) is given as the JSON had it. SQL NULL is {@code null}.
 *
 * @param shard     the shard's name when read through {@link ChangeStream}; null when read from a database directly
 * @param position  the change's position in its database's log: strictly increasing, in commit order for each key
 * @param table     the table, lower case
 * @param operation what happened to the row. An UPDATE that changes the primary key is logged as a DELETE of the
 *                  old key followed by an INSERT of the new one, so that {@code key} always names one row.
 * @param key       the primary-key columns and their values (before a DELETE, after an INSERT or UPDATE)
 * @param before    the whole row before the change (UPDATE, DELETE); null for an INSERT
 * @param after     the whole row after the change (INSERT, UPDATE); null for a DELETE
 */
public record Change(String shard, long position, String table, Operation operation, Map<String, Object> key,
    Map<String, Object> before, Map<String, Object> after) {

  /** What happened to the row. */
  public enum Operation {
    INSERT, UPDATE, DELETE;

    static Operation of(String code) {
      return switch (code.trim()) {
        case "I" -> INSERT;
        case "U" -> UPDATE;
        case "D" -> DELETE;
        default -> throw new IllegalArgumentException("unknown operation code '" + code + "' in the change log");
      };
    }
  }

  /** The row as it is after the change, or as it was before a DELETE. */
  public Map<String, Object> row() {
    return after != null ? after : before;
  }

  Change onShard(String name) {
    return new Change(name, position, table, operation, key, before, after);
  }
}
