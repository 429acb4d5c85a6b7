package org.collegedb.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.execute.BackendDrivers;

/**
 * A plain database a migration reads or writes (the source of a split, the target of an unshard, one shard): its
 * name for messages, URL and credentials.
 */
public record Database(String name, String url, String user, String password) {
  public Database {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("a database needs a JDBC URL");
    }
  }

  public static Database of(String url) {
    return new Database("source", url, null, null);
  }

  Product product() throws SQLException {
    return Product.of(url);
  }

  /** A connection of its own, in auto-commit mode. */
  Connection connect() throws SQLException {
    Properties p = new Properties();
    if (Product.of(url) == Product.SQLITE) {
      p.setProperty("busy_timeout", "30000");
    }
    return BackendDrivers.connect(new ShardSpec(name, url, user, password, p, null, 0));
  }

  static Database of(ShardSpec spec) {
    return new Database(spec.name(), spec.url(), spec.user(), spec.password());
  }
}
