package org.collegedb.writes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.fixtures.EveryBackend;
import org.collegedb.fixtures.Rows;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * An UPDATE that changes rows' shard key moves them to the new key's shard, atomically, with the count and rows one
 * database gives: every write runs on the shards and on an unsharded reference database holding the same rows, and
 * each shard is read directly to check that every row is on the shard of its key, exactly once.
 */
class KeyMoveTest {
  private static final String TABLE = "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, "
      + "total INT, note VARCHAR(20))";

  @EveryBackend
  void updatesOfTheShardKeyMoveRowsAsOneDatabaseWouldChangeThem(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "it_KeyMoveTest", 3);
    try (Connection c = shards.connect("tables.orders.key", "customer_id"); Connection ref = shards.reference();
         Statement s = c.createStatement(); Statement r = ref.createStatement()) {
      both(s, r, TABLE);
      for (int i = 1; i <= 30; i++) {
        both(s, r, "INSERT INTO orders (id, customer_id, total, note) VALUES (" + i + ", " + (i % 5) + ", " + i
            + ", " + (i % 3 == 0 ? "NULL" : "'n" + i + "'") + ")");
      }
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      int from = shardIndex(college, 8 % 5);
      int customer = otherCustomer(college, from);
      String sql = "UPDATE orders SET customer_id = ?, total = ? WHERE id = ?";
      assertThat(prepared(c, sql, customer, 800, 8)).isEqualTo(prepared(ref, sql, customer, 800, 8)).isEqualTo(1);
      assertThat(college.lastExecution().plan()).startsWith("key-move");
      sameRowsAndPlacement(shards, college, s, r);
      assertThat(directIds(shards, from)).doesNotContain(8);

      sameCount(s, r, "UPDATE orders SET customer_id = 2, note = 'moved' WHERE total < 7");
      sameRowsAndPlacement(shards, college, s, r);
      sameCount(s, r, "UPDATE orders SET customer_id = 4 WHERE customer_id IN (1, 3) AND total > 20");
      sameRowsAndPlacement(shards, college, s, r);
      // nothing matches: nothing moves
      sameCount(s, r, "UPDATE orders SET customer_id = 3 WHERE total > 1000");
      // every row to one key
      sameCount(s, r, "UPDATE orders SET customer_id = 1, total = total + 1");
      sameRowsAndPlacement(shards, college, s, r);
      assertThat(directIds(shards, shardIndex(college, 1))).hasSize(30);
    }
  }

  @EveryBackend
  void aMoveInATransactionIsUndoneByRollbackAndAFailedMoveChangesNothing(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "it_KeyMoveTxTest", 3);
    try (Connection c = shards.connect("tables.orders.key", "id"); Statement s = c.createStatement()) {
      s.execute(TABLE);
      for (int i = 1; i <= 12; i++) {
        s.executeUpdate("INSERT INTO orders (id, customer_id, total) VALUES (" + i + ", 1, " + i + ")");
      }
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      int from = shardIndex(college, "orders", 1);
      int to = -1;
      int taken = -1; // an existing id on another shard than the new id's
      for (int k = 100; to < 0; k++) {
        to = shardIndex(college, "orders", k) != from ? k : -1;
      }
      int toShard = shardIndex(college, "orders", to);
      for (int k = 2; taken < 0; k++) {
        taken = shardIndex(college, "orders", k) != toShard ? k : -1;
      }
      c.setAutoCommit(false);
      assertThat(s.executeUpdate("UPDATE orders SET id = " + to + " WHERE id = 1")).isEqualTo(1);
      assertThat(ids(s)).contains(to).doesNotContain(1);
      c.rollback();
      assertThat(ids(s)).contains(1).doesNotContain(to);
      assertThat(s.executeUpdate("UPDATE orders SET id = " + to + " WHERE id = 1")).isEqualTo(1);
      c.commit();
      c.setAutoCommit(true);
      assertThat(directIds(shards, from)).doesNotContain(1, to);
      assertThat(directIds(shards, shardIndex(college, "orders", to))).containsOnlyOnce(to);

      // the new key is taken on its shard: the statement fails as on one database, and leaves the row where it was
      String clash = "UPDATE orders SET id = " + taken + " WHERE id = " + to;
      SQLException e = catchThrowableOfType(SQLException.class, () -> s.executeUpdate(clash));
      assertThat((Throwable) e).isNotNull();
      assertThat(e.getSQLState()).startsWith("23");
      assertThat(directIds(shards, shardIndex(college, "orders", to))).containsOnlyOnce(to);
      assertThat(directIds(shards, shardIndex(college, "orders", taken))).containsOnlyOnce(taken).doesNotContain(to);
      assertThat(ids(s)).hasSize(12);
    }
  }

  private static void both(Statement s, Statement r, String sql) throws SQLException {
    s.execute(sql);
    r.execute(sql);
  }

  private static void sameCount(Statement s, Statement r, String sql) throws SQLException {
    int expected = r.executeUpdate(sql);
    assertThat(s.executeUpdate(sql)).as(sql).isEqualTo(expected);
  }

  private static int prepared(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  private static final String ROWS = "SELECT id, customer_id, total, note FROM orders";

  /** The rows equal the reference's, and each is on its key's shard exactly once (read directly). */
  private static void sameRowsAndPlacement(TestShards shards, CollegeConnection college, Statement s, Statement r)
      throws SQLException {
    List<List<Object>> expected = Rows.sorted(Rows.query(r.getConnection(), ROWS));
    assertThat(Rows.sorted(Rows.query(s.getConnection(), ROWS))).isEqualTo(expected);
    Map<Integer, Integer> seen = new HashMap<>();
    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i); Statement ds = d.createStatement();
           ResultSet rs = ds.executeQuery("SELECT id, customer_id FROM orders")) {
        while (rs.next()) {
          int id = rs.getInt(1);
          assertThat(seen.put(id, i)).as("row %s is on one shard only", id).isNull();
          assertThat(shardIndex(college, rs.getInt(2))).as("row %s is on its key's shard", id).isEqualTo(i);
        }
      }
    }
    assertThat(seen).hasSize(expected.size());
  }

  private static List<Integer> ids(Statement s) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT id FROM orders")) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }

  private static List<Integer> directIds(TestShards shards, int shard) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (Connection d = shards.direct(shard); Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT id FROM orders")) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }

  private static int shardIndex(CollegeConnection college, int customer) throws SQLException {
    return shardIndex(college, "orders", customer);
  }

  private static int shardIndex(CollegeConnection college, String table, int key) throws SQLException {
    return Integer.parseInt(college.shardOf(table, key).substring(1)) - 1;
  }

  private static int otherCustomer(CollegeConnection college, int shard) throws SQLException {
    for (int k = 0; ; k++) {
      if (shardIndex(college, k) != shard) {
        return k;
      }
    }
  }
}
