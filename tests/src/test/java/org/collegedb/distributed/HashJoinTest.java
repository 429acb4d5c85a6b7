package org.collegedb.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.collegedb.ExecutionInfo;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hash join of the distributed path ({@code HashJoin}), on the four backends over the rows of
 * {@link DistributedQueryTest} (NULL join keys, many-to-many matches; inner and LEFT joins): the rows equal one
 * reference database's as a
 * multiset and the metadata equals its metadata; statements it must not answer exactly (text under collations that
 * ignore case or trailing spaces, values of another type in a SQLite column) take the scratch database and still
 * equal the reference; the row bound holds.
 */
class HashJoinTest {
  private static final Map<Backend, TestShards> SETS = new EnumMap<>(Backend.class);
  private static final Map<Backend, Connection> CONNECTIONS = new EnumMap<>(Backend.class);

  private static synchronized Connection connection(Backend backend) throws Exception {
    Connection c = CONNECTIONS.get(backend);
    if (c == null) {
      TestShards shards = TestShards.create(backend, "hashjoin", 4);
      c = DistributedQueryTest.fixture(shards);
      String collated = switch (backend) {
        case SQLITE -> " COLLATE NOCASE";
        case POSTGRES -> " COLLATE \"C\"";
        default -> ""; // MariaDB's default collation ignores case and trailing spaces; H2 compares characters
      };
      try (Connection ref = shards.reference()) {
        for (Connection db : List.of(c, ref)) {
          try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE tags (id INT PRIMARY KEY, label VARCHAR(10)" + collated + ")");
            s.execute("INSERT INTO tags VALUES (1, 'paris'), (2, 'PARIS'), (3, 'paris '), (4, 'rome'), (5, NULL)");
            s.execute("CREATE TABLE prices (id INT PRIMARY KEY, age BIGINT, price DECIMAL(8, 2), ratio DOUBLE "
                + "PRECISION, big BIGINT, small SMALLINT, word CHAR(6))");
            s.execute("INSERT INTO prices VALUES (1, 21, 10.50, 0.1, 9007199254740993, -3, 'ab'), "
                + "(2, 22, 1000.00, 1.0, NULL, NULL, NULL), (3, 23, -0.01, 1e20, -1, 7, 'abcdef'), "
                + "(4, 21, 0.00, 2.5e-7, 0, 0, ''), (5, NULL, 3, -0.0, 1, 1, 'x')");
            if (backend == Backend.SQLITE) {
              // SQLite keeps what an INTEGER column cannot convert: text, and a real with a fraction
              s.execute("CREATE TABLE mixed (id INTEGER PRIMARY KEY, k INTEGER)");
              s.execute("INSERT INTO mixed VALUES (1, 25), (2, 'x25'), (3, 26), (4, '27')");
              s.execute("CREATE TABLE reals (id INTEGER PRIMARY KEY, k INTEGER)");
              s.execute("INSERT INTO reals VALUES (1, 25), (2, 26.0), (3, 27.5), (4, 28)");
            }
          }
        }
      }
      SETS.put(backend, shards);
      CONNECTIONS.put(backend, c);
    }
    return c;
  }

  @AfterAll
  static void close() throws Exception {
    for (Connection c : CONNECTIONS.values()) {
      c.close();
    }
    CONNECTIONS.clear();
  }

  /**
   * The statements every backend runs, and where the hash join answers them: {@code text} joins on text (MariaDB:
   * the scratch database), {@code h2} selects a floating-point column, {@code decimal} a DECIMAL column.
   */
  private static final List<String[]> STATEMENTS = List.of(
      new String[] {"int", "SELECT u.id, o.id FROM users u JOIN orders o ON o.total = u.age"},
      new String[] {"int", "SELECT o.id, u.name, u.age FROM orders o JOIN users u ON u.id = o.total"},
      new String[] {"int", "SELECT u.name AS Who, o.total t, o.note, u.name FROM users AS u INNER JOIN orders o "
          + "ON u.age = o.total WHERE u.id > 10 AND o.user_id IN (3, 4, 5, 6, 7, 8, 9, 10, 11, 12)"},
      new String[] {"int", "SELECT name, total, note FROM users JOIN orders ON manager = user_id "
          + "WHERE age > 25 AND orders.note = 'rome'"},
      new String[] {"int", "SELECT u.id, o.id FROM users u JOIN orders o ON o.user_id = u.manager "
          + "AND o.total = u.age"},
      new String[] {"int", "SELECT u.id, o.id, o.total FROM users u JOIN orders o ON o.total = u.age "
          + "WHERE u.id IN (3, 14, 15)"},
      new String[] {"text", "SELECT u.id, o.id, u.city FROM users u JOIN orders o ON u.city = o.note"},
      // LEFT JOIN (no WHERE): users without a match (NULL ages too) once, with NULLs for orders' columns
      new String[] {"int", "SELECT u.id, o.id, o.total, u.age FROM users u LEFT JOIN orders o ON o.total = u.age"},
      new String[] {"int", "SELECT o.id, u.name, u.id FROM orders o LEFT OUTER JOIN users u ON u.id = o.total "
          + "AND u.manager = o.user_id"},
      new String[] {"text", "SELECT u.id, o.note, o.id FROM users u LEFT JOIN orders o ON o.note = u.city"},
      // floating-point as text differs between drivers: only H2's is Java's; SQLite's driver types DECIMAL by value
      new String[] {"h2", "SELECT p.price, p.ratio, p.big, p.small, p.word, u.name, p.age FROM users u "
          + "JOIN prices p ON p.age = u.age"},
      new String[] {"decimal", "SELECT p.price, p.big, p.small, p.word, u.name, p.age FROM users u "
          + "JOIN prices p ON p.age = u.age"},
      new String[] {"int", "SELECT p.big, p.small, p.word, u.name, p.age FROM users u JOIN prices p ON p.age = u.age"},
      new String[] {"text", "SELECT o.id, u.id FROM orders o JOIN users u ON o.note = u.city AND o.total = u.age"});

  static Stream<Arguments> statements() {
    List<Arguments> out = new ArrayList<>();
    for (Backend b : Backend.values()) {
      for (String[] s : STATEMENTS) {
        boolean hashJoin = switch (s[0]) {
          case "text" -> b != Backend.MARIADB;
          case "h2" -> b == Backend.H2;
          case "decimal" -> b != Backend.SQLITE;
          default -> true;
        };
        out.add(Arguments.of(b, s[1], hashJoin));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("statements")
  void answersAsOneDatabase(Backend backend, String sql, boolean hashJoin) throws Exception {
    Connection c = connection(backend);
    compare(backend, c, sql, hashJoin);
  }

  /** Runs {@code sql} through CollegeDB and on the reference database: equal rows (a multiset), equal metadata. */
  private static List<List<Object>> compare(Backend backend, Connection c, String sql, boolean hashJoin)
      throws Exception {
    List<List<Object>> sharded;
    List<String> metadata;
    List<String> classes = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      metadata = metadata(rs.getMetaData(), backend);
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        classes.add(rs.getMetaData().getColumnClassName(i));
      }
      sharded = rows(rs);
    }
    ExecutionInfo info = c.unwrap(CollegeConnection.class).lastExecution();
    List<List<Object>> reference;
    try (Connection ref = SETS.get(backend).reference(); Statement s = ref.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      List<String> expected = metadata(rs.getMetaData(), backend);
      if (!hashJoin && backend == Backend.SQLITE) {
        // SQLite's driver types a DECIMAL column by the first row's value, and the scratch database's rows come in
        // another order: compare without the type code there
        assertThat(withoutTypeCodes(metadata)).as(sql).isEqualTo(withoutTypeCodes(expected));
      } else {
        assertThat(metadata).as(sql).isEqualTo(expected);
      }
      reference = rows(rs);
    }
    if (hashJoin && backend == Backend.SQLITE) {
      // SQLite's driver names a column's class by the first row's value: rows come in another order here
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        boolean any = rs.next();
        for (int i = 1; i <= classes.size(); i++) {
          Object first = any ? rs.getObject(i) : null;
          assertThat(classes.get(i - 1)).as(sql).isEqualTo(first == null ? "java.lang.Object"
              : first instanceof Long ? "java.lang.Long" : first.getClass().getName());
        }
      }
    }
    assertThat(DistributedQueryTest.sorted(sharded)).as(sql).isEqualTo(DistributedQueryTest.sorted(reference));
    if (hashJoin) {
      assertThat(info.shards()).as(sql).contains("hash join").doesNotContain("scratch");
      assertThat(info.shardSql().get(info.shardSql().size() - 1)).contains(" rows) held in the driver, ")
          .endsWith(" rows) probed, " + sharded.size() + " rows joined");
    } else {
      assertThat(info.shards()).as(sql).contains("scratch").doesNotContain("hash join");
    }
    return reference;
  }

  /** {@link #metadata} lines without their fourth field, the JDBC type code. */
  private static List<String> withoutTypeCodes(List<String> metadata) {
    List<String> out = new ArrayList<>();
    for (String line : metadata) {
      String[] f = line.split(" ", -1);
      f[3] = "?";
      out.add(String.join(" ", f));
    }
    return out;
  }

  /** Each row's values: {@code getObject} (numbers by value) and {@code getString}. */
  private static List<List<Object>> rows(ResultSet rs) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    List<List<Object>> out = new ArrayList<>();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(DistributedQueryTest.normal(rs.getObject(i)) + " " + rs.getString(i));
      }
      out.add(row);
    }
    return out;
  }

  /**
   * What one database says of each column (its label, types, class, precision and scale, table and name); SQLite's
   * class names are the first row's values' (checked apart).
   */
  private static List<String> metadata(ResultSetMetaData md, Backend backend) throws SQLException {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      out.add(md.getColumnLabel(i) + " " + md.getColumnName(i) + " " + md.getTableName(i).toLowerCase() + " "
          + md.getColumnType(i) + " " + md.getColumnTypeName(i) + " " + (backend == Backend.SQLITE ? "" : md.getColumnClassName(i)) + " "
          + md.getPrecision(i) + " " + md.getScale(i) + " " + md.isNullable(i));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void manyToManyAndNullKeys(Backend backend) throws Exception {
    Connection c = connection(backend);
    List<List<Object>> rows = compare(backend, c, "SELECT u.id, u.age, o.id, o.total FROM users u JOIN orders o "
        + "ON o.total = u.age", true);
    // users' ages repeat and orders' totals repeat: some user joins several orders and some order several users
    assertThat(rows.stream().map(r -> r.get(0)).distinct().count()).isLessThan(rows.size());
    assertThat(rows.stream().map(r -> r.get(2)).distinct().count()).isLessThan(rows.size());
    assertThat(rows).allSatisfy(r -> assertThat(r.get(1)).isNotNull()); // NULL ages and totals joined nothing
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void bindsTheCallersParameters(Backend backend) throws Exception {
    Connection c = connection(backend);
    String sql = "SELECT u.id, o.id, o.total FROM users u JOIN orders o ON o.total = u.age WHERE o.user_id = ? "
        + "AND u.name <> ?";
    List<List<Object>> sharded;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, 8);
      ps.setString(2, "n3");
      try (ResultSet rs = ps.executeQuery()) {
        sharded = rows(rs);
      }
    }
    ExecutionInfo info = c.unwrap(CollegeConnection.class).lastExecution();
    assertThat(info.shards()).contains("hash join");
    try (Connection ref = SETS.get(backend).reference(); PreparedStatement ps = ref.prepareStatement(sql)) {
      ps.setInt(1, 8);
      ps.setString(2, "n3");
      try (ResultSet rs = ps.executeQuery()) {
        List<List<Object>> reference = rows(rs);
        assertThat(reference).isNotEmpty();
        assertThat(DistributedQueryTest.sorted(sharded)).isEqualTo(DistributedQueryTest.sorted(reference));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void textUnderACollationTakesTheScratchDatabase(Backend backend) throws Exception {
    Connection c = connection(backend);
    // H2 compares characters: the hash join; SQLite's NOCASE, PostgreSQL's declared "C", MariaDB's default
    // collation (case and trailing spaces ignored): the scratch database, whose answer is the backend's own
    List<List<Object>> rows = compare(backend, c, "SELECT u.id, t.id, t.label FROM users u JOIN tags t "
        + "ON t.label = u.city", backend == Backend.H2);
    boolean upper = rows.stream().anyMatch(r -> "PARIS PARIS".equals(r.get(2)));
    assertThat(upper).isEqualTo(backend == Backend.SQLITE || backend == Backend.MARIADB);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = "SQLITE")
  void otherValuesInAnSqliteIntegerColumnTakeTheScratchDatabase(Backend backend) throws Exception {
    Connection c = connection(backend);
    // the second table is the hash table: its text 'x25' and its 27.5 are found while it is read
    compare(backend, c, "SELECT u.id, m.id FROM users u JOIN mixed m ON m.k = u.age", false);
    compare(backend, c, "SELECT u.id, m.id FROM users u JOIN reals m ON m.k = u.age", false);
    compare(backend, c, "SELECT u.id, m.id FROM users u JOIN reals m ON m.k = u.age WHERE m.id <> 3", true);
    // users the hash table: its few integer ages narrow the other fragment to k IN (...), which SQLite evaluates
    // (27.5 and 'x25' are not in it, as they equal no age): only integers come back, the hash join answers
    compare(backend, c, "SELECT m.id, u.id FROM reals m JOIN users u ON m.k = u.age", true);
    compare(backend, c, "SELECT m.id, u.id FROM mixed m JOIN users u ON m.k = u.age", true);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void failsClearlyPastTheRowBound(Backend backend) throws Exception {
    connection(backend);
    try (Connection c = SETS.get(backend).connect("tables.orders.key", "user_id", "tables.cities.broadcast", "true",
        "crossShardMaxRows", "100"); Statement s = c.createStatement()) {
      // orders (150 rows, the hash table) alone passes 100; then users' 60 after orders narrowed to 45
      for (String sql : List.of("SELECT u.id, o.id FROM users u JOIN orders o ON o.total = u.age",
          "SELECT u.id, o.id FROM users u JOIN orders o ON o.total = u.age WHERE o.user_id IN (1, 2, 3, 4, 5, 6, 7, "
              + "8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18)")) {
        assertThatThrownBy(() -> s.executeQuery(sql).close())
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("54000"))
            .hasMessageContaining("crossShardMaxRows").hasMessageContaining("100");
      }
      // under the bound it runs
      try (ResultSet rs = s.executeQuery("SELECT u.id, o.id FROM users u JOIN orders o ON o.total = u.age "
          + "WHERE o.user_id IN (1, 2, 3) AND u.id < 30")) {
        assertThat(DistributedQueryTest.rows(rs)).isNotEmpty();
      }
      assertThat(c.unwrap(CollegeConnection.class).lastExecution().shards()).contains("hash join");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = "H2")
  void rowsPastTheMemoryBoundTakeTheScratchDatabase(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "hashjoinmemory", 4);
    String pad = "x".repeat(120);
    String sql = "SELECT a.pad, b.id FROM wa a JOIN wb b ON a.k = b.id";
    try (Connection small = shards.connect("crossShardMemoryMB", "1"); Connection large = shards.connect();
         Connection ref = shards.reference()) {
      for (Connection db : List.of(small, ref)) {
        try (Statement s = db.createStatement()) {
          s.execute("CREATE TABLE wa (id INT PRIMARY KEY, k INT, pad VARCHAR(200))");
          s.execute("CREATE TABLE wb (id INT PRIMARY KEY, w INT)");
        }
        db.setAutoCommit(false);
        try (PreparedStatement a = db.prepareStatement("INSERT INTO wa VALUES (?, ?, ?)");
             PreparedStatement b = db.prepareStatement("INSERT INTO wb VALUES (?, ?)")) {
          for (int i = 1; i <= 10_000; i++) {
            a.setInt(1, i);
            a.setInt(2, (int) ((long) i * 7919 % 10_000) + 1);
            a.setString(3, pad + i);
            a.addBatch();
            b.setInt(1, i);
            b.setInt(2, i % 7);
            b.addBatch();
          }
          a.executeBatch();
          b.executeBatch();
        }
        db.commit();
        db.setAutoCommit(true);
      }
      List<List<Object>> expected;
      try (Statement s = ref.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        expected = DistributedQueryTest.sorted(rows(rs));
      }
      assertThat(expected).hasSize(10_000);
      // about 3 MiB of joined rows: past 1 MiB the hash join gives up for the scratch database (which spills)
      for (Connection c : List.of(small, large)) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
          assertThat(DistributedQueryTest.sorted(rows(rs))).isEqualTo(expected);
        }
        assertThat(c.unwrap(CollegeConnection.class).lastExecution().shards())
            .contains(c == small ? "scratch" : "hash join");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void honoursTheStatementsMaxRows(Backend backend) throws Exception {
    Connection c = connection(backend);
    try (Statement s = c.createStatement()) {
      s.setMaxRows(7);
      try (ResultSet rs = s.executeQuery("SELECT u.id, o.id FROM users u JOIN orders o ON o.total = u.age")) {
        assertThat(DistributedQueryTest.rows(rs)).hasSize(7);
      }
    }
  }
}
