package org.collegedb.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GeneratedKeysTest {
  static String itemsDdl(TestShards.Backend backend) {
    return switch (backend) {
      case SQLITE -> "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)";
      case H2 -> "CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100))";
      case POSTGRES -> "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, name TEXT)";
      case MARIADB -> "CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100))";
    };
  }

  private static Connection connect(TestShards shards) throws Exception {
    return shards.connect("directory.url", "jdbc:sqlite:" + Files.createTempDirectory("cdb-gk").resolve("d.db"),
        "directory.blockSize", "7");
  }

  private static String nameOf(Connection c, long id) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static int copies(TestShards shards, long id) throws Exception {
    int n = 0;
    for (int s = 0; s < shards.count(); s++) {
      try (Connection d = shards.direct(s); Statement st = d.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM items WHERE id = " + id)) {
        rs.next();
        n += rs.getInt(1);
      }
    }
    return n;
  }

  @ParameterizedTest
  @EnumSource(value = TestShards.Backend.class, names = {"SQLITE", "H2", "POSTGRES", "MARIADB"})
  void keysTheDatabaseWouldGenerateAreUniqueAcrossShardsAndReturned(TestShards.Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "GeneratedKeysTest", 3);
    try (Connection c = connect(shards)) {
      c.createStatement().execute(itemsDdl(backend));
      try (Connection d = shards.direct(1); Statement st = d.createStatement()) {
        st.executeUpdate("INSERT INTO items (id, name) VALUES (500, 'old')"); // a key that existed before
      }
      Set<Long> ids = new HashSet<>();
      // Hibernate IDENTITY: one row at a time, RETURN_GENERATED_KEYS, getGeneratedKeys.
      try (PreparedStatement ps = c.prepareStatement("insert into items (name) values (?)",
          Statement.RETURN_GENERATED_KEYS)) {
        for (int i = 0; i < 25; i++) {
          ps.setString(1, "h" + i);
          assertThat(ps.executeUpdate()).isEqualTo(1);
          try (ResultSet keys = ps.getGeneratedKeys()) {
            assertThat(keys.next()).isTrue();
            long id = keys.getLong(1);
            assertThat(keys.getLong("id")).isEqualTo(id);
            assertThat(keys.next()).isFalse();
            assertThat(id).isGreaterThan(500);
            assertThat(ids.add(id)).isTrue();
            assertThat(nameOf(c, id)).isEqualTo("h" + i);
            assertThat(copies(shards, id)).isEqualTo(1);
          }
        }
      }
      // Several rows, column-name form, in the caller's row order; NULL and DEFAULT also ask for a key.
      try (Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO items (name) VALUES ('a'), ('b'), ('c')", new String[] {"id"});
        List<Long> three = new ArrayList<>();
        try (ResultSet keys = st.getGeneratedKeys()) {
          while (keys.next()) {
            three.add(keys.getLong("id"));
          }
        }
        assertThat(three).hasSize(3).doesNotHaveDuplicates();
        assertThat(nameOf(c, three.get(0))).isEqualTo("a");
        assertThat(nameOf(c, three.get(2))).isEqualTo("c");
        ids.addAll(three);
        st.executeUpdate("INSERT INTO items (id, name) VALUES (NULL, 'n'), (DEFAULT, 'd')",
            Statement.RETURN_GENERATED_KEYS);
        try (ResultSet keys = st.getGeneratedKeys()) {
          assertThat(keys.next()).isTrue();
          assertThat(nameOf(c, keys.getLong(1))).isEqualTo("n");
          assertThat(ids.add(keys.getLong(1))).isTrue();
          assertThat(keys.next()).isTrue();
          assertThat(nameOf(c, keys.getLong(1))).isEqualTo("d");
          assertThat(ids.add(keys.getLong(1))).isTrue();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, name) VALUES (?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setNull(1, Types.BIGINT);
        ps.setString(2, "p");
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          assertThat(keys.next()).isTrue();
          assertThat(nameOf(c, keys.getLong(1))).isEqualTo("p");
          assertThat(ids.add(keys.getLong(1))).isTrue();
        }
        // An explicit key is returned as given, and the counter moves past it.
        long explicit = ids.stream().mapToLong(Long::longValue).max().getAsLong() + 1000;
        ps.setLong(1, explicit);
        ps.setString(2, "x");
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          assertThat(keys.next()).isTrue();
          assertThat(keys.getLong(1)).isEqualTo(explicit);
        }
        ps.setNull(1, Types.BIGINT);
        ps.setString(2, "after");
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          assertThat(keys.next()).isTrue();
          assertThat(keys.getLong(1)).isGreaterThan(explicit);
        }
      }
      // Batches: each entry gets its own key.
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (name) VALUES (?)")) {
        for (int i = 0; i < 5; i++) {
          ps.setString(1, "b" + i);
          ps.addBatch();
        }
        assertThat(ps.executeBatch()).containsOnly(1);
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM items")) {
        List<Long> all = new ArrayList<>();
        while (rs.next()) {
          all.add(rs.getLong(1));
        }
        assertThat(all).hasSize(25 + 3 + 2 + 1 + 2 + 5 + 1).doesNotHaveDuplicates().containsAll(ids);
      }
      int used = 0;
      for (int s = 0; s < shards.count(); s++) {
        try (Connection d = shards.direct(s); Statement st = d.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM items")) {
          rs.next();
          used += rs.getInt(1) > 0 ? 1 : 0;
        }
      }
      assertThat(used).isGreaterThanOrEqualTo(2);
    }
  }
}
