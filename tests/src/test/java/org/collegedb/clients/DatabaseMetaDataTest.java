package org.collegedb.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DatabaseMetaData presents one logical database: the shards' product, CollegeDB as the driver, the user's tables
 * without CollegeDB's own, and no method a tool calls fails with anything but SQLFeatureNotSupportedException.
 */
class DatabaseMetaDataTest {

  @ParameterizedTest
  @EnumSource(Backend.class)
  void presentsOneLogicalDatabase(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "DatabaseMetaDataTest_logical", 2);
    try (Connection c = shards.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, born DATE)");
      s.execute("CREATE INDEX customers_name ON customers (name)");
      DatabaseMetaData md = c.getMetaData();
      String product;
      String version;
      try (Connection direct = shards.direct(0)) {
        product = direct.getMetaData().getDatabaseProductName();
        version = direct.getMetaData().getDatabaseProductVersion();
      }
      assertThat(md.getDatabaseProductName()).isEqualTo(product);
      assertThat(md.getDatabaseProductVersion()).isEqualTo(version);
      assertThat(md.getDriverName()).isEqualTo("CollegeDB");
      assertThat(md.getDriverVersion()).startsWith(org.collegedb.jdbc.CollegeDriver.VERSION);
      assertThat(md.getConnection()).isSameAs(c);
      assertThat(md.getURL()).startsWith("jdbc:collegedb:");

