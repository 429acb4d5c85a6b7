package org.collegedb.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.ExecutionInfo;

/**
 * CollegeDB in one run: four SQLite files under {@code ./data} (made afresh each run) hold {@code users}, sharded by
 * their primary key, and {@code orders}, sharded by {@code user_id} (see {@code quickstart.yaml}). Everything goes
 * through the driver with plain JDBC; the program prints where each statement ran and how the rows are spread.
 *
 * <p>Run it from the repository root with {@code mvn -q -pl samples -am compile exec:java}.
 */
public final class Quickstart {
  private static final Path DATA = Path.of("data");
  private static final int SHARDS = 4;
  private static final int USERS = 10_000;
  private static final int ORDERS = 50_000;
  private static final int BATCH = 1_000;

  private Quickstart() {
  }

  public static void main(String[] args) throws Exception {
    recreateData();
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:classpath:quickstart.yaml")) {
      CollegeConnection college = c.unwrap(CollegeConnection.class);
      System.out.println("Shards: " + college.shardNames() + ", files under " + DATA.toAbsolutePath());

      section("Schema, created through the driver (DDL runs on every shard)");
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)");
        show(college, "CREATE TABLE users");
        st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, "
            + "amount_cents INTEGER NOT NULL, status TEXT NOT NULL)");
        show(college, "CREATE TABLE orders");
        st.execute("CREATE INDEX orders_by_user ON orders (user_id)");
        show(college, "CREATE INDEX");
      }

      section("Loading, with batched prepared statements (each batch runs per shard)");
      long start = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name, email) VALUES (?, ?, ?)")) {
        for (int id = 1; id <= USERS; id++) {
          ps.setInt(1, id);
          ps.setString(2, "User " + id);
          ps.setString(3, "user" + id + "@example.org");
          ps.addBatch();
          if (id % BATCH == 0) {
            ps.executeBatch();
          }
        }
      }
      show(college, String.format("%,d users in %d ms; last batch", USERS, millisSince(start)));
      start = System.nanoTime();
      Random random = new Random(2024);
      String[] statuses = {"paid", "paid", "paid", "shipped", "refunded"};
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO orders (id, user_id, amount_cents, status) VALUES (?, ?, ?, ?)")) {
        for (int id = 1; id <= ORDERS; id++) {
          ps.setInt(1, id);
          ps.setInt(2, 1 + random.nextInt(USERS));
          ps.setInt(3, 100 + random.nextInt(20_000));
          ps.setString(4, statuses[random.nextInt(statuses.length)]);
          ps.addBatch();
          if (id % BATCH == 0) {
            ps.executeBatch();
          }
        }
      }
      show(college, String.format("%,d orders in %d ms; last batch", ORDERS, millisSince(start)));

      section("Point reads: the key in the WHERE clause picks one shard");
      try (PreparedStatement ps = c.prepareStatement("SELECT name, email FROM users WHERE id = ?")) {
        for (int id : new int[] {1, 42, 4711, 9999}) {
          ps.setInt(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            show(college, "user " + id + " is " + rs.getString(1) + " <" + rs.getString(2) + ">");
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*), SUM(amount_cents) FROM orders WHERE user_id = ?")) {
        ps.setInt(1, 42);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          show(college, "user 42 has " + rs.getInt(1) + " orders worth " + rs.getLong(2) + " cents "
              + "(an aggregate on one shard runs there whole)");
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT u.name, o.id, o.amount_cents FROM users u "
          + "JOIN orders o ON o.user_id = u.id WHERE u.id = ?")) {
        ps.setInt(1, 42);
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows++;
          }
        }
        show(college, "join of user 42 with its orders: " + rows + " rows (users and orders are co-located)");
      }

      section("IN list: only the owners of the keys, each with its own part of the list");
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM users WHERE id IN (?, ?, ?, ?, ?)")) {
        int[] ids = {3, 14, 159, 2653, 5897};
        for (int i = 0; i < ids.length; i++) {
          ps.setInt(i + 1, ids[i]);
        }
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows++;
          }
        }
        show(college, rows + " users of ids " + java.util.Arrays.toString(ids));
      }

      section("Fan-out: no key in the WHERE clause, so every shard answers and the rows are concatenated");
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT id, user_id, amount_cents FROM orders WHERE status = 'refunded'")) {
        int rows = 0;
        long cents = 0;
        while (rs.next()) {
          rows++;
          cents += rs.getLong(3);
        }
        show(college, String.format("%,d refunded orders, %,d cents in all", rows, cents));
      }

      section("Merged across shards: each shard sends its part, CollegeDB merges them exactly");
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT status, COUNT(*), SUM(amount_cents), AVG(amount_cents) "
               + "FROM orders GROUP BY status ORDER BY COUNT(*) DESC")) {
        while (rs.next()) {
          System.out.printf("  %-10s %,7d orders %,14d cents, %,.2f on average%n", rs.getString(1), rs.getLong(2),
              rs.getLong(3), rs.getDouble(4));
        }
        show(college, "per-status totals (AVG sent to the shards as SUM and COUNT)");
      }
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT u.id, u.name, SUM(o.amount_cents) AS spent FROM users u "
               + "JOIN orders o ON o.user_id = u.id GROUP BY u.id, u.name ORDER BY spent DESC, u.id LIMIT 3")) {
        while (rs.next()) {
          System.out.printf("  user %,6d %-12s spent %,d cents%n", rs.getLong(1), rs.getString(2), rs.getLong(3));
        }
        show(college, "top 3 spenders (grouped by the shard key, so every group is whole on one shard: each shard sends its own top 3)");
      }
    }

    section("Rows per shard, read from each SQLite file directly");
    for (int s = 1; s <= SHARDS; s++) {
      Path file = DATA.resolve("s" + s + ".db");
      try (Connection shard = DriverManager.getConnection("jdbc:sqlite:" + file);
           Statement st = shard.createStatement()) {
        System.out.printf("  s%d  %,7d users  %,7d orders   (%s)%n", s, count(st, "users"), count(st, "orders"), file);
      }
    }
  }

  /** Deletes what an earlier run left in ./data, so every run starts from empty files. */
  private static void recreateData() throws IOException {
    Files.createDirectories(DATA);
    for (int s = 1; s <= SHARDS; s++) {
      for (String suffix : List.of("", "-journal", "-wal", "-shm")) {
        Files.deleteIfExists(DATA.resolve("s" + s + ".db" + suffix));
      }
    }
  }

  private static long count(Statement st, String table) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void section(String title) {
    System.out.println();
    System.out.println(title);
  }

  /** Prints what happened and where the last statement ran, with each shard's text where it differs. */
  private static void show(CollegeConnection college, String what) {
    ExecutionInfo last = college.lastExecution();
    StringBuilder line = new StringBuilder("  ").append(what).append("\n      ran on ").append(last.shards());
    for (int i = 0; i < last.shards().size(); i++) {
      if (!last.shardSql().get(i).equals(last.sql())) {
        line.append("\n      ").append(last.shards().get(i)).append(": ").append(last.shardSql().get(i));
      }
    }
    System.out.println(line);
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
