import java.lang.reflect.*;
import java.util.*;
/** Writes the Forwarding* JDBC classes: java tools/ForwardingGenerator.java java.sql.ResultSet ForwardingResultSet org.collegedb.merge (-Dreadonly=1 for result sets). */
public class ForwardingGenerator {
  static String typeName(Type t) {
    if (t instanceof Class<?> c) {
      if (c.isArray()) return typeName(c.getComponentType()) + "[]";
      if (c.getPackageName().equals("java.lang") || c.getPackageName().equals("java.sql")) return c.getSimpleName();
      return c.getName().replace('$', '.');
    }
    if (t instanceof ParameterizedType p) {
      StringBuilder b = new StringBuilder(typeName(p.getRawType())).append('<');
      Type[] a = p.getActualTypeArguments();
      for (int i = 0; i < a.length; i++) { if (i > 0) b.append(", "); b.append(typeName(a[i])); }
      return b.append('>').toString();
    }
    if (t instanceof WildcardType w) {
      if (w.getUpperBounds().length > 0 && w.getUpperBounds()[0] != Object.class) return "? extends " + typeName(w.getUpperBounds()[0]);
      return "?";
    }
    if (t instanceof TypeVariable<?> v) return v.getName();
    return t.getTypeName();
  }
  static final java.util.Set<String> NAV = java.util.Set.of("previous", "absolute", "relative", "first", "last", "beforeFirst", "afterLast");
  static final java.util.Set<String> WRITE = java.util.Set.of("insertRow", "deleteRow", "updateRow", "refreshRow", "cancelRowUpdates", "moveToInsertRow", "moveToCurrentRow");
  static String special(Method m) {
    String n = m.getName();
    if (NAV.contains(n)) return "throw new SQLFeatureNotSupportedException(\"CollegeDB result sets are forward-only\", \"0A000\");";
    if (WRITE.contains(n) || (n.startsWith("update") && !n.equals("updateRow"))) return "throw new SQLFeatureNotSupportedException(\"CollegeDB result sets are read-only: use UPDATE statements\", \"0A000\");";
    if (n.equals("rowUpdated") || n.equals("rowInserted") || n.equals("rowDeleted")) return "return false;";
    if (n.equals("getType")) return "return ResultSet.TYPE_FORWARD_ONLY;";
    if (n.equals("getConcurrency")) return "return ResultSet.CONCUR_READ_ONLY;";
    if (n.equals("setFetchDirection")) return "if (p0 != ResultSet.FETCH_FORWARD) {\n      throw new SQLFeatureNotSupportedException(\"CollegeDB result sets are forward-only\", \"0A000\");\n    }";
    if (n.equals("getFetchDirection")) return "return ResultSet.FETCH_FORWARD;";
    return null;
  }
  public static void main(String[] args) throws Exception {
    Class<?> iface = Class.forName(args[0]);
    String cls = args[1], pkg = args[2];
    Set<String> skip = new HashSet<>(Arrays.asList(args).subList(3, args.length));
    StringBuilder out = new StringBuilder();
    out.append("package ").append(pkg).append(";\n\n");
    out.append("import java.sql.*;\n\n");
    out.append("/**\n * Forwards every method of {@link ").append(iface.getSimpleName()).append("} to {@link #delegate()}. Generated once from the JDK's interface;\n * subclasses override only the methods that matter.\n */\n");
    out.append("@SuppressWarnings({\"deprecation\", \"unchecked\"})\n");
    out.append("public abstract class ").append(cls).append(" implements ").append(iface.getSimpleName()).append(" {\n");
    out.append("  /** The object that does the work. */\n  protected abstract ").append(iface.getSimpleName()).append(" delegate() throws SQLException;\n");
    Method[] ms = iface.getMethods();
    Arrays.sort(ms, Comparator.comparing(Method::getName).thenComparing(m -> Arrays.toString(m.getParameterTypes())));
    for (Method m : ms) {
      if (Modifier.isStatic(m.getModifiers())) continue;
      if (skip.contains(m.getName())) continue;
      StringBuilder sig = new StringBuilder();
      TypeVariable<Method>[] tv = m.getTypeParameters();
      sig.append("\n  @Override\n  public ");
      if (tv.length > 0) sig.append("<").append(tv[0].getName()).append("> ");
      sig.append(typeName(m.getGenericReturnType())).append(' ').append(m.getName()).append('(');
      Type[] ps = m.getGenericParameterTypes();
      Parameter[] params = m.getParameters();
      StringBuilder call = new StringBuilder();
      for (int i = 0; i < ps.length; i++) {
        if (i > 0) { sig.append(", "); call.append(", "); }
        String n = "p" + i;
        sig.append(typeName(ps[i])).append(' ').append(n);
        call.append(n);
      }
      boolean throwsSql = java.util.Arrays.asList(m.getExceptionTypes()).contains(java.sql.SQLException.class);
      sig.append(throwsSql ? ") throws SQLException {\n    " : ") {\n    ");
      if (!throwsSql) {
        sig.append("try {\n      ");
        if (m.getReturnType() != void.class) sig.append("return ");
        sig.append("delegate().").append(m.getName()).append('(').append(call).append(");\n    } catch (SQLException e) {\n      throw new IllegalStateException(e);\n    }\n  }\n");
        out.append(sig);
        continue;
      }
      String special = System.getProperty("readonly") == null ? null : special(m);
      if (special != null) {
        sig.append(special).append("\n  }\n");
      } else {
      if (m.getReturnType() != void.class) sig.append("return ");
      sig.append("delegate().").append(m.getName()).append('(').append(call).append(");\n  }\n");
      }
      out.append(sig);
    }
    out.append("}\n");
    System.out.print(out);
  }
}
