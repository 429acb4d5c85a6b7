package org.collegedb.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.ExecutionInfo;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Semi-join key pushing on the distributed path, on the four backends (the rows of {@link DistributedQueryTest}):
 * the join keys of a small loaded side narrow the other side's fragment to an IN list, so fewer rows are fetched
 * and, on a shard key, fewer shards are read; the answers equal one reference database's.
 */
class SemiJoinTest {
  /** The shards each fragment of {@code table} ran on, and its texts. */
  private record Fragments(List<String> shards, List<String> sql) {
  }

  private static List<List<Object>> both(Backend backend, String sql, Connection c) throws Exception {
    List<List<Object>> sharded;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      sharded = DistributedQueryTest.rows(rs);
    }
    List<List<Object>> reference;
    TestShards shards = shardsOf(backend);
    try (Connection ref = shards.reference(); Statement s = ref.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      reference = DistributedQueryTest.rows(rs);
    }
    assertThat(DistributedQueryTest.sorted(sharded)).as(sql).isEqualTo(DistributedQueryTest.sorted(reference));
    return reference;
  }

  private static final java.util.Map<Backend, TestShards> SETS = new java.util.EnumMap<>(Backend.class);
  private static final java.util.Map<Backend, Connection> CONNECTIONS = new java.util.EnumMap<>(Backend.class);

  private static synchronized Connection connection(Backend backend) throws Exception {
    Connection c = CONNECTIONS.get(backend);
    if (c == null) {
      TestShards shards = TestShards.create(backend, "semijoin", 4);
      c = DistributedQueryTest.fixture(shards);
      SETS.put(backend, shards);
      CONNECTIONS.put(backend, c);
    }
    return c;
  }

  private static TestShards shardsOf(Backend backend) {
    return SETS.get(backend);
  }

  private static Fragments fragments(Connection c, String table) throws Exception {
    ExecutionInfo info = c.unwrap(CollegeConnection.class).lastExecution();
    assertThat(info.shards()).containsAnyOf("scratch", "hash join"); // the distributed path answered
    List<String> shards = new ArrayList<>();
    List<String> sql = new ArrayList<>();
    for (int i = 0; i < info.shards().size(); i++) {
      if (!info.shards().get(i).equals("scratch") && !info.shards().get(i).equals("hash join") && info.shardSql().get(i).contains(" FROM " + table + " ")) {
        shards.add(info.shards().get(i));
        sql.add(info.shardSql().get(i));
      }
    }
    return new Fragments(shards, sql);
  }

  @AfterAll
  static void close() throws Exception {
    for (Connection c : CONNECTIONS.values()) {
      c.close();
    }
    CONNECTIONS.clear();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void narrowsTheOtherSideToTheSmallSidesKeys(Backend backend) throws Exception {
    Connection c = connection(backend);
    // users narrowed to 3 rows by its own condition: their ages become orders' IN list
    String sql = "SELECT u.id, o.id, o.total FROM users u JOIN orders o ON o.total = u.age WHERE u.id IN (3, 14, 15)";
    assertThat(both(backend, sql, c)).isNotEmpty();
    Fragments orders = fragments(c, "orders");
    assertThat(orders.sql()).isNotEmpty().allSatisfy(s -> assertThat(s).containsPattern("total IN \\(\\d+(, \\d+)*\\)"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void readsOnlyTheShardsOwningTheKeys(Backend backend) throws Exception {
    Connection c = connection(backend);
    // orders is sharded by user_id; users m pinned to one row: its manager is the one key orders is read for
    String sql = "SELECT m.id, o.id, o.total FROM users m JOIN orders o ON o.user_id = m.manager WHERE m.id = 10";
    assertThat(both(backend, sql, c)).isNotEmpty();
    Fragments orders = fragments(c, "orders");
    assertThat(orders.sql()).singleElement().satisfies(s -> assertThat(s).contains("user_id IN ("));
    assertThat(orders.shards()).hasSize(1); // not all 4
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void anEmptySmallSideFetchesNothingFromTheOther(Backend backend) throws Exception {
    Connection c = connection(backend);
    String sql = "SELECT u.id, o.id FROM users u JOIN orders o ON o.total = u.age WHERE u.id = 100000";
    assertThat(both(backend, sql, c)).isEmpty();
    assertThat(fragments(c, "orders").sql()).allSatisfy(s -> assertThat(s).contains("1 = 0"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void keepsEveryRowWhereTheEqualityDoesNotBindEveryRow(Backend backend) throws Exception {
    Connection c = connection(backend);
    // an outer join keeps orders' unmatched rows
    String sql = "SELECT o.id, u.id FROM orders o LEFT JOIN users u ON o.total = u.age AND u.id IN (3, 14, 15)";
    assertThat(both(backend, sql, c)).isNotEmpty();
    assertThat(fragments(c, "orders").sql()).isNotEmpty().allSatisfy(s -> assertThat(s).doesNotContain(" IN ("));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void sendsTextKeysWhereEqualTextIsEqualCharacters(Backend backend) throws Exception {
    Connection c = connection(backend);
    // VARCHAR columns without a collation: on H2, PostgreSQL and SQLite equal text is the same string, so the cities
    // of three users become orders' IN list (the hash join's, then the scratch path's with a third table); MariaDB's
    // default collation ignores case and trailing spaces, so there the fragment stays whole
    for (String sql : List.of(
        "SELECT u.id, o.id FROM users u JOIN orders o ON o.note = u.city WHERE u.id IN (3, 14, 15)",
        "SELECT u.id, o.id, x.id FROM users u JOIN orders o ON o.note = u.city JOIN users x ON x.id = o.user_id "
            + "WHERE u.id IN (3, 14, 15)")) {
      assertThat(both(backend, sql, c)).isNotEmpty();
      if (backend == Backend.MARIADB) {
        assertThat(fragments(c, "orders").sql()).isNotEmpty().allSatisfy(s -> assertThat(s).doesNotContain("note IN"));
      } else {
        assertThat(fragments(c, "orders").sql()).isNotEmpty()
            .allSatisfy(s -> assertThat(s).containsPattern("note IN \\('[a-z]+'(, '[a-z]+')*\\)"));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void keepsTextKeysWholeWhereACollationDecidesEquality(Backend backend) throws Exception {
    Connection c = connection(backend);
    // a column whose equality is not equality of characters: H2's VARCHAR_IGNORECASE, a declared collation on
    // PostgreSQL and SQLite; its values differ from users.city in case and padding only
    String type = switch (backend) {
      case H2 -> "VARCHAR_IGNORECASE(20)";
      case POSTGRES -> "VARCHAR(20) COLLATE \"C\"";
      case SQLITE -> "VARCHAR(20) COLLATE NOCASE";
      default -> "VARCHAR(20)";
    };
    try (Connection ref = shardsOf(backend).reference()) {
      for (Connection db : List.of(c, ref)) {
        try (Statement s = db.createStatement()) {
          s.execute("DROP TABLE IF EXISTS visits");
          s.execute("CREATE TABLE visits (id INT PRIMARY KEY, place " + type + ")");
          s.execute("INSERT INTO visits VALUES (1, 'Paris'), (2, 'ROME'), (3, 'oslo'), (4, 'paris'), (5, NULL)");
        }
      }
    }
    String sql = "SELECT u.id, v.id FROM users u JOIN visits v ON v.place = u.city WHERE u.id IN (3, 14, 15, 16)";
    both(backend, sql, c);
    assertThat(fragments(c, "visits").sql()).isNotEmpty().allSatisfy(s -> assertThat(s).doesNotContain(" IN ("));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void sendsQuotesInTextKeysAsLiterals(Backend backend) throws Exception {
    Connection c = connection(backend);
    try (Connection ref = shardsOf(backend).reference()) {
      for (Connection db : List.of(c, ref)) {
        try (Statement s = db.createStatement()) {
          s.execute("DROP TABLE IF EXISTS tags");
          s.execute("CREATE TABLE tags (id INT PRIMARY KEY, label VARCHAR(20), city VARCHAR(20))");
          s.execute("INSERT INTO tags VALUES (1, 'o''brien', 'paris'), (2, 'x', 'rome'), (3, 'o''brien', NULL), "
              + "(4, 'it''s', 'oslo')");
          s.execute("DROP TABLE IF EXISTS notes");
          s.execute("CREATE TABLE notes (id INT PRIMARY KEY, label VARCHAR(20))");
          s.execute("INSERT INTO notes VALUES (10, 'o''brien'), (11, 'it''s'), (12, 'x'), (13, 'O''BRIEN')");
        }
      }
    }
    String sql = "SELECT t.id, n.id FROM tags t JOIN notes n ON n.label = t.label WHERE t.id IN (1, 3, 4)";
    assertThat(both(backend, sql, c)).hasSize(backend == Backend.MARIADB ? 5 : 3);
    if (backend != Backend.MARIADB) {
      assertThat(fragments(c, "notes").sql()).isNotEmpty()
          .allSatisfy(s -> assertThat(s).contains("label IN ('it''s', 'o''brien')"));
    }
  }
}
