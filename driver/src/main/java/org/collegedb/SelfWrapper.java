package org.collegedb;

import java.sql.SQLException;
import java.sql.Wrapper;

/** A JDBC {@link Wrapper} that unwraps only to itself (its own classes and interfaces). */
public interface SelfWrapper extends Wrapper {
  @Override
  default <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName(), SqlStates.GENERAL);
  }

  @Override
  default boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
