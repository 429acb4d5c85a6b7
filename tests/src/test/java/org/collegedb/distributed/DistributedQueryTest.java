package org.collegedb.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.ExecutionInfo;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SELECTs that cannot run shard by shard take the distributed path: their answers, over 4 shards of each backend,
 * equal those of one reference database of the same product holding the same rows (NULLs included).
 */
class DistributedQueryTest {
  private static final Map<Backend, TestShards> SETS = new EnumMap<>(Backend.class);
  private static final Map<Backend, Connection> CONNECTIONS = new EnumMap<>(Backend.class);

  static final List<String> TABLES = List.of(
      "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20), age INT, city VARCHAR(20), manager INT)",
      "CREATE TABLE orders (id INT PRIMARY KEY, user_id INT NOT NULL, total INT, note VARCHAR(20))",
      "CREATE TABLE cities (code VARCHAR(20) PRIMARY KEY, country VARCHAR(20))");

  /** The shards (with the rows) and a CollegeDB connection to them, created once per backend. */
  static synchronized Connection connection(Backend backend) throws Exception {
    Connection c = CONNECTIONS.get(backend);
    if (c != null) {
      return c;
    }
    TestShards shards = TestShards.create(backend, "distributed", 4);
    c = fixture(shards);
    SETS.put(backend, shards);
    CONNECTIONS.put(backend, c);
    return c;
  }

  /** The tables and rows on {@code shards} and in their reference database; a CollegeDB connection to the shards. */
  static Connection fixture(TestShards shards) throws Exception {
    Connection c = shards.connect("tables.orders.key", "user_id", "tables.cities.broadcast", "true");
    try (Connection ref = shards.reference()) {
      for (Connection db : List.of(c, ref)) {
        try (Statement s = db.createStatement()) {
          for (String ddl : TABLES) {
            s.execute(ddl);
          }
        }
        fill(db);
      }
    }
    return c;
  }

