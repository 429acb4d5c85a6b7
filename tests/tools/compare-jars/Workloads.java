import java.sql.*;
import org.collegedb.testing.TestShards;

/**
 * The four statements of DriverOverheadBenchmark and FanOutBenchmark (prepared point select, prepared insert, fan-out
 * COUNT(*), fan-out ORDER BY ... LIMIT 10 OFFSET 100) on four in-memory H2 shards, as a Runnable per operation. Compiled
 * against one benchmarks jar's TestShards and loaded into each jar's class loader by CompareJars and TraceCalls.
 */
public class Workloads {
  static long sink;
  static final int DEL = Integer.getInteger("deleteEvery", 0);

  public static Runnable setup(String work, boolean direct) throws Exception {
    TestShards shards = TestShards.create(TestShards.Backend.H2, "compare" + work, 4);
    Connection c;
    if (Boolean.getBoolean("trace")) {
      Class.forName("TraceDriver");
      java.util.Properties p = shards.properties();
      for (String k : p.stringPropertyNames()) if (k.endsWith(".url")) p.setProperty(k, "jdbc:trace:" + p.getProperty(k));
      c = DriverManager.getConnection("jdbc:collegedb:", p);
    } else {
      c = direct ? shards.reference() : shards.connect();
    }
    Runnable op;
    if (work.equals("point") || work.equals("insert")) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, email VARCHAR(128) NOT NULL, age INT)");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name, email, age) VALUES (?, ?, ?, ?)")) {
        for (int id = 1; id <= 10000; id++) {
          ps.setLong(1, id); ps.setString(2, "user " + id); ps.setString(3, "user" + id + "@example.org"); ps.setInt(4, 18 + id % 60);
          ps.addBatch();
          if (id % 1000 == 0) ps.executeBatch();
        }
      }
    } else {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE events (id BIGINT PRIMARY KEY, user_id INT NOT NULL, amount INT NOT NULL, created BIGINT NOT NULL)");
        st.execute("CREATE INDEX events_created ON events (created)");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (id, user_id, amount, created) VALUES (?, ?, ?, ?)")) {
        for (int id = 1, n = Integer.getInteger("events", 40000); id <= n; id++) {
          ps.setLong(1, id); ps.setInt(2, id % 997); ps.setInt(3, id * 31 % 1000); ps.setLong(4, (long) id * 7919 % 100_003);
          ps.addBatch();
          if (id % 2000 == 0) ps.executeBatch();
        }
      }
    }
    PreparedStatement ps;
    long[] next = {1_000_000_000L};
    int[] k = {0};
    switch (work) {
      case "point" -> {
        ps = c.prepareStatement("SELECT id, name, email, age FROM users WHERE id = ?");
        op = () -> { try {
          ps.setLong(1, (k[0] = (k[0] * 7 + 13) % 10000) + 1);
          try (ResultSet rs = ps.executeQuery()) { rs.next(); sink += rs.getLong(1) + rs.getString(2).length() + rs.getString(3).length() + rs.getInt(4); }
        } catch (SQLException e) { throw new RuntimeException(e); } };
      }
      case "insert" -> {
        ps = c.prepareStatement("INSERT INTO users (id, name, email, age) VALUES (?, ?, ?, ?)");
        op = () -> { try {
          ps.setLong(1, next[0]++); ps.setString(2, "new user"); ps.setString(3, "new@example.org"); ps.setInt(4, 30);
          sink += ps.executeUpdate();
        } catch (SQLException e) { throw new RuntimeException(e); } };
      }
      case "count" -> {
        ps = c.prepareStatement("SELECT COUNT(*) FROM events");
        op = () -> { try (ResultSet rs = ps.executeQuery()) { rs.next(); sink += rs.getLong(1); } catch (SQLException e) { throw new RuntimeException(e); } };
      }
      case "page" -> {
        ps = c.prepareStatement("SELECT id, amount FROM events ORDER BY created DESC, id LIMIT 10 OFFSET 100");
        op = () -> { try (ResultSet rs = ps.executeQuery()) { while (rs.next()) sink += rs.getLong(1) + rs.getInt(2); } catch (SQLException e) { throw new RuntimeException(e); } };
      }
      default -> throw new IllegalArgumentException(work);
    }
    if (work.equals("insert")) {
      Runnable ins = op;
      Connection cc = c;
      int[] n = {0};
      op = () -> { if (DEL > 0 && ++n[0] % DEL == 0) { try (Statement st = cc.createStatement()) { st.executeUpdate("DELETE FROM users WHERE id >= 1000000000"); } catch (SQLException e) { throw new RuntimeException(e); } }
        ins.run(); };
    }
    return op;
  }
}
