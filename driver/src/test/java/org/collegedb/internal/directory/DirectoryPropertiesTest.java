package org.collegedb.internal.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.admin.LookupRecord;
import org.collegedb.internal.value.KeyHasher;
import org.collegedb.internal.value.KeyType;

/**
 * Invariants of the directory over random sequences of writes and reads by two driver instances sharing it: every
 * row has its lookup entry, pointing at its shard; results are those of a plain map, with the cache on and off; and
 * extra entries (left by crashed writes) never change an answer.
 */
class DirectoryPropertiesTest {
  /** One operation, by driver instance 0 or 1. */
  record Op(int kind, int instance, long id, String email) {
    @Override
    public String toString() {
      return switch (kind) {
        case 0 -> instance + ":insert(" + id + "," + email + ")";
        case 1 -> instance + ":update(" + id + "," + email + ")";
        case 2 -> instance + ":delete(" + id + ")";
        case 3 -> instance + ":byEmail(" + email + ")";
        default -> instance + ":byId(" + id + ")";
      };
    }
  }

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 1),
        Arbitraries.longs().between(1, 6), Arbitraries.of("a@x", "b@x", "c@x", "d@x", "e@x"))
        .as(Op::new);
    return op.list().ofMinSize(5).ofMaxSize(30);
  }

  @Provide
  Arbitrary<List<String>> extraEmails() {
    return Arbitraries.of("a@x", "b@x", "c@x", "d@x", "e@x", "z@x").list().ofMaxSize(6);
  }

  /** Two shards, one directory, two driver instances. */
  private static final class World implements AutoCloseable {
    final String[] shards;
    final String directory;
    final Connection[] instances = new Connection[2];

    World(boolean cache) throws SQLException {
      String run = UUID.randomUUID().toString().replace("-", "");
      shards = new String[] {"jdbc:h2:mem:p" + run + "a;DB_CLOSE_DELAY=-1", "jdbc:h2:mem:p" + run + "b;DB_CLOSE_DELAY=-1"};
      directory = "jdbc:h2:mem:p" + run + "dir;DB_CLOSE_DELAY=-1";
      for (int i = 0; i < 2; i++) {
        Properties p = new Properties();
        p.setProperty("shards.s1.url", shards[0]);
        p.setProperty("shards.s2.url", shards[1]);
        p.setProperty("directory.url", directory);
        p.setProperty("directory.secret", "k3y");
        p.setProperty("directory.orphanAfter", "60");
        p.setProperty("tables.users.lookup", "email");
        p.setProperty("directory.cacheSize", cache ? "1000" : "0");
        p.setProperty("fanoutThreads", Integer.toString(i + 1)); // two runtimes
        instances[i] = DriverManager.getConnection("jdbc:collegedb:", p);
      }
      try (Statement s = instances[0].createStatement()) {
        s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(20))");
      }
    }

    String apply(Op op) throws SQLException {
      Connection c = instances[op.instance()];
      try {
        switch (op.kind()) {
          case 0 -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, email) VALUES (?, ?)")) {
              ps.setLong(1, op.id());
              ps.setString(2, op.email());
              return "inserted " + ps.executeUpdate();
            }
          }
          case 1 -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET email = ? WHERE id = ?")) {
              ps.setString(1, op.email());
              ps.setLong(2, op.id());
              return "updated " + ps.executeUpdate();
            }
          }
          case 2 -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
              ps.setLong(1, op.id());
              return "deleted " + ps.executeUpdate();
            }
          }
          case 3 -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE email = ?")) {
              ps.setString(1, op.email());
              return rows(ps);
            }
          }
          default -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT email FROM users WHERE id = ?")) {
              ps.setLong(1, op.id());
              return rows(ps);
            }
          }
        }
      } catch (SQLException e) {
        if ("23505".equals(e.getSQLState())) {
          return "duplicate";
        }
        throw e;
      }
    }

    private static String rows(PreparedStatement ps) throws SQLException {
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out.toString();
    }

    /** Where each row is, read from the shards directly: id to shard name. */
    Map<Long, String> physical() throws SQLException {
      Map<Long, String> out = new HashMap<>();
      for (int s = 0; s < 2; s++) {
        try (Connection d = DriverManager.getConnection(shards[s]); Statement st = d.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM users")) {
          while (rs.next()) {
            out.put(rs.getLong(1), "s" + (s + 1));
          }
        }
      }
      return out;
    }

    /** Adds entries for emails that no row has, pointing at a shard, made long ago (as a crashed write leaves). */
    void addExtraEntries(List<String> emails, Map<Long, String> model) throws SQLException {
      DirectoryKeys keys = new DirectoryKeys("k3y", true);
      DirectoryStore store = new DirectoryStore(directory, null, null, keys);
      List<DirectoryStore.NewLookup> extra = new ArrayList<>();
      for (int i = 0; i < emails.size(); i++) {
        if (!model.containsValue(emails.get(i))) {
          String vkey = keys.lookup("users", "email", KeyHasher.canonical(KeyType.TEXT, emails.get(i)));
          if (extra.stream().noneMatch(e -> e.vkey().equals(vkey))) {
            extra.add(new DirectoryStore.NewLookup("users", "email", vkey, "s" + (1 + i % 2)));
          }
        }
      }
      store.insertLookups(extra, 42, 0);
    }

    @Override
    public void close() throws SQLException {
      for (Connection c : instances) {
        c.close();
      }
    }
  }

  /** What a plain map says each operation gives. */
  private static String expected(Op op, Map<Long, String> rows) {
    switch (op.kind()) {
      case 0 -> {
        if (rows.containsKey(op.id()) || rows.containsValue(op.email())) {
          return "duplicate";
        }
        rows.put(op.id(), op.email());
        return "inserted 1";
      }
      case 1 -> {
        if (!rows.containsKey(op.id())) {
          return "updated 0";
        }
        if (!op.email().equals(rows.get(op.id())) && rows.containsValue(op.email())) {
          return "duplicate";
        }
        rows.put(op.id(), op.email());
        return "updated 1";
      }
      case 2 -> {
        return "deleted " + (rows.remove(op.id()) == null ? 0 : 1);
      }
      case 3 -> {
        List<String> ids = new ArrayList<>();
        rows.forEach((id, email) -> {
          if (email.equals(op.email())) {
            ids.add(Long.toString(id));
          }
        });
        return ids.toString();
      }
      default -> {
        return rows.containsKey(op.id()) ? List.of(rows.get(op.id())).toString() : "[]";
      }
    }
  }

  /** Every row has its entry, and the entry names the row's shard. */
  private static void everyRowHasItsEntry(World w, Map<Long, String> model) throws SQLException {
    Map<Long, String> physical = w.physical();
    assertThat(physical.keySet()).containsExactlyInAnyOrderElementsOf(model.keySet());
    CollegeAdmin admin = CollegeAdmin.of(w.instances[0]);
    for (Map.Entry<Long, String> row : model.entrySet()) {
      LookupRecord r = admin.lookupKeys("users", "email", row.getValue()).orElseThrow(
          () -> new AssertionError("no entry for the row " + row));
      assertThat(r.shard()).isEqualTo(physical.get(row.getKey()));
      assertThat(((Number) r.key().values().iterator().next()).longValue()).isEqualTo(row.getKey());
    }
  }

  @Property(tries = 25)
  void answersAreAPlainMapsWithTheCacheOnAndOff(@ForAll("operations") List<Op> ops) throws SQLException {
    try (World cached = new World(true); World uncached = new World(false)) {
      Map<Long, String> model = new HashMap<>();
      for (Op op : ops) {
        String want = expected(op, model);
        assertThat(cached.apply(op)).as("%s with the cache", op).isEqualTo(want);
        assertThat(uncached.apply(op)).as("%s without the cache", op).isEqualTo(want);
      }
      everyRowHasItsEntry(cached, model);
      everyRowHasItsEntry(uncached, model);
    }
  }

  @Property(tries = 20)
  void extraEntriesNeverChangeAnAnswer(@ForAll("operations") List<Op> before, @ForAll("extraEmails") List<String> extra,
      @ForAll("operations") List<Op> after) throws SQLException {
    try (World w = new World(true)) {
      Map<Long, String> model = new HashMap<>();
      for (Op op : before) {
        assertThat(w.apply(op)).as("%s", op).isEqualTo(expected(op, model));
      }
      w.addExtraEntries(extra, model);
      for (Op op : after) {
        assertThat(w.apply(op)).as("%s after extra entries for %s", op, extra).isEqualTo(expected(op, model));
      }
      everyRowHasItsEntry(w, model);
    }
  }
}
