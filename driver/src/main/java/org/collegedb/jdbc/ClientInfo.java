package org.collegedb.jdbc;

import java.util.Properties;

/** A connection's client info properties ({@link java.sql.Connection#setClientInfo}): kept, not sent to shards. */
final class ClientInfo {
  private final Properties properties = new Properties();

  synchronized void set(String name, String value) {
    if (value == null) {
      properties.remove(name);
    } else {
      properties.setProperty(name, value);
    }
  }

  synchronized void set(Properties all) {
    properties.clear();
    if (all != null) {
      properties.putAll(all);
    }
  }

  synchronized String get(String name) {
    return properties.getProperty(name);
  }

  /** A copy. */
  synchronized Properties get() {
    Properties copy = new Properties();
    copy.putAll(properties);
    return copy;
  }
}
