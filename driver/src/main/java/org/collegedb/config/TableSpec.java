package org.collegedb.config;

import java.util.List;

/**
 * What the configuration says about one table. {@code key} empty means "the primary key as the shards report it".
 */
public record TableSpec(String name, List<String> key, boolean broadcast) {
  public static TableSpec unconfigured(String name) {
    return new TableSpec(name, List.of(), false);
  }
}
