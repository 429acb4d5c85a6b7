package org.collegedb.admin;

import java.util.Map;

/**
 * A record found by one of its keys: the shard holding it, its shard-key values and its lookup-key values, by
 * column, as read from its row (directory entries are hashed and cannot be read back).
 */
public record LookupRecord(String shard, Map<String, Object> key, Map<String, Object> lookups) {
}
