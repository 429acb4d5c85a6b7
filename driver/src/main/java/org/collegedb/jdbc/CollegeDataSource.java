package org.collegedb.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.collegedb.SelfWrapper;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.ConfigLoader;

/**
 * A {@link DataSource} for a CollegeDB database, for pools (HikariCP's {@code dataSourceClassName}) and frameworks
 * that take a DataSource. Configure it by location ({@link #setUrl} with a {@code jdbc:collegedb:...} URL, or
 * {@link #setConfigLocation} with a file or {@code classpath:} name), by properties ({@link #setProperties},
 * {@link #setProperty}: {@code shards.<name>.url}, {@code tables.<t>.key}, ...), or both: properties override the
 * file.
 */
public class CollegeDataSource implements DataSource, SelfWrapper {
  private static final CollegeDriver DRIVER = new CollegeDriver();

  private String url = ConfigLoader.PREFIX;
  private final Properties properties = new Properties();
  private PrintWriter logWriter;
  private int loginTimeout;

  public CollegeDataSource() {
  }

  /** A data source for {@code url} ({@code jdbc:collegedb:<location>}). */
  public CollegeDataSource(String url) throws SQLException {
    setUrl(url);
  }

  /** The CollegeDB URL: {@code jdbc:collegedb:<location>}, or {@code jdbc:collegedb:} with properties only. */
  public void setUrl(String url) throws SQLException {
    if (url == null || !DRIVER.acceptsURL(url)) {
      throw new SQLException("not a CollegeDB URL: '" + url + "' (expected " + ConfigLoader.PREFIX
          + "<configuration file>)", SqlStates.BAD_CONFIG);
    }
    this.url = url;
  }

  public String getUrl() {
    return url;
  }

  /** HikariCP's and Spring's name for {@link #setUrl}. */
  public void setJdbcUrl(String url) throws SQLException {
    setUrl(url);
  }

  public String getJdbcUrl() {
    return url;
  }

  /** The configuration file ({@code path}, {@code file:path} or {@code classpath:name}): the URL's location. */
  public void setConfigLocation(String location) throws SQLException {
    setUrl(ConfigLoader.PREFIX + (location == null ? "" : location));
  }

  public String getConfigLocation() {
    return url.substring(ConfigLoader.PREFIX.length());
  }

  /** Settings laid over the configuration file's, as connection properties are. */
  public void setProperties(Properties settings) {
    properties.clear();
    if (settings != null) {
      for (String key : settings.stringPropertyNames()) {
        properties.setProperty(key, settings.getProperty(key));
      }
    }
  }

  /** A copy of the settings given with {@link #setProperties} and {@link #setProperty}. */
  public Properties getProperties() {
    Properties copy = new Properties();
    copy.putAll(properties);
    return copy;
  }

  /** One setting, e.g. {@code setProperty("shards.s1.url", "jdbc:sqlite:s1.db")}; a null value removes it. */
  public void setProperty(String key, String value) {
    if (value == null) {
      properties.remove(key);
    } else {
      properties.setProperty(key, value);
    }
  }

  /** The default user for shards that name none. */
  public void setUser(String user) {
    setProperty("user", user);
  }

  public String getUser() {
    return properties.getProperty("user");
  }

  /** The default password for shards that name none. */
  public void setPassword(String password) {
    setProperty("password", password);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return DRIVER.connect(url, getProperties());
  }

  /** A connection whose shards that name no user and password of their own use these. */
  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties p = getProperties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return DRIVER.connect(url, p);
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return DRIVER.getParentLogger();
  }

  @Override
  public String toString() {
    return "CollegeDataSource[" + url + "]";
  }
}
