package org.collegedb.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.collegedb.fixtures.Rows;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * Random key lists, as literals or parameters, answer as the reference database does and reach exactly the owners
 * of their keys (H2 shards: fast enough for many tries).
 */
class RoutingPropertiesTest {
  private static TestShards shards;
  private static Connection sharded;
  private static Connection reference;
  private static CollegeConnection college;

  @BeforeContainer
  static void seed() throws Exception {
    shards = TestShards.create(Backend.H2, "it_RoutingProperties", ShardSets.SHARDS);
    Schema.reset(shards);
    sharded = Schema.connect(shards);
    reference = shards.reference();
    college = sharded.unwrap(CollegeConnection.class);
    StringBuilder sql = new StringBuilder("INSERT INTO users (id, name, age) VALUES ");
    for (int id = 0; id <= 300; id += 3) { // every third id exists
      sql.append(id == 0 ? "" : ", ").append("(" + id + ", 'u" + id + "', " + (id % 7) + ")");
    }
    for (Connection c : List.of(sharded, reference)) {
      try (Statement s = c.createStatement()) {
        s.executeUpdate(sql.toString());
      }
    }
  }

  @AfterContainer
  static void close() throws SQLException {
    sharded.close();
    reference.close();
  }

  private static Set<String> owners(List<Integer> ids) throws SQLException {
    Set<String> owners = new TreeSet<>();
    for (int id : ids) {
      owners.add(college.shardOf("users", id));
    }
    return owners;
  }

  /** {@code (?, ?, ...)} or {@code (1, 2, ...)}, with each element a literal or a parameter as {@code asParam} says. */
  private static String list(List<Integer> ids, List<Boolean> asParam) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < ids.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(asParam.get(i % asParam.size()) ? "?" : ids.get(i).toString());
    }
    return b.append(")").toString();
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Integer> ids, List<Boolean> asParam,
      int age) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    int p = 1;
    ps.setInt(p++, age);
    for (int i = 0; i < ids.size(); i++) {
      if (asParam.get(i % asParam.size())) {
        ps.setLong(p++, ids.get(i));
      }
    }
    return ps;
  }

  @Property(tries = 150)
  void inListsAnswerAsTheReferenceAndReachOnlyOwners(@ForAll @Size(min = 1, max = 25) List<@IntRange(min = -5,
      max = 320) Integer> ids, @ForAll @Size(min = 1, max = 4) List<Boolean> asParam,
      @ForAll @IntRange(min = -1, max = 7) int age) throws SQLException {
    String sql = "SELECT id, name FROM users WHERE age > ? AND id IN " + list(ids, asParam);
    List<List<Object>> expected;
    try (PreparedStatement ps = prepare(reference, sql, ids, asParam, age)) {
      expected = Rows.sorted(Rows.read(ps.executeQuery()));
    }
    try (PreparedStatement ps = prepare(sharded, sql, ids, asParam, age)) {
      assertThat(Rows.sorted(Rows.read(ps.executeQuery()))).as(sql).isEqualTo(expected);
    }
    assertThat(new TreeSet<>(college.lastExecution().shards())).as(sql).isEqualTo(owners(ids));
    String update = "UPDATE users SET age = age WHERE age > ? AND id IN " + list(ids, asParam);
    int expectedCount;
    try (PreparedStatement ps = prepare(reference, update, ids, asParam, age)) {
      expectedCount = ps.executeUpdate();
    }
    try (PreparedStatement ps = prepare(sharded, update, ids, asParam, age)) {
      assertThat(ps.executeUpdate()).as(update).isEqualTo(expectedCount);
    }
  }

  @Property(tries = 100)
  void multiRowInsertsLandOnTheirOwners(@ForAll @Size(min = 1, max = 20) Set<@IntRange(min = 1000, max = 100_000)
      Integer> keys, @ForAll @Size(min = 1, max = 3) List<Boolean> asParam) throws SQLException {
    List<Integer> ids = new ArrayList<>(new LinkedHashSet<>(keys));
    StringBuilder sql = new StringBuilder("INSERT INTO users (name, id, age) VALUES ");
    for (int i = 0; i < ids.size(); i++) {
      boolean param = asParam.get(i % asParam.size());
      sql.append(i == 0 ? "" : ", ").append("('n").append(i).append("', ").append(param ? "?" : ids.get(i))
          .append(", ?)");
    }
    try (PreparedStatement ps = sharded.prepareStatement(sql.toString())) {
      int p = 1;
      for (int i = 0; i < ids.size(); i++) {
        if (asParam.get(i % asParam.size())) {
          ps.setInt(p++, ids.get(i));
        }
        ps.setInt(p++, i);
      }
      assertThat(ps.executeUpdate()).isEqualTo(ids.size());
    }
    assertThat(new TreeSet<>(college.lastExecution().shards())).isEqualTo(owners(ids));
    for (int i = 0; i < ids.size(); i++) {
      int owner = shards.names().indexOf(college.shardOf("users", ids.get(i)));
      try (Connection d = shards.direct(owner)) {
        assertThat(Rows.query(d, "SELECT name, age FROM users WHERE id = " + ids.get(i)))
            .containsExactly(List.of("n" + i, i));
      }
    }
    try (Statement s = sharded.createStatement()) {
      assertThat(s.executeUpdate("DELETE FROM users WHERE id IN " + list(ids, List.of(false))))
          .isEqualTo(ids.size());
    }
  }
}
