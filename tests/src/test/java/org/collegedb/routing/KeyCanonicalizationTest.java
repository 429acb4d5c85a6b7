package org.collegedb.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.fixtures.AllBackends;
import org.collegedb.fixtures.Rows;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * A key is one key however it is bound: every setter and the literal route to the same shard and find the row.
 *
 * <p>On PostgreSQL the shards get {@code stringtype=unspecified}: without it PostgreSQL itself refuses
 * {@code bigint = varchar}, whatever CollegeDB does.
 */
class KeyCanonicalizationTest {
  private TestShards shards;
  private Connection c;
  private CollegeConnection college;

  private void open(Backend backend) throws Exception {
    shards = ShardSets.of(backend, KeyCanonicalizationTest.class);
    Schema.reset(shards);
    List<String> settings = new ArrayList<>(List.of("tables.accounts.broadcast", "false"));
    if (backend == Backend.POSTGRES) {
      for (String name : shards.names()) {
        settings.addAll(List.of("shards." + name + ".properties.stringtype", "unspecified"));
      }
    }
    c = Schema.connect(shards, settings.toArray(String[]::new));
    college = c.unwrap(CollegeConnection.class);
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS accounts");
      s.execute("CREATE TABLE accounts (email VARCHAR(100) PRIMARY KEY, name VARCHAR(50))");
    }
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps, int index) throws SQLException;
  }

  private static Map<String, Binder> bindingsOf(long key) {
    Map<String, Binder> b = new LinkedHashMap<>();
    b.put("setInt", (ps, i) -> ps.setInt(i, (int) key));
    b.put("setLong", (ps, i) -> ps.setLong(i, key));
    b.put("setShort", (ps, i) -> ps.setShort(i, (short) key));
    b.put("setByte", (ps, i) -> ps.setByte(i, (byte) key));
    b.put("setString", (ps, i) -> ps.setString(i, Long.toString(key)));
    b.put("setObject(Long)", (ps, i) -> ps.setObject(i, key));
    b.put("setObject(Integer)", (ps, i) -> ps.setObject(i, (int) key));
    b.put("setBigDecimal", (ps, i) -> ps.setBigDecimal(i, BigDecimal.valueOf(key)));
    b.put("setBigDecimal(scale 2)", (ps, i) -> ps.setBigDecimal(i, BigDecimal.valueOf(key).setScale(2)));
    b.put("setObject(BigDecimal)", (ps, i) -> ps.setObject(i, BigDecimal.valueOf(key)));
    return b;
  }

  /** The name of the user found by {@code sql}, checking it ran on the key's shard only. */
  private String findOnOwner(PreparedStatement ps, String table, Object key) throws SQLException {
    List<List<Object>> rows = Rows.read(ps.executeQuery());
    assertThat(college.lastExecution().shards()).containsExactly(college.shardOf(table, key));
    assertThat(rows).hasSize(1);
    return (String) rows.get(0).get(0);
  }

  @AllBackends
  void anIntegerKeyBoundAnyWayReachesItsShardAndFindsTheRow(Backend backend) throws Exception {
    open(backend);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO users (id, name) VALUES (7, 'seven')");
      String owner = college.shardOf("users", 7L);
      assertThat(college.shardOf("users", 7)).isEqualTo(owner);
      assertThat(college.shardOf("users", "7")).isEqualTo(owner);
      assertThat(college.shardOf("users", new BigDecimal("7.000"))).isEqualTo(owner);
      try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
        for (Map.Entry<String, Binder> b : bindingsOf(7).entrySet()) {
          b.getValue().bind(ps, 1);
          assertThat(findOnOwner(ps, "users", 7L)).as(b.getKey()).isEqualTo("seven");
        }
      }
      for (String literal : List.of("7", "'7'", "7.0")) {
        List<List<Object>> rows = Rows.query(c, "SELECT name FROM users WHERE id = " + literal);
        assertThat(college.lastExecution().shards()).as(literal).containsExactly(owner);
        assertThat(rows).as(literal).containsExactly(List.of("seven"));
      }
    } finally {
      c.close();
    }
  }

  @AllBackends
  void rowsWrittenWithAnyBindingAreFoundWithAnyOther(Backend backend) throws Exception {
    open(backend);
    try {
      long key = 110; // small enough for setByte
      List<Long> keys = new ArrayList<>();
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
        for (Map.Entry<String, Binder> b : bindingsOf(0).entrySet()) {
          long bound = key++;
          bindingsOf(bound).get(b.getKey()).bind(ins, 1);
          ins.setString(2, "n" + bound);
          assertThat(ins.executeUpdate()).as(b.getKey()).isEqualTo(1);
          assertThat(college.lastExecution().shards()).as(b.getKey()).containsExactly(college.shardOf("users", bound));
          keys.add(bound);
        }
      }
      for (long k : List.of(5_000_000_000L, -3L)) {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO users (id, name) VALUES (" + k + ", 'n" + k + "')");
        }
        keys.add(k);
      }
      for (long k : keys) {
        int owner = shards.names().indexOf(college.shardOf("users", k));
        try (Connection d = shards.direct(owner)) {
          assertThat(Rows.query(d, "SELECT name FROM users WHERE id = " + k)).as("key %d on its shard", k)
              .containsExactly(List.of("n" + k));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
          ps.setString(1, Long.toString(k));
          assertThat(findOnOwner(ps, "users", k)).isEqualTo("n" + k);
          ps.setLong(1, k);
          assertThat(findOnOwner(ps, "users", k)).isEqualTo("n" + k);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE users SET name = 'updated' WHERE id = ?")) {
        ps.setBigDecimal(1, new BigDecimal("5000000000"));
        assertThat(ps.executeUpdate()).isEqualTo(1);
        ps.setString(1, "-3");
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      assertThat(Rows.sorted(Rows.query(c, "SELECT id FROM users WHERE name = 'updated'")))
          .extracting(r -> ((Number) r.get(0)).longValue()).containsExactly(-3L, 5_000_000_000L);
    } finally {
      c.close();
    }
  }

  @AllBackends
  void aTextKeyBoundOrWrittenAsALiteralIsOneKey(Backend backend) throws Exception {
    open(backend);
    try {
      String[] emails = {"alice@example.com", "Bob@Example.com", "007", "7", "ünïcödé@例え.jp", "o'hara@x.org"};
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (email, name) VALUES (?, ?)")) {
        for (String e : emails) {
          ps.setString(1, e);
          ps.setString(2, "name of " + e);
          assertThat(ps.executeUpdate()).isEqualTo(1);
          assertThat(college.lastExecution().shards()).containsExactly(college.shardOf("accounts", e));
        }
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO accounts (email, name) VALUES ('carol@example.com', 'literal')");
      }
      int owner = shards.names().indexOf(college.shardOf("accounts", "carol@example.com"));
      try (Connection d = shards.direct(owner)) {
        assertThat(Rows.count(d, "SELECT COUNT(*) FROM accounts WHERE email = 'carol@example.com'")).isEqualTo(1);
      }
      for (String e : List.of("alice@example.com", "Bob@Example.com", "007", "7", "ünïcödé@例え.jp", "o'hara@x.org",
          "carol@example.com")) {
        String expected = e.equals("carol@example.com") ? "literal" : "name of " + e;
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM accounts WHERE email = ?")) {
          ps.setString(1, e);
          assertThat(findOnOwner(ps, "accounts", e)).as(e).isEqualTo(expected);
          ps.setObject(1, e);
          assertThat(findOnOwner(ps, "accounts", e)).as(e).isEqualTo(expected);
        }
        List<List<Object>> rows = Rows.query(c, "SELECT name FROM accounts WHERE email = '" + e.replace("'", "''")
            + "'");
        assertThat(college.lastExecution().shards()).as(e).containsExactly(college.shardOf("accounts", e));
        assertThat(rows).as(e).containsExactly(List.of(expected));
      }
    } finally {
      c.close();
    }
  }
}
