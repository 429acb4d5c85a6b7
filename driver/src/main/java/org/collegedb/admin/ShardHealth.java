package org.collegedb.admin;

/**
 * The health of one shard, as {@link CollegeAdmin#health()} found it.
 *
 * @param shard            the shard's configured name
 * @param reachable        whether a connection opened and a trivial statement ran
 * @param roundTripMicros  the time of one trivial statement ({@code SELECT 1}) on an open connection, in
 *                         microseconds; -1 when unreachable
 * @param connectMillis    the time to open the connection, in milliseconds (the first time in a JVM, it includes
 *                         loading the backend's driver); -1 when unreachable
 * @param bytes            the database's size in bytes, read the backend's way; null when unknown
 * @param rows             the rows of the application's tables, as the backend estimates them without counting
 *                         (PostgreSQL statistics, MariaDB/MySQL and H2 catalogs); null where it cannot tell (SQLite)
 * @param mapVersion       the version of the shard map this shard holds; null when it holds none
 * @param identity         the name the shard records for itself; null when it records none
 * @param error            why it is unhealthy, naming the shard; null when healthy
 */
public record ShardHealth(String shard, boolean reachable, long roundTripMicros, long connectMillis, Long bytes,
    Long rows, Long mapVersion, String identity, String error) {

  /** Reachable, holding a shard map, and recording its own configured name. */
  public boolean healthy() {
    return error == null;
  }
}
