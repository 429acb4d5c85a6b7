package org.collegedb.support;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Writes the driver's {@code Forwarding*} base classes from the JDK's JDBC interfaces: every method forwards to
 * {@code delegate()}, except {@code unwrap}/{@code isWrapperFor}, which answer for the wrapper itself first, and,
 * for read-only result sets, the methods that move backwards or write, which are refused. The committed classes are
 * this generator's output; {@code ForwardingGeneratedTest} fails when they differ and says how to regenerate them.
 *
 * <p>By hand: {@code java driver/src/test/java/org/collegedb/support/ForwardingGenerator.java java.sql.ResultSet
 * org.collegedb.internal.merge.ForwardingResultSet --read-only > the file}.
 */
public final class ForwardingGenerator {
  /**
   * One generated class.
   *
   * @param iface     the JDBC interface it implements
   * @param className the class's fully qualified name
   * @param readOnly  whether it is a forward-only, read-only {@link java.sql.ResultSet}
   */
  public record Target(Class<?> iface, String className, boolean readOnly) {
    public String packageName() {
      return className.substring(0, className.lastIndexOf('.'));
    }

    public String simpleName() {
      return className.substring(className.lastIndexOf('.') + 1);
    }

    /** The source file, under a module's {@code src/main/java}. */
    public Path sourceFile(Path sourceRoot) {
      return sourceRoot.resolve(className.replace('.', '/') + ".java");
    }

    @Override
    public String toString() {
      return simpleName() + " (" + iface.getName() + (readOnly ? ", read-only" : "") + ")";
    }
  }

  /** The classes the driver holds, where it holds them. */
  public static final List<Target> TARGETS = List.of(
      new Target(java.sql.ResultSet.class, "org.collegedb.internal.merge.ForwardingResultSet", true),
      new Target(java.sql.ResultSetMetaData.class, "org.collegedb.internal.merge.ForwardingResultSetMetaData", false),
      new Target(java.sql.DatabaseMetaData.class, "org.collegedb.jdbc.ForwardingDatabaseMetaData", false));

  private static final Set<String> BACKWARD = Set.of("previous", "absolute", "relative", "first", "last",
      "beforeFirst", "afterLast");
  private static final Set<String> WRITES = Set.of("insertRow", "deleteRow", "updateRow", "refreshRow",
      "cancelRowUpdates", "moveToInsertRow", "moveToCurrentRow");

  private ForwardingGenerator() {
  }

