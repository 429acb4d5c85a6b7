package org.collegedb.internal.config;

import java.util.Properties;

/**
 * One shard: its name (its identity: placement depends on names, never on the order shards are listed), its JDBC
 * URL and credentials, and the connection properties passed through to its driver.
 */
public record ShardSpec(String name, String url, String user, String password, Properties properties, String region,
    int priority) {

  /** The properties to connect with: the pass-through ones plus user and password. */
  public Properties connectProperties() {
    Properties p = new Properties();
    p.putAll(properties);
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return p;
  }

  @Override
  public String toString() {
    return name + "(" + url + ")";
  }
}