      List<String> tables = names(md.getTables(null, null, "%", null), "TABLE_NAME");
      assertThat(tables).anyMatch(t -> t.equalsIgnoreCase("customers"));
      assertThat(tables).noneMatch(t -> t.toLowerCase(Locale.ROOT).contains("collegedb_")); // SQLite: its autoindexes too
      try (Connection direct = shards.direct(0)) { // the shards do hold CollegeDB's tables
        assertThat(names(direct.getMetaData().getTables(null, null, "%", null), "TABLE_NAME"))
            .anyMatch(t -> t.toLowerCase(Locale.ROOT).startsWith("collegedb_"));
      }
      String table = tables.stream().filter(t -> t.equalsIgnoreCase("customers")).findFirst().orElseThrow();
      assertThat(names(md.getColumns(null, null, table, "%"), "COLUMN_NAME"))
          .map(n -> n.toLowerCase(Locale.ROOT)).containsExactly("id", "name", "born");
      assertThat(names(md.getColumns(null, null, "%", "%"), "TABLE_NAME"))
          .noneMatch(t -> t.toLowerCase(Locale.ROOT).startsWith("collegedb_"));
      assertThat(names(md.getPrimaryKeys(null, null, table), "COLUMN_NAME"))
          .map(n -> n.toLowerCase(Locale.ROOT)).containsExactly("id");
      assertThat(names(md.getIndexInfo(null, null, table, false, true), "INDEX_NAME"))
          .map(n -> n == null ? null : n.toLowerCase(Locale.ROOT)).contains("customers_name");
      assertThat(names(md.getTypeInfo(), "TYPE_NAME")).isNotEmpty();
      assertThat(names(md.getSchemas(), "TABLE_SCHEM")).noneMatch(n -> n.toLowerCase(Locale.ROOT)
          .startsWith("collegedb_"));
      if (backend == Backend.POSTGRES || backend == Backend.H2) { // CollegeDB's tables have a schema of their own
        try (Connection direct = shards.direct(0)) {
          assertThat(names(direct.getMetaData().getSchemas(), "TABLE_SCHEM")).anyMatch(n -> n.toLowerCase(Locale.ROOT)
              .equals("collegedb_internal"));
          String own = backend == Backend.H2 ? "PUBLIC" : "public";
          assertThat(names(direct.getMetaData().getTables(null, own, "%", new String[] {"TABLE"}), "TABLE_NAME"))
              .noneMatch(t -> t.toLowerCase(Locale.ROOT).startsWith("collegedb_"));
        }
      }
    }
  }

  /** Every DatabaseMetaData method, called as SQLLine's !dbinfo and DBeaver call them, answers or is refused as such. */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyMethodAnswersOrIsUnsupported(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "DatabaseMetaDataTest_every", 2);
    try (Connection c = shards.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id INT PRIMARY KEY, label VARCHAR(20))");
      DatabaseMetaData md = c.getMetaData();
      String table = names(md.getTables(null, null, "%", null), "TABLE_NAME").stream()
          .filter(t -> t.equalsIgnoreCase("items")).findFirst().orElseThrow();
      List<String> failures = new ArrayList<>();
      int called = 0;
      Method[] methods = DatabaseMetaData.class.getMethods();
      Arrays.sort(methods, Comparator.comparing(Method::toString));
      for (Method m : methods) {
        if (Modifier.isStatic(m.getModifiers()) || m.getName().equals("unwrap")
            || m.getName().equals("isWrapperFor")) {
          continue;
        }
        Object[] args = arguments(m, table);
        called++;
        try {
          Object r = m.invoke(md, args);
          if (r instanceof ResultSet rs) {
            try (rs) {
              int n = rs.getMetaData().getColumnCount();
              while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                  rs.getObject(i);
                }
              }
            }
          }
        } catch (InvocationTargetException e) {
          if (!(e.getCause() instanceof SQLFeatureNotSupportedException)) {
            failures.add(m.getName() + ": " + e.getCause());
          }
        }
      }
      assertThat(called).isGreaterThan(150);
      assertThat(failures).as("methods that failed with something else than SQLFeatureNotSupportedException")
          .isEmpty();
    }
  }

  private static Object[] arguments(Method m, String table) {
    Class<?>[] types = m.getParameterTypes();
    Object[] args = new Object[types.length];
    String[] names = Arrays.stream(m.getParameters()).map(p -> p.getName()).toArray(String[]::new);
    int strings = 0;
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      if (t == String.class) {
        // catalog, schema, then table/type/procedure/function name patterns: as DBeaver passes them
        strings++;
        args[i] = strings <= 2 && types.length > 1 ? null : (m.getName().contains("Table")
            || m.getName().equals("getColumns") || m.getName().equals("getPrimaryKeys")
            || m.getName().equals("getIndexInfo") || m.getName().contains("Keys")
            || m.getName().equals("getBestRowIdentifier") || m.getName().equals("getVersionColumns")
            || m.getName().equals("getColumnPrivileges") || m.getName().equals("getPseudoColumns")
            ? (strings == 3 ? table : "%") : "%");
        if (m.getName().equals("getCrossReference")) {
          args[i] = i == 2 || i == 5 ? table : null;
        }
      } else if (t == int.class) {
        args[i] = m.getName().equals("getBestRowIdentifier") ? DatabaseMetaData.bestRowSession
            : m.getName().startsWith("supportsTransactionIsolation") ? Connection.TRANSACTION_READ_COMMITTED
            : m.getName().startsWith("supportsResultSetHoldability") ? ResultSet.HOLD_CURSORS_OVER_COMMIT
            : m.getName().equals("supportsConvert") ? java.sql.Types.INTEGER
            : m.getName().equals("supportsResultSetConcurrency") && i == 1 ? ResultSet.CONCUR_READ_ONLY
            : ResultSet.TYPE_FORWARD_ONLY;
      } else if (t == boolean.class) {
        args[i] = false;
      }
    }
    return args;
  }

  @Test
  void productNameCanBeConfigured() throws Exception {
    TestShards shards = TestShards.create(Backend.H2, "DatabaseMetaDataTest", 2);
    try (Connection c = shards.connect("productName", "PostgreSQL")) {
      assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
      assertThat(c.getMetaData().getDriverName()).isEqualTo("CollegeDB");
    }
  }

  @Test
  void refusesShardsOfDifferentProducts() throws Exception {
    TestShards sqlite = TestShards.create(Backend.SQLITE, "DatabaseMetaDataTest", 1);
    TestShards h2 = TestShards.create(Backend.H2, "DatabaseMetaDataTest", 1);
    Properties p = new Properties();
    p.setProperty("shards.a.url", sqlite.url(0));
    p.setProperty("shards.b.url", h2.url(0));
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:collegedb:", p).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("different database products")
        .hasMessageContaining("SQLite=[a]")
        .hasMessageContaining("H2=[b]");
  }

  @Test
  void rowIdLifetimeIsTheShards() throws Exception {
    TestShards shards = TestShards.create(Backend.H2, "DatabaseMetaDataTest", 2);
    try (Connection c = shards.connect(); Connection d = shards.direct(0)) {
      RowIdLifetime expected = d.getMetaData().getRowIdLifetime();
      assertThat(c.getMetaData().getRowIdLifetime()).isEqualTo(expected);
    }
  }

  static List<String> names(ResultSet rs, String column) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getString(column));
      }
    }
    return out;
  }
}
