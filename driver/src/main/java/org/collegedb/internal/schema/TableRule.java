package org.collegedb.internal.schema;

import java.util.List;
import java.util.Locale;
import org.collegedb.internal.value.KeyType;

/**
 * How one table is spread over the shards, with what routing needs to know of its columns. Immutable.
 *
 * @param name        the table's name, lower case
 * @param placement   sharded by key, copied whole to every shard, or neither
 * @param keyColumns  the shard-key columns, lower case, in hashing order (empty unless sharded)
 * @param keyTypes    the type of each key column
 * @param columns     every column of the table in declaration order, lower case (empty when the table is unknown)
 * @param generated   the columns the database generates values for (identity, serial, auto-increment), lower case
 * @param exists      whether the shards have the table
 * @param columnTypes the key type of every column, by lower-case name
 * @param lookup      the lookup (secondary key) columns the directory keeps entries for, lower case
 * @param required    the columns that cannot hold NULL (primary key or NOT NULL), lower case
 */
public record TableRule(String name, Placement placement, List<String> keyColumns, KeyType[] keyTypes,
    List<String> columns, List<String> generated, boolean exists, java.util.Map<String, KeyType> columnTypes,
    List<String> lookup, List<String> required) {

  public TableRule(String name, Placement placement, List<String> keyColumns, KeyType[] keyTypes,
      List<String> columns, List<String> generated, boolean exists, java.util.Map<String, KeyType> columnTypes,
      List<String> lookup) {
    this(name, placement, keyColumns, keyTypes, columns, generated, exists, columnTypes, lookup, List.of());
  }

  public TableRule(String name, Placement placement, List<String> keyColumns, KeyType[] keyTypes,
      List<String> columns, List<String> generated, boolean exists) {
    this(name, placement, keyColumns, keyTypes, columns, generated, exists, java.util.Map.of(), List.of());
  }

  /** The key type of a column ({@link KeyType#OTHER} when unknown). */
  public KeyType typeOf(String column) {
    return columnTypes.getOrDefault(column.toLowerCase(Locale.ROOT), KeyType.OTHER);
  }

  /** The single key column, when the database generates its values; else null. */
  public String generatedKey() {
    return sharded() && keyColumns.size() == 1 && generated.contains(keyColumns.get(0)) ? keyColumns.get(0) : null;
  }

  public enum Placement {
    /** Rows are spread by the hash of the key. */
    SHARDED,
    /** The whole table is on every shard: writes go to all, reads to one. */
    BROADCAST,
    /** No key is known: reads go to every shard, writes are refused. */
    UNKEYED
  }

  public boolean sharded() {
    return placement == Placement.SHARDED;
  }

  public boolean broadcast() {
    return placement == Placement.BROADCAST;
  }

  /** The position of {@code column} among the key columns, or -1. */
  public int keyIndex(String column) {
    int i = keyColumns.indexOf(column); // lower case as written: no copy
    return i >= 0 ? i : keyColumns.indexOf(column.toLowerCase(Locale.ROOT));
  }
}
