package org.collegedb.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.collegedb.capture.CaptureDatabases.exec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.capture.Change.Operation;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The change stream of sharded tables through CollegeDB ({@code CollegeAdmin.changeStream()}), on every backend. */
class ChangeStreamTest {
  private static final int SHARDS = CaptureDatabases.COUNT;

  private static Connection fresh(TestShards shards) throws SQLException {
    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i)) {
        ChangeCapture.uninstallAll(d);
        exec(d, "DROP TABLE IF EXISTS users", "DROP TABLE IF EXISTS countries");
      }
    }
    Connection c = shards.connect("tables.countries.broadcast", "true");
    exec(c, "CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(50))",
        "CREATE TABLE countries (code VARCHAR(2) NOT NULL PRIMARY KEY, name VARCHAR(50))");
    return c;
  }

  private static List<Change> drain(ChangeFeed feed) throws SQLException {
    List<Change> all = new ArrayList<>();
    for (List<Change> batch = feed.poll(4); !batch.isEmpty(); batch = feed.poll(4)) {
      all.addAll(batch);
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void followsEveryShardsCommittedChangesAndResumesAfterItsAcknowledgements(Backend backend) throws Exception {
    TestShards shards = CaptureDatabases.of(backend);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < SHARDS; i++) {
      index.put(shards.names().get(i), i);
    }
    List<Change> unacknowledged = new ArrayList<>();
    Map<String, Long> acknowledged;
    int total;
    try (Connection c = fresh(shards); ChangeStream stream = CollegeAdmin.of(c).changeStream()) {
      assertThat(stream.shards()).isEqualTo(shards.names());
      stream.install("users");
      stream.install("USERS"); // idempotent
      assertThat(stream.capturedTables().values()).allSatisfy(t -> assertThat(t).containsExactly("users"));
      ChangeFeed feed = stream.follow("search");

      try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
        for (long id = 1; id <= 12; id++) {
          ps.setLong(1, id);
          ps.setString(2, "u" + id);
          ps.executeUpdate();
        }
      }
      exec(c, "UPDATE users SET name = 'renamed' WHERE id IN (2, 5, 9)", "DELETE FROM users WHERE id = 5");
      c.setAutoCommit(false);
      exec(c, "UPDATE users SET name = 'never' WHERE id = 1", "INSERT INTO users (id, name) VALUES (99, 'never')");
      c.rollback();
      c.setAutoCommit(true);
      try (Connection direct = shards.direct(1)) { // a write that bypasses CollegeDB
        exec(direct, "INSERT INTO users (id, name) VALUES (1000, 'direct')");
      }

      List<Change> changes = drain(feed);
      total = changes.size();
      CollegeAdmin admin = CollegeAdmin.of(c);
      Map<Long, List<Operation>> perKey = new LinkedHashMap<>();
      Map<String, Long> lastPosition = new HashMap<>();
      for (Change ch : changes) {
        long id = (Long) ch.key().get("id");
        assertThat(ch.table()).isEqualTo("users");
        perKey.computeIfAbsent(id, k -> new ArrayList<>()).add(ch.operation());
        // each shard's changes come in position order
        assertThat(ch.position()).isGreaterThan(lastPosition.getOrDefault(ch.shard(), 0L));
        lastPosition.put(ch.shard(), ch.position());
        if (id != 1000) {
          assertThat(ch.shard()).as("shard of key %d", id).isEqualTo(admin.shardOf("users", id));
        }
        if (ch.operation() == Operation.INSERT) {
          assertThat(ch.after()).containsEntry("id", id).containsEntry("name", id == 1000 ? "direct" : "u" + id);
        }
        if (id != 5) { // the row is on the shard the change names
          assertThat(nameOn(shards, index.get(ch.shard()), id)).isNotNull();
        }
      }
      Map<Long, List<Operation>> expected = new LinkedHashMap<>();
      for (long id = 1; id <= 12; id++) {
        expected.put(id, id == 2 || id == 9 ? List.of(Operation.INSERT, Operation.UPDATE)
            : id == 5 ? List.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE) : List.of(Operation.INSERT));
      }
      expected.put(1000L, List.of(Operation.INSERT));
      assertThat(perKey).containsExactlyInAnyOrderEntriesOf(expected);
      assertThat(changes.stream().filter(ch -> (Long) ch.key().get("id") == 1000).findFirst().orElseThrow().shard())
          .isEqualTo(shards.names().get(1));
      assertThat(changes.stream().filter(ch -> (Long) ch.key().get("id") == 9 && ch.operation() == Operation.UPDATE)
          .findFirst().orElseThrow().before()).containsEntry("name", "u9");

      // Acknowledge the first half of each shard's changes, then "crash".
      Map<String, List<Change>> byShard = new LinkedHashMap<>();
      changes.forEach(ch -> byShard.computeIfAbsent(ch.shard(), s -> new ArrayList<>()).add(ch));
      List<Change> handled = new ArrayList<>();
      for (List<Change> list : byShard.values()) {
        handled.addAll(list.subList(0, list.size() / 2));
        unacknowledged.addAll(list.subList(list.size() / 2, list.size()));
      }
      feed.acknowledge(handled);
      acknowledged = feed.acknowledged();
      // CollegeDB's catalog does not show capture's tables
      try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
        while (rs.next()) {
          assertThat(rs.getString("TABLE_NAME").toLowerCase()).doesNotStartWith("collegedb");
        }
      }
    }
    try (Connection c = shards.connect("tables.countries.broadcast", "true");
         ChangeStream stream = ChangeStream.of(c)) {
      ChangeFeed again = stream.follow("search");
      assertThat(again.acknowledged()).isEqualTo(acknowledged);
      List<Change> rest = drain(again);
      assertThat(rest).containsExactlyInAnyOrderElementsOf(unacknowledged);
      again.acknowledge(rest);
      Map<String, Integer> pruned = stream.prune();
      assertThat(pruned.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
      for (int i = 0; i < SHARDS; i++) {
        try (Connection d = shards.direct(i)) {
          assertThat(ChangeCapture.size(d)).isZero();
        }
      }
      stream.uninstallAll();
      assertThat(stream.capturedTables().values()).allSatisfy(t -> assertThat(t).isEmpty());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void refusesTablesItCannotFollow(Backend backend) throws Exception {
    TestShards shards = CaptureDatabases.of(backend);
    try (Connection c = fresh(shards); ChangeStream stream = CollegeAdmin.of(c).changeStream()) {
      assertThatThrownBy(() -> stream.install("countries")).isInstanceOf(SQLException.class)
          .hasMessageContaining("broadcast").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
      assertThatThrownBy(() -> stream.install("nothing_here")).isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
      assertThatThrownBy(() -> stream.follow("early")).isInstanceOf(SQLException.class)
          .hasMessageContaining("shard 's1'").extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("55000");
    }
  }

  private static String nameOn(TestShards shards, int shard, long id) throws SQLException {
    try (Connection d = shards.direct(shard);
         PreparedStatement ps = d.prepareStatement("SELECT name FROM users WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