  /** The source text of {@code target}. */
  public static String generate(Target target) {
    Class<?> iface = target.iface();
    String name = iface.getSimpleName();
    StringBuilder out = new StringBuilder();
    out.append("package ").append(target.packageName()).append(";\n\n");
    out.append("import java.sql.*;\n\n");
    out.append("/**\n");
    if (target.readOnly()) {
      out.append(" * Forwards the reading methods of {@link ").append(name).append("} to {@link #delegate()}; refuses ")
          .append("updates and backward moves,\n * as CollegeDB result sets are forward-only and read-only;");
    } else {
      out.append(" * Forwards every method of {@link ").append(name).append("} to {@link #delegate()};");
    }
    out.append(" {@code unwrap} and\n * {@code isWrapperFor} answer for this object first. Generated from the JDK's ")
        .append("interface by\n * {@code org.collegedb.support.ForwardingGenerator} (driver test sources), checked by ")
        .append("{@code ForwardingGeneratedTest};\n * subclasses override only the methods that matter.\n */\n");
    out.append("@SuppressWarnings({\"deprecation\", \"unchecked\"})\n");
    out.append("public abstract class ").append(target.simpleName()).append(" implements ").append(name)
        .append(" {\n");
    out.append("  /** The object that does the work. */\n  protected abstract ").append(name)
        .append(" delegate() throws SQLException;\n");
    Method[] methods = iface.getMethods();
    Arrays.sort(methods, Comparator.comparing(Method::getName)
        .thenComparing(m -> Arrays.toString(m.getParameterTypes())));
    for (Method m : methods) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      out.append(method(m, target.readOnly()));
    }
    out.append("}\n");
    return out.toString();
  }

  private static String method(Method m, boolean readOnly) {
    StringBuilder sig = new StringBuilder("\n  @Override\n  public ");
    TypeVariable<Method>[] typeParameters = m.getTypeParameters();
    if (typeParameters.length > 0) {
      sig.append('<').append(typeParameters[0].getName()).append("> ");
    }
    sig.append(typeName(m.getGenericReturnType())).append(' ').append(m.getName()).append('(');
    Type[] parameters = m.getGenericParameterTypes();
    StringBuilder call = new StringBuilder();
    for (int i = 0; i < parameters.length; i++) {
      if (i > 0) {
        sig.append(", ");
        call.append(", ");
      }
      sig.append(typeName(parameters[i])).append(" p").append(i);
      call.append('p').append(i);
    }
    boolean throwsSql = Arrays.asList(m.getExceptionTypes()).contains(SQLException.class);
    String forward = "delegate()." + m.getName() + "(" + call + ");";
    String returns = m.getReturnType() == void.class ? "" : "return ";
    if (!throwsSql) {
      return sig + ") {\n    try {\n      " + returns + forward + "\n    } catch (SQLException e) {\n"
          + "      throw new IllegalStateException(e);\n    }\n  }\n";
    }
    String body = special(m, readOnly);
    return sig + ") throws SQLException {\n    " + (body != null ? body : returns + forward) + "\n  }\n";
  }

  /** The body of a method that does not simply forward, or null. */
  private static String special(Method m, boolean readOnly) {
    String n = m.getName();
    if (n.equals("unwrap")) {
      return "return p0.isInstance(this) ? p0.cast(this) : delegate().unwrap(p0);";
    }
    if (n.equals("isWrapperFor")) {
      return "return p0.isInstance(this) || delegate().isWrapperFor(p0);";
    }
    if (!readOnly) {
      return null;
    }
    if (BACKWARD.contains(n)) {
      return "throw new SQLFeatureNotSupportedException(\"CollegeDB result sets are forward-only\", \"0A000\");";
    }
    if (WRITES.contains(n) || n.startsWith("update")) {
      return "throw new SQLFeatureNotSupportedException(\"CollegeDB result sets are read-only: use UPDATE "
          + "statements\", \"0A000\");";
    }
    return switch (n) {
      case "rowUpdated", "rowInserted", "rowDeleted" -> "return false;";
      case "getType" -> "return ResultSet.TYPE_FORWARD_ONLY;";
      case "getConcurrency" -> "return ResultSet.CONCUR_READ_ONLY;";
      case "setFetchDirection" -> "if (p0 != ResultSet.FETCH_FORWARD) {\n      throw new "
          + "SQLFeatureNotSupportedException(\"CollegeDB result sets are forward-only\", \"0A000\");\n    }";
      case "getFetchDirection" -> "return ResultSet.FETCH_FORWARD;";
      default -> null;
    };
  }

  private static String typeName(Type t) {
    if (t instanceof Class<?> c) {
      if (c.isArray()) {
        return typeName(c.getComponentType()) + "[]";
      }
      if (c.getPackageName().equals("java.lang") || c.getPackageName().equals("java.sql")) {
        return c.getSimpleName();
      }
      return c.getName().replace('$', '.');
    }
    if (t instanceof ParameterizedType p) {
      StringBuilder b = new StringBuilder(typeName(p.getRawType())).append('<');
      Type[] arguments = p.getActualTypeArguments();
      for (int i = 0; i < arguments.length; i++) {
        b.append(i > 0 ? ", " : "").append(typeName(arguments[i]));
      }
      return b.append('>').toString();
    }
    if (t instanceof WildcardType w) {
      Type[] upper = w.getUpperBounds();
      return upper.length > 0 && upper[0] != Object.class ? "? extends " + typeName(upper[0]) : "?";
    }
    if (t instanceof TypeVariable<?> v) {
      return v.getName();
    }
    return t.getTypeName();
  }

  /**
   * Prints one class ({@code <interface> <class> [--read-only]}), or, with {@code --write <src/main/java>}, writes
   * every class of {@link #TARGETS} into that source root.
   */
  public static void main(String[] args) throws ClassNotFoundException, IOException {
    if (args.length == 2 && args[0].equals("--write")) {
      for (Target t : TARGETS) {
        write(t, Path.of(args[1]));
      }
      return;
    }
    Target t = new Target(Class.forName(args[0]), args[1], args.length > 2 && args[2].equals("--read-only"));
    System.out.print(generate(t));
  }

  /** Writes {@code target}'s source into {@code sourceRoot}. */
  public static void write(Target target, Path sourceRoot) throws IOException {
    Files.writeString(target.sourceFile(sourceRoot), generate(target), StandardCharsets.UTF_8);
  }
}
