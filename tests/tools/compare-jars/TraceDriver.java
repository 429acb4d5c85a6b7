import java.lang.reflect.*;
import java.sql.*;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/** {@code jdbc:trace:<url>}: the real driver's objects behind proxies that count each JDBC method called while {@link #on}. */
public final class TraceDriver implements Driver {
  public static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();
  public static volatile boolean on;
  static { try { DriverManager.registerDriver(new TraceDriver()); } catch (SQLException e) { throw new ExceptionInInitializerError(e); } }
  static final Set<Class<?>> WRAP = Set.of(Connection.class, Statement.class, PreparedStatement.class, CallableStatement.class, ResultSet.class, ResultSetMetaData.class, DatabaseMetaData.class, ParameterMetaData.class);

  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) return null;
    Connection c = DriverManager.getConnection(url.substring("jdbc:trace:".length()), info);
    return (Connection) wrap(c, Connection.class);
  }
  static Object wrap(Object target, Class<?> iface) {
    if (target == null) return null;
    return Proxy.newProxyInstance(TraceDriver.class.getClassLoader(), new Class<?>[] {iface}, (p, m, a) -> {
      if (on) CALLS.computeIfAbsent(iface.getSimpleName() + "." + m.getName(), k -> new LongAdder()).increment();
      if (m.getName().equals("unwrap") && a[0] instanceof Class<?> k && k.isInstance(p)) return p;
      Object r;
      try { r = m.invoke(target, a); } catch (InvocationTargetException e) { throw e.getCause(); }
      Class<?> rt = m.getReturnType();
      if (r != null && WRAP.contains(rt)) {
        Class<?> w = rt == Statement.class && r instanceof PreparedStatement ? PreparedStatement.class : rt;
        if (r instanceof CallableStatement && rt != ResultSet.class) w = rt;
        return wrap(r, w);
      }
      return r;
    });
  }
  public boolean acceptsURL(String url) { return url != null && url.startsWith("jdbc:trace:"); }
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) { return new DriverPropertyInfo[0]; }
  public int getMajorVersion() { return 1; }
  public int getMinorVersion() { return 0; }
  public boolean jdbcCompliant() { return false; }
  public Logger getParentLogger() { throw new UnsupportedOperationException(); }
}
