package org.collegedb.internal.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.internal.execute.ShardConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The size of each shard in bytes, read the backend's way and reused for {@code sizeCheckInterval} (only placing a
 * new key reads it, and at most that often): SQLite {@code page_count * page_size}; H2 the size of its database
 * file ({@code DISK_SPACE_USED} of its tables when in memory); PostgreSQL {@code pg_database_size}; MariaDB and
 * MySQL the data and index length of the database's tables. A size that cannot be read counts as 0.
 */
public final class ShardSizes {
  private static final Logger LOG = LoggerFactory.getLogger(ShardSizes.class);
  private final Cache<Integer, Long> sizes;
  private final long limit;

  ShardSizes(long limit, long reuseMillis) {
    this.limit = limit;
    this.sizes = Caffeine.newBuilder().expireAfterWrite(Duration.ofMillis(reuseMillis)).build();
  }

  /** The shards that may take new keys, by index, in name order: those under the limit, or all if none is. */
  List<Integer> eligible(ShardConnections shards) {
    List<Integer> all = new ArrayList<>();
    List<Integer> under = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      all.add(i);
      if (limit <= 0 || size(shards, i) < limit) {
        under.add(i);
      }
    }
    return under.isEmpty() ? all : under;
  }

  long size(ShardConnections shards, int shard) {
    return sizes.get(shard, s -> read(shards, s));
  }

  private static long read(ShardConnections shards, int shard) {
    try {
      Long bytes = bytes(shards.spec(shard).url(), shards.raw(shard));
      if (bytes == null) {
        LOG.warn("CollegeDB: cannot read the size of shard '{}' ({}): maxShardSize does not apply to it",
            shards.name(shard), shards.spec(shard).url());
        return 0;
      }
      return bytes;
    } catch (SQLException | java.io.IOException | RuntimeException e) {
      LOG.warn("CollegeDB: cannot read the size of shard '{}': {}; it counts as empty", shards.name(shard),
          e.getMessage());
      return 0;
    }
  }

  /** A database's size in bytes read the backend's way, or null when CollegeDB does not know how for its URL. */
  public static Long bytes(String jdbcUrl, Connection c) throws SQLException, java.io.IOException {
    String url = jdbcUrl.toLowerCase(java.util.Locale.ROOT);
    if (url.startsWith("jdbc:counting:")) { // the tests' counting wrapper
      url = url.substring("jdbc:counting:".length());
    }
    if (url.startsWith("jdbc:sqlite:")) {
      return single(c, "PRAGMA page_count") * single(c, "PRAGMA page_size");
    }
    if (url.startsWith("jdbc:h2:")) {
      String path;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE_PATH()")) {
        rs.next();
        path = rs.getString(1);
      }
      if (path != null && Files.exists(Path.of(path + ".mv.db"))) {
        return Files.size(Path.of(path + ".mv.db"));
      }
      return single(c, "SELECT COALESCE(SUM(DISK_SPACE_USED('\"' || TABLE_SCHEMA || '\".\"' || TABLE_NAME || '\"')), 0)"
          + " FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA <> 'INFORMATION_SCHEMA'");
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return single(c, "SELECT pg_database_size(current_database())");
    }
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      return single(c, "SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables "
          + "WHERE table_schema = DATABASE()");
    }
    return null;
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
