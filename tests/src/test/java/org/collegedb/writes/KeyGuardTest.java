package org.collegedb.writes;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.collegedb.fixtures.AllBackends;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * An UPDATE that sets the shard key to the value the row has already (as ORMs write every column) runs, on the key's
 * shard; one that changes a row's key moves the row ({@code KeyMoveTest}).
 */
class KeyGuardTest {
  @AllBackends
  void settingTheKeyARowHasAlreadyRunsOnItsShardAndChangingItMovesTheRow(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "it_KeyGuardTest", 3);
    try (Connection c = shards.connect("tables.orders.key", "customer_id"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total INT)");
      for (int i = 1; i <= 30; i++) {
        s.executeUpdate("INSERT INTO orders (id, customer_id, total) VALUES (" + i + ", " + (i % 5) + ", " + i + ")");
      }
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET customer_id = ?, total = ? WHERE id = ?")) {
        ps.setInt(1, 7 % 5); // order 7's own customer
        ps.setInt(2, 700);
        ps.setInt(3, 7);
        assertThat(ps.executeUpdate()).isEqualTo(1);
        assertThat(college.lastExecution().shards()).containsExactly(college.shardOf("orders", 2));

        ps.setInt(1, 4); // another customer: the row moves to that customer's shard (KeyMoveTest has more)
        ps.setInt(2, 800);
        ps.setInt(3, 8);
        assertThat(ps.executeUpdate()).isEqualTo(1);
        assertThat(college.lastExecution().plan()).startsWith("key-move");
      }
      try (ResultSet rs = s.executeQuery("SELECT id, customer_id, total FROM orders WHERE id IN (7, 8) ORDER BY id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(3)).isEqualTo(700);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(2)).isEqualTo(4);
        assertThat(rs.getInt(3)).isEqualTo(800);
        assertThat(rs.next()).isFalse();
      }
      // Rows that have the key already run guarded, on the key's shard only.
      assertThat(s.executeUpdate("UPDATE orders SET customer_id = 1, total = 1 WHERE customer_id = 1 OR id = 6"))
          .isEqualTo(6);
      assertThat(s.executeUpdate("UPDATE orders SET customer_id = 1, total = 2 WHERE customer_id = 1")).isEqualTo(6);
      assertThat(college.lastExecution().shards()).containsExactly(college.shardOf("orders", 1));
    }
  }
}
