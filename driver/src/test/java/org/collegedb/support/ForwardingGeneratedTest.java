package org.collegedb.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.collegedb.internal.merge.ForwardingResultSet;
import org.collegedb.support.ForwardingGenerator.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed {@code Forwarding*} classes are exactly what {@link ForwardingGenerator} makes from this JDK's JDBC
 * interfaces. A stale class fails with the command that regenerates it ({@code -Dforwarding.update=true} rewrites the
 * files, to be reviewed as a diff).
 */
class ForwardingGeneratedTest {
  private static final Path SOURCE_ROOT = Path.of(System.getProperty("basedir", "."), "src", "main", "java");
  private static final String REGENERATE = "mvn -B -q -pl driver -am test -Dtest=ForwardingGeneratedTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dforwarding.update=true";

  static Stream<Target> targets() {
    return ForwardingGenerator.TARGETS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void theCommittedSourceIsTheGeneratorsOutput(Target target) throws IOException {
    Path file = target.sourceFile(SOURCE_ROOT);
    String generated = ForwardingGenerator.generate(target);
    if (Boolean.getBoolean("forwarding.update")) {
      ForwardingGenerator.write(target, SOURCE_ROOT);
    }
    assertThat(file).as("the generated class %s", target.className()).exists();
    String committed = Files.readString(file, StandardCharsets.UTF_8);
    if (!committed.equals(generated)) {
      fail(file + " is not what ForwardingGenerator makes from " + target.iface().getName() + " of this JDK ("
          + System.getProperty("java.version") + "): " + firstDifference(committed, generated)
          + "\nRegenerate it with\n  " + REGENERATE + "\nand review the diff.");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void theCompiledClassImplementsEveryMethodOfItsInterface(Target target) throws ClassNotFoundException {
    Class<?> c = Class.forName(target.className());
    assertThat(Modifier.isAbstract(c.getModifiers())).isTrue();
    assertThat(target.iface()).isAssignableFrom(c);
    for (Method m : target.iface().getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      try {
        Method own = c.getDeclaredMethod(m.getName(), m.getParameterTypes());
        assertThat(Modifier.isAbstract(own.getModifiers())).as("%s", m).isFalse();
      } catch (NoSuchMethodException e) {
        fail(target.className() + " does not implement " + m + ": regenerate it with\n  " + REGENERATE);
      }
    }
  }

  private static String firstDifference(String committed, String generated) {
    List<String> a = committed.lines().toList();
    List<String> b = generated.lines().toList();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String x = i < a.size() ? a.get(i) : "<end of file>";
      String y = i < b.size() ? b.get(i) : "<end of file>";
      if (!x.equals(y)) {
        return "line " + (i + 1) + " is\n  " + x + "\nbut the generator makes\n  " + y;
      }
    }
    return "the line endings differ";
  }

  /** A result set over a real H2 result, as the merge classes extend the generated base. */
  private static final class Wrapped extends ForwardingResultSet {
    private final ResultSet rows;

    Wrapped(ResultSet rows) {
      this.rows = rows;
    }

    @Override
    protected ResultSet delegate() {
      return rows;
    }
  }

  @Test
  void theReadOnlyResultSetBaseForwardsReadsAndRefusesWritesAndBackwardMoves() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:");
         Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE)) {
      s.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10))");
      s.execute("INSERT INTO t VALUES (1, 'one'), (2, NULL)");
      ResultSet h2 = s.executeQuery("SELECT id, name FROM t ORDER BY id");
      try (Wrapped rs = new Wrapped(h2)) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getString("name")).isEqualTo("one");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(2)).isNull();
        assertThat(rs.wasNull()).isTrue();
        assertThat(rs.getType()).isEqualTo(ResultSet.TYPE_FORWARD_ONLY);
        assertThat(rs.getConcurrency()).isEqualTo(ResultSet.CONCUR_READ_ONLY);
        assertThatThrownBy(rs::previous).isInstanceOf(SQLFeatureNotSupportedException.class)
            .hasMessage("CollegeDB result sets are forward-only");
        assertThatThrownBy(() -> rs.updateString(2, "two")).isInstanceOf(SQLFeatureNotSupportedException.class)
            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
        assertThatThrownBy(() -> rs.setFetchDirection(ResultSet.FETCH_REVERSE))
            .isInstanceOf(SQLFeatureNotSupportedException.class);
        rs.setFetchDirection(ResultSet.FETCH_FORWARD);
        assertThat(rs.unwrap(ForwardingResultSet.class)).isSameAs(rs);
        assertThat(rs.unwrap(ResultSet.class)).as("the wrapper, not the shard's result set").isSameAs(rs);
        assertThat(rs.isWrapperFor(Wrapped.class)).isTrue();
        assertThat(rs.unwrap(org.h2.jdbc.JdbcResultSet.class)).isSameAs(h2);
      }
      assertThat(h2.isClosed()).isTrue();
    }
  }
}
