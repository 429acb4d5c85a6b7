package org.collegedb.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import org.collegedb.testing.TestShards.Backend;

/**
 * A NULL in a nullable configured shard-key column is a key like any other: one database accepts the row, so
 * CollegeDB does too, and places it at the lowest position of the hash space (KeyHasher.NULL_POSITION), which the
 * first shard (s1) owns in a first shard map; {@code WHERE key IS NULL} reads only that shard.
 */
class NullShardKeyTest {
  @EveryBackend
  void nullKeysLiveOnTheFirstShardAndIsNullReadsOnlyIt(Backend backend) throws Exception {
    Both b = Both.open(backend, NullShardKeyTest.class, List.of("events"),
        List.of("CREATE TABLE events (id INT PRIMARY KEY, tenant INT, note VARCHAR(20))"), "tables.events.key",
        "tenant");
    try {
      b.execute("INSERT INTO events (id, tenant, note) VALUES (1, NULL, 'a')");
      b.execute("INSERT INTO events (id, tenant, note) VALUES (2, 7, 'b'), (3, NULL, 'c'), (4, 8, 'd'), "
          + "(5, 9, 'e'), (6, 10, 'f')");
      for (java.sql.Connection c : List.of(b.sharded, b.reference)) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (id, tenant, note) VALUES (?, ?, ?)")) {
          for (int id = 7; id <= 9; id++) {
            ps.setInt(1, id);
            if (id == 8) {
              ps.setInt(2, 11);
            } else {
              ps.setNull(2, Types.INTEGER);
            }
            ps.setString(3, "p" + id);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      for (int id : new int[] {1, 3, 7, 9}) {
        assertThat(b.shardHolding("events", "id = " + id)).as("row %d, NULL key", id).isEqualTo(0);
      }
      List<Integer> others = new java.util.ArrayList<>();
      for (int id : new int[] {2, 4, 5, 6, 8}) {
        others.add(b.shardHolding("events", "id = " + id));
      }
      assertThat(others).as("the other keys are spread by their hash").anyMatch(s -> s != 0);

      String isNull = "SELECT id, note FROM events WHERE tenant IS NULL";
      assertThat(b.actual(isNull)).isEqualTo(b.expected(isNull)).hasSize(4);
      assertThat(b.lastShards()).containsExactly("s1");
      String either = "SELECT id FROM events WHERE tenant IS NULL OR tenant = 7";
      assertThat(b.actual(either)).isEqualTo(b.expected(either)).hasSize(5);
      assertThat(b.lastShards()).hasSizeLessThanOrEqualTo(2).contains("s1");
      String all = "SELECT COUNT(*), COUNT(tenant) FROM events";
      assertThat(b.actual(all)).isEqualTo(b.expected(all));
      try (Statement s = b.sharded.createStatement()) {
        assertThat(s.executeUpdate("UPDATE events SET note = 'z' WHERE tenant IS NULL AND id = 3")).isEqualTo(1);
        assertThat(b.lastShards()).containsExactly("s1");
        assertThat(s.executeUpdate("DELETE FROM events WHERE tenant IS NULL")).isEqualTo(4);
        assertThat(b.lastShards()).containsExactly("s1");
      }
      assertThat(b.actual("SELECT COUNT(*) FROM events")).containsExactly(List.of(5L));
    } finally {
      b.close();
    }
  }
}
