package org.collegedb.internal.config;

import java.util.List;

/**
 * What the configuration says about one table. {@code key} empty means "the primary key as the shards report it".
 * {@code lookup} lists the secondary (lookup) key columns the directory keeps entries for, lower case;
 * {@code ranges} is the raw {@code tables.<table>.ranges} setting or null (parsed by {@link DirectorySpec}).
 */
public record TableSpec(String name, List<String> key, boolean broadcast, List<String> lookup, String ranges) {
  public TableSpec(String name, List<String> key, boolean broadcast) {
    this(name, key, broadcast, List.of(), null);
  }

  public static TableSpec unconfigured(String name) {
    return new TableSpec(name, List.of(), false);
  }
}