  /** 60 users, 150 orders, 5 cities; NULLs in every nullable column. */
  private static void fill(Connection db) throws SQLException {
    String[] cities = {"paris", "rome", "oslo", "lima", null};
    try (PreparedStatement u = db.prepareStatement("INSERT INTO users VALUES (?, ?, ?, ?, ?)")) {
      for (int i = 1; i <= 60; i++) {
        u.setInt(1, i);
        u.setString(2, i % 11 == 0 ? null : "n" + (i % 17));
        u.setObject(3, i % 9 == 0 ? null : 20 + i % 13, java.sql.Types.INTEGER);
        u.setString(4, cities[i % 5]);
        u.setObject(5, i <= 3 ? null : (i * 7) % (i - 1) + 1, java.sql.Types.INTEGER);
        u.addBatch();
      }
      u.executeBatch();
    }
    try (PreparedStatement o = db.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)")) {
      for (int i = 1; i <= 150; i++) {
        o.setInt(1, i);
        o.setInt(2, i % 60 + 1);
        o.setObject(3, i % 7 == 0 ? null : 20 + (i * 3) % 40, java.sql.Types.INTEGER);
        o.setString(4, i % 4 == 0 ? null : cities[i % 3]);
        o.addBatch();
      }
      o.executeBatch();
    }
    try (Statement s = db.createStatement()) {
      s.execute("INSERT INTO cities VALUES ('paris', 'fr'), ('rome', 'it'), ('oslo', 'no'), ('lima', NULL)");
    }
  }

  @AfterAll
  static void close() throws SQLException {
    for (Connection c : CONNECTIONS.values()) {
      c.close();
    }
    CONNECTIONS.clear();
  }

  /** Statements every backend runs. */
  static final List<String> COMMON = List.of(
      // joins off the shard keys, self-joins, three tables
      "SELECT u.id, o.id FROM users u JOIN orders o ON u.city = o.note",
      "SELECT u.id, m.name FROM users u JOIN users m ON u.manager = m.id",
      "SELECT u.id, m.name FROM users u LEFT JOIN users m ON u.manager = m.id AND m.age > 25",
      "SELECT u.name, o.total, m.name FROM users u JOIN orders o ON o.id = u.id JOIN users m ON m.id = o.user_id",
      "SELECT u.id, c.country, o.total FROM users u JOIN cities c ON c.code = u.city JOIN orders o "
          + "ON o.total = u.age WHERE u.id IN (3, 14, 15, 26, 53)",
      "SELECT u.id, o.id FROM users u JOIN orders o ON o.total = u.age WHERE u.id = 7",
      // derived tables and CTEs
      "SELECT COUNT(*) FROM (SELECT id FROM users WHERE age = 30) t",
      "SELECT t.city, t.n FROM (SELECT city, COUNT(*) AS n FROM users GROUP BY city) t WHERE t.n > 2",
      "WITH big AS (SELECT user_id, SUM(total) AS s FROM orders GROUP BY user_id) "
          + "SELECT u.name, big.s FROM users u JOIN big ON big.user_id = u.id WHERE big.s > 100",
      "WITH RECURSIVE chain (id, depth) AS (SELECT id, 0 FROM users WHERE manager IS NULL UNION ALL "
          + "SELECT u.id, c.depth + 1 FROM users u JOIN chain c ON u.manager = c.id WHERE c.depth < 4) "
          + "SELECT id, depth FROM chain",
      // conditions of one table pushed into its fragment (and, with an outer join, not)
      "SELECT t.city, COUNT(*) FROM (SELECT city FROM users WHERE age BETWEEN 22 AND 28 AND name LIKE 'n1%') t "
          + "GROUP BY t.city",
      "SELECT u.id, o.id FROM users u JOIN orders o ON u.city = o.note WHERE u.age > 25 AND (o.total < 30 OR "
          + "o.total IS NULL) AND NOT u.id IN (4, 5)",
      "SELECT u.id, o.id FROM users u LEFT JOIN orders o ON o.total = u.age WHERE o.note IS NULL",
      // windows not partitioned by the key
      "SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM users",
      "SELECT city, id, RANK() OVER (PARTITION BY city ORDER BY age, id) AS r FROM users",
      "SELECT user_id, total, SUM(total) OVER (ORDER BY id) AS running FROM orders",
      // set operations
      "SELECT city FROM users INTERSECT SELECT note FROM orders",
      "SELECT total FROM orders EXCEPT SELECT age FROM users",
      // a set operation nested in a derived table (the statement once recursed into itself until the stack overflowed)
      "SELECT COUNT(*) FROM (SELECT city FROM users INTERSECT SELECT note FROM orders) t",
      "SELECT COUNT(*) FROM (SELECT user_id FROM orders EXCEPT SELECT manager FROM users) t",
      "SELECT COUNT(*) FROM (SELECT city FROM users UNION SELECT note FROM orders) t",
      // correlated subqueries not tied to the key
      "SELECT id, (SELECT COUNT(*) FROM orders o WHERE o.note = u.city) AS c FROM users u",
      "SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.note = u.city AND o.total < u.age)",
      // HAVING the merge evaluator lacks, integer division, NULL ordering
      "SELECT city, COUNT(*) FROM users GROUP BY city HAVING COUNT(*) BETWEEN 5 AND 20",
      "SELECT u.city, SUM(o.total) / COUNT(*) AS a FROM users u JOIN orders o ON o.note = u.city GROUP BY u.city "
          + "HAVING SUM(o.total) % 2 = 0 OR u.city = 'rome'",
      "SELECT u.name, o.total FROM users u JOIN orders o ON o.note = u.city ORDER BY o.total, u.name, o.id "
          + "LIMIT 25");

  /** Statements of one backend: its own aggregates. */
  static final Map<Backend, List<String>> OWN = Map.of(
      Backend.H2, List.of(
          "SELECT city, LISTAGG(name, ',') WITHIN GROUP (ORDER BY name) FROM users GROUP BY city",
          "SELECT city, STDDEV_POP(age) FROM users GROUP BY city"),
      Backend.SQLITE, List.of(
          "SELECT city, GROUP_CONCAT(name) FROM (SELECT city, name FROM users ORDER BY name) GROUP BY city",
          "SELECT u.city, SUM(o.total) * 1.0 / 3 FROM users u JOIN orders o ON o.note = u.city GROUP BY u.city"),
      Backend.POSTGRES, List.of(
          "SELECT city, STRING_AGG(name, ',' ORDER BY name) FROM users GROUP BY city",
          "SELECT city, STDDEV_POP(age) FROM users GROUP BY city"),
      Backend.MARIADB, List.of(
          "SELECT city, GROUP_CONCAT(name ORDER BY name) FROM users GROUP BY city",
          "SELECT city, STDDEV_POP(age) FROM users GROUP BY city"));

  static Stream<Arguments> statements() {
    List<Arguments> out = new ArrayList<>();
    for (Backend b : Backend.values()) {
      for (String sql : COMMON) {
        out.add(Arguments.of(b, sql));
      }
      for (String sql : OWN.get(b)) {
        out.add(Arguments.of(b, sql));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("statements")
  void answersAsOneDatabase(Backend backend, String sql) throws Exception {
    Connection c = connection(backend);
    List<List<Object>> sharded;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      sharded = rows(rs);
    }
    List<List<Object>> reference;
    try (Connection ref = SETS.get(backend).reference(); Statement s = ref.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      reference = rows(rs);
    }
    assertThat(reference).isNotEmpty();
    if (sql.contains("ORDER BY o.total, u.name, o.id")) {
      assertThat(sharded).isEqualTo(reference); // a total order: the same rows in the same order
    } else {
      assertThat(sorted(sharded)).isEqualTo(sorted(reference));
    }
    ExecutionInfo info = c.unwrap(CollegeConnection.class).lastExecution();
    assertThat(info.shards()).containsAnyOf("scratch", "hash join"); // the distributed path answered
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void bindsTheCallersParametersAndNarrowsPinnedTables(Backend backend) throws Exception {
    Connection c = connection(backend);
    String sql = "SELECT u.id, m.name, o.total FROM users u JOIN users m ON u.manager = m.id "
        + "JOIN orders o ON o.total > u.age WHERE o.user_id = ? AND u.age > ? AND m.city <> ?";
    List<List<Object>> sharded;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, 8);
      ps.setInt(2, 22);
      ps.setString(3, "rome");
      try (ResultSet rs = ps.executeQuery()) {
        sharded = rows(rs);
      }
    }
    ExecutionInfo info = c.unwrap(CollegeConnection.class).lastExecution();
    List<List<Object>> reference;
    try (Connection ref = SETS.get(backend).reference(); PreparedStatement ps = ref.prepareStatement(sql)) {
      ps.setInt(1, 8);
      ps.setInt(2, 22);
      ps.setString(3, "rome");
      try (ResultSet rs = ps.executeQuery()) {
        reference = rows(rs);
      }
    }
    assertThat(reference).isNotEmpty();
    assertThat(sorted(sharded)).isEqualTo(sorted(reference));
    // orders is pinned to one user_id: its fragment ran on that key's shard only
    List<String> ordersShards = new ArrayList<>();
    for (int i = 0; i < info.shards().size(); i++) {
      if (info.shardSql().get(i).contains("FROM orders o WHERE (o.user_id = ?)")) {
        ordersShards.add(info.shards().get(i));
      }
    }
    assertThat(ordersShards).hasSize(1);
    assertThat(info.shardSql().get(info.shardSql().size() - 1)).isEqualTo(sql);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void fetchesOnlyTheRowsATablesOwnConditionsKeep(Backend backend) throws Exception {
    Connection c = connection(backend);
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(
             "SELECT COUNT(DISTINCT t.id) FROM (SELECT id FROM users WHERE age > 30 OR age < 21) t")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(reference(backend,
          "SELECT COUNT(*) FROM users WHERE age > 30 OR age < 21"));
    }
    ExecutionInfo info = c.unwrap(CollegeConnection.class).lastExecution();
    assertThat(info.shardSql()).contains((backend == Backend.SQLITE ? "SELECT *" : "SELECT id, age")
        + " FROM users WHERE (age > 30 OR age < 21) LIMIT 1000001"); // SQLite: every column, as its DDL has them
    assertThat(info.shards()).hasSize(5); // every shard, then the scratch database
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"H2", "POSTGRES"})
  void insertSelectReadsItsRowsOnTheDistributedPath(Backend backend) throws Exception {
    Connection c = connection(backend);
    String insert = "INSERT INTO pairs (id, other) SELECT u.id, m.id FROM users u JOIN users m ON u.manager = m.id";
    try (Connection ref = SETS.get(backend).reference()) {
      for (Connection db : List.of(c, ref)) {
        try (Statement s = db.createStatement()) {
          s.execute("DROP TABLE IF EXISTS pairs");
          s.execute("CREATE TABLE pairs (id INT PRIMARY KEY, other INT)");
          assertThat(s.executeUpdate(insert)).isGreaterThan(0);
        }
      }
      List<List<Object>> sharded;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, other FROM pairs")) {
        sharded = rows(rs);
      }
      try (Statement s = ref.createStatement(); ResultSet rs = s.executeQuery("SELECT id, other FROM pairs")) {
        assertThat(sorted(sharded)).isEqualTo(sorted(rows(rs)));
      }
      for (Connection db : List.of(c, ref)) {
        try (Statement s = db.createStatement()) {
          s.execute("DROP TABLE pairs");
        }
      }
    }
  }

  private static int reference(Backend backend, String sql) throws SQLException {
    try (Connection ref = SETS.get(backend).reference(); Statement s = ref.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"H2", "SQLITE"})
  void pushdownOnlyKeepsTheRefusal(Backend backend) throws Exception {
    connection(backend);
    try (Connection c = SETS.get(backend).connect("tables.orders.key", "user_id", "tables.cities.broadcast", "true",
        "crossShardQueries", "pushdown-only"); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT u.id, m.name FROM users u JOIN users m ON u.manager = m.id"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
          .hasMessageContaining("not joined on its shard key");
      assertThatThrownBy(() -> s.executeQuery("SELECT city, COUNT(*) FROM users GROUP BY city "
          + "HAVING COUNT(*) BETWEEN 5 AND 20"))
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void failsClearlyPastTheRowBound(Backend backend) throws Exception {
    connection(backend);
    try (Connection c = SETS.get(backend).connect("tables.orders.key", "user_id", "tables.cities.broadcast", "true",
        "crossShardMaxRows", "100"); Statement s = c.createStatement()) {
      // 60 users + 150 orders > 100
      assertThatThrownBy(() -> s.executeQuery("SELECT u.id, o.id FROM users u JOIN orders o ON u.city = o.note"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("54000"))
          .hasMessageContaining("crossShardMaxRows").hasMessageContaining("100");
      // under the bound it runs: 60 users
      try (ResultSet rs = s.executeQuery("SELECT u.id, m.name FROM users u JOIN users m ON u.manager = m.id")) {
        assertThat(rows(rs)).isNotEmpty();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"H2"})
  void honoursTheQueryTimeoutOnTheScratchDatabase(Backend backend) throws Exception {
    Connection c = connection(backend);
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      long start = System.nanoTime();
      // 60^5 combinations counted in the scratch database: minutes without the timeout
      assertThatThrownBy(() -> {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users a JOIN users b ON a.age <> b.id "
            + "JOIN users x ON x.age <> b.age JOIN users y ON y.age <> x.age JOIN users z ON z.age <> y.age")) {
          rs.next();
        }
      }).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
      assertThat((System.nanoTime() - start) / 1_000_000_000L).isLessThan(20);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"H2"})
  void rejectsAnUnknownMode(Backend backend) throws Exception {
    connection(backend);
    assertThatThrownBy(() -> SETS.get(backend).connect("crossShardQueries", "sometimes").close())
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("HY024"))
        .hasMessageContaining("crossShardQueries");
    assertThatThrownBy(() -> SETS.get(backend).connect("crossShardMaxRows", "0").close())
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("HY024"))
        .hasMessageContaining("crossShardMaxRows");
  }

  static List<List<Object>> rows(ResultSet rs) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    List<List<Object>> out = new ArrayList<>();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(normal(rs.getObject(i)));
      }
      out.add(row);
    }
    return out;
  }

  /** Numbers compared by value (floating-point sums to 10 digits: the order of addition differs). */
  static Object normal(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return new BigDecimal(((Number) v).doubleValue()).round(new MathContext(10)).stripTrailingZeros()
          .toPlainString();
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }
    if (v instanceof byte[] b) {
      return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
    return v == null ? null : v.toString();
  }

  static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }
}
