package org.collegedb.internal.execute;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.ShardSpec;

/**
 * Opens connections to shards. Drivers are found with {@link ServiceLoader} in CollegeDB's own class loader first, so
 * that tools which load CollegeDB's jars in a class loader of their own (DBeaver, IntelliJ, benchmark harnesses) still
 * find the backend drivers beside it; {@link DriverManager} is the fallback.
 */
public final class BackendDrivers {
  private static volatile List<Driver> loaded;

  private BackendDrivers() {
  }

  private static List<Driver> drivers() {
    List<Driver> d = loaded;
    if (d == null) {
      List<Driver> found = new ArrayList<>();
      for (ClassLoader loader : new ClassLoader[] {BackendDrivers.class.getClassLoader(),
          Thread.currentThread().getContextClassLoader()}) {
        if (loader == null) {
          continue;
        }
        ServiceLoader<Driver> services = ServiceLoader.load(Driver.class, loader);
        for (java.util.Iterator<Driver> it = services.iterator(); ; ) {
          try {
            if (!it.hasNext()) {
              break;
            }
            Driver driver = it.next();
            if (driver.getClass().getName().startsWith("org.collegedb.")) {
              continue;
            }
            if (found.stream().noneMatch(f -> f.getClass() == driver.getClass())) {
              found.add(driver);
            }
          } catch (java.util.ServiceConfigurationError e) {
            // a broken driver entry on the class path: skip it
          }
        }
      }
      loaded = d = List.copyOf(found);
    }
    return d;
  }

  /** Connects to a shard, naming it in the error when that fails. */
  public static Connection connect(ShardSpec shard) throws SQLException {
    SQLException failure = null;
    try {
      for (Driver driver : drivers()) {
        if (driver.acceptsURL(shard.url())) {
          Connection c = driver.connect(shard.url(), shard.connectProperties());
          if (c != null) {
            return c;
          }
        }
      }
      return DriverManager.getConnection(shard.url(), shard.connectProperties());
    } catch (SQLException e) {
      failure = e;
    }
    String state = failure.getSQLState() != null && failure.getSQLState().startsWith("08")
        ? failure.getSQLState() : SqlStates.CONNECTION_FAILED;
    if (SqlStates.CONNECTION_FAILED.equals(failure.getSQLState()) && failure.getMessage() != null
        && failure.getMessage().startsWith("No suitable driver")) {
      throw new SQLException("cannot connect to shard '" + shard.name() + "' (" + shard.url()
          + "): no JDBC driver for this URL is on the class path", SqlStates.CONNECTION_FAILED, failure);
    }
    throw new SQLException("cannot connect to shard '" + shard.name() + "' (" + shard.url() + "): "
        + failure.getMessage(), state, failure);
  }
}
