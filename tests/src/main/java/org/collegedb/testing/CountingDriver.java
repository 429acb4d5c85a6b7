package org.collegedb.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A JDBC driver that counts what runs on a database: {@code jdbc:counting:<real url>} connects to the real URL and
 * records the text of every statement executed through that connection, per real URL. Tests use it as shard URLs to
 * see, independently of CollegeDB's own report, which shards a statement reached and with which text.
 *
 * <p>An execution is one call of {@code execute}, {@code executeQuery}, {@code executeUpdate},
 * {@code executeLargeUpdate}, {@code executeBatch} or {@code executeLargeBatch} on a statement of such a connection
 * (a batch is one execution). Metadata calls are not counted.
 */
public final class CountingDriver implements Driver {
  /** The URL prefix this driver accepts. */
  public static final String PREFIX = "jdbc:counting:";

  private static final Map<String, List<String>> EXECUTED = new ConcurrentHashMap<>();
  private static final Map<String, java.util.concurrent.atomic.AtomicInteger> CONNECTS = new ConcurrentHashMap<>();
  private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

  static {
    try {
      DriverManager.registerDriver(new CountingDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** {@code url} wrapped so that what runs on it is counted. */
  public static String wrap(String url) {
    return PREFIX + url;
  }

  /** Forgets every count. */
  public static void reset() {
    EXECUTED.clear();
    PROTOCOL.clear();
  }

  /** How many statements ran on the real URL {@code url} since the last {@link #reset()}. */
  public static int count(String url) {
    return executed(url).size();
  }

  /** How many connections were opened to the real URL {@code url} through this driver since the JVM started. */
  public static int connectsTo(String url) {
    java.util.concurrent.atomic.AtomicInteger n = CONNECTS.get(url);
    return n == null ? 0 : n.get();
  }

  /** How many connections made through this driver (to any URL) are open now. */
  public static int openConnections() {
    return OPEN.get();
  }

  /** The texts of the statements that ran on the real URL {@code url} since the last {@link #reset()}, in order. */
  public static List<String> executed(String url) {
    List<String> texts = EXECUTED.get(url);
    if (texts == null) {
      return List.of();
    }
    synchronized (texts) {
      return List.copyOf(texts);
    }
  }

  /**
   * The statements of CollegeDB's atomic commit protocol (prepare, the decision row, commit prepared) that ran on the
   * real URL {@code url}: kept apart from {@link #executed}, which lists what the application's statements became.
   */
  public static List<String> protocol(String url) {
    List<String> texts = PROTOCOL.get(url);
    if (texts == null) {
      return List.of();
    }
    synchronized (texts) {
      return List.copyOf(texts);
    }
  }

  private static final Map<String, List<String>> PROTOCOL = new ConcurrentHashMap<>();

  private static boolean isProtocol(String sql) {
    return sql != null && (sql.startsWith("PREPARE TRANSACTION ") || sql.startsWith("PREPARE COMMIT ")
        || sql.startsWith("COMMIT PREPARED ") || sql.startsWith("ROLLBACK PREPARED ")
        || sql.contains("collegedb_commits") || sql.equals("SHOW max_prepared_transactions")
        // the in-doubt scan any instance runs at start-up and periodically, at any moment of a test
        || sql.startsWith("SELECT gid FROM pg_prepared_xacts") || sql.equals("XA RECOVER"));
  }

  private static void record(String url, String sql) {
    List<String> texts = (isProtocol(sql) ? PROTOCOL : EXECUTED).computeIfAbsent(url, u -> new ArrayList<>());
    synchronized (texts) {
      texts.add(sql);
    }
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    String real = url.substring(PREFIX.length());
    Connection c = DriverManager.getConnection(real, info == null ? new Properties() : info);
    CONNECTS.computeIfAbsent(real, u -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    OPEN.incrementAndGet();
    Connection[] self = new Connection[1];
    self[0] = proxy(Connection.class, c, new Counted(real, c, null, self));
    return self[0];
  }

  private static <T> T proxy(Class<T> type, Object target, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(CountingDriver.class.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /** Forwards every call to the real object; counts executions, and wraps the statements a connection makes. */
  private static final class Counted implements InvocationHandler {
    private final String url;
    private final Object target;
    private final String preparedSql; // for a prepared statement: its text
    private final Connection[] connection; // the counting connection, once made

    Counted(String url, Object target, String preparedSql, Connection[] connection) {
      this.url = url;
      this.target = target;
      this.preparedSql = preparedSql;
      this.connection = connection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (target instanceof Statement && name.startsWith("execute")) {
        String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
        record(url, name.endsWith("Batch") ? "BATCH " + sql : sql);
      }
      if (target instanceof Connection c && name.equals("close") && !c.isClosed()) {
        OPEN.decrementAndGet();
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (target instanceof Connection && result instanceof Statement s) {
        if (result instanceof PreparedStatement) {
          return proxy(PreparedStatement.class, s, new Counted(url, s, (String) args[0], connection));
        }
        return proxy(Statement.class, s, new Counted(url, s, null, connection));
      }
      if (target instanceof Statement && name.equals("getConnection")) {
        return connection[0];
      }
      return result;
    }
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return 1;
  }

  @Override
  public int getMinorVersion() {
    return 0;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no logging");
  }
}
