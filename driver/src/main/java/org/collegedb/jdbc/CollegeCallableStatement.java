package org.collegedb.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.SQLFeatureNotSupportedException;
import org.collegedb.SqlStates;

/**
 * {@link java.sql.Connection#prepareCall}: tools run plain statements through it (Liquibase reads
 * {@code select current_schema()} so), which CollegeDB runs as prepared statements; what only a call has, OUT
 * parameters, is refused with {@link SQLFeatureNotSupportedException}.
 */
final class CollegeCallableStatement implements InvocationHandler {
  private final CollegePreparedStatement statement;

  private CollegeCallableStatement(CollegePreparedStatement statement) {
    this.statement = statement;
  }

  static CallableStatement of(CollegePreparedStatement statement) {
    return (CallableStatement) Proxy.newProxyInstance(CollegeCallableStatement.class.getClassLoader(),
        new Class<?>[] {CallableStatement.class}, new CollegeCallableStatement(statement));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (name.equals("unwrap") && args[0] instanceof Class<?> c && c.isInstance(proxy)) {
      return proxy;
    }
    if (name.equals("isWrapperFor") && args[0] instanceof Class<?> c && c.isInstance(proxy)) {
      return true;
    }
    if (method.getDeclaringClass() == Object.class) {
      return switch (name) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "CollegeCallableStatement[" + statement + "]";
      };
    }
    if (method.getDeclaringClass() == CallableStatement.class) {
      throw new SQLFeatureNotSupportedException("CollegeDB runs calls as plain statements: OUT parameters and "
          + "named parameters of stored procedures are not supported (" + name + ")", SqlStates.NOT_SUPPORTED);
    }
    try {
      return PreparedStatement.class.getMethod(name, method.getParameterTypes()).invoke(statement, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
