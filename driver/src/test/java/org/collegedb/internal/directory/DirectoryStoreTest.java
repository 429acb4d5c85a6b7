package org.collegedb.internal.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryStoreTest {
  private static DirectoryStore store(String url, String kind, String secret) {
    return new DirectoryStore(url, DirectoryDatabases.user(kind), null, new DirectoryKeys(secret, true));
  }

  private static long count(String url, String kind, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, DirectoryDatabases.user(kind), "");
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "h2", "postgres"})
  void createsItsSchemaOnFirstUseWithAVersion(String kind) throws Exception {
    String url = DirectoryDatabases.url(kind, "DirectoryStoreTest_schema");
    DirectoryStore store = store(url, kind, "s3cret");
    assertThat(store.hasCounter("nothing")).isFalse();
    try (Connection c = DriverManager.getConnection(url, DirectoryDatabases.user(kind), "");
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT meta_value FROM collegedb_dir_meta WHERE meta_name = 'schema_version'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("1");
    }
    // A second instance with another secret must not share it.
    DirectoryStore other = store(url, kind, "another");
    assertThatThrownBy(() -> other.hasCounter("x")).isInstanceOf(SQLException.class)
        .hasMessageContaining("directory.secret").extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("HY024");
    assertThat(store(url, kind, "s3cret").hasCounter("nothing")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "h2", "postgres"})
  void countersHandOutEveryValueOnceUnderConcurrency(String kind) throws Exception {
    String url = DirectoryDatabases.url(kind, "DirectoryStoreTest_counter");
    DirectoryStore a = store(url, kind, null);
    DirectoryStore b = store(url, kind, null); // a second instance on the same directory
    a.createCounter("key:t.id", 1000);
    a.createCounter("key:t.id", 5); // exists: unchanged
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Long>> results = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      DirectoryStore s = i % 2 == 0 ? a : b;
      results.add(pool.submit(() -> s.add("key:t.id", 10)));
    }
    Set<Long> ends = Collections.synchronizedSet(new HashSet<>());
    for (Future<Long> f : results) {
      ends.add(f.get());
    }
    pool.shutdown();
    assertThat(ends).hasSize(120);
    assertThat(ends).allMatch(e -> e > 1000 && (e - 1000) % 10 == 0);
    assertThat(ends.stream().mapToLong(Long::longValue).max().getAsLong()).isEqualTo(1000 + 1200);
    a.raise("key:t.id", 5000);
    a.raise("key:t.id", 10); // never down
    assertThat(a.add("key:t.id", 1)).isEqualTo(5001);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "h2", "postgres"})
  void lookupEntriesAreInsertedOnceAndTakenOverOrDeletedOnlyByToken(String kind) throws Exception {
    String url = DirectoryDatabases.url(kind, "DirectoryStoreTest_lookup");
    DirectoryStore store = store(url, kind, null);
    List<DirectoryStore.NewLookup> first = List.of(new DirectoryStore.NewLookup("users", "email", "k1", "s1"),
        new DirectoryStore.NewLookup("users", "email", "k2", "s1"));
    assertThat(store.insertLookups(first, 11, 100)).isEmpty();
    List<DirectoryStore.NewLookup> second = List.of(new DirectoryStore.NewLookup("users", "email", "k3", "s2"),
        new DirectoryStore.NewLookup("users", "email", "k2", "s2"),
        new DirectoryStore.NewLookup("orders", "email", "k2", "s2"));
    assertThat(store.insertLookups(second, 22, 200)).containsExactly(1);
    assertThat(store.lookups("users", "email", List.of("k1", "k2", "k3", "nope"))).hasSize(3)
        .containsEntry("k2", new DirectoryStore.Entry("s1", 11, 100))
        .containsEntry("k3", new DirectoryStore.Entry("s2", 22, 200));
    assertThat(store.takeOver("users", "email", "k2", 99, "s2", 33, 300)).isFalse();
    assertThat(store.takeOver("users", "email", "k2", 11, "s2", 33, 300)).isTrue();
    store.deleteLookups(List.of(new DirectoryStore.StaleLookup("users", "email", "k2", 11),
        new DirectoryStore.StaleLookup("users", "email", "k1", 11)));
    assertThat(store.lookups("users", "email", List.of("k1", "k2"))).containsOnlyKeys("k2");
    assertThat(count(url, kind, "SELECT COUNT(*) FROM collegedb_dir_lookup")).isEqualTo(3);
    assertThat(count(url, kind, "SELECT COUNT(*) FROM collegedb_dir_lookup WHERE tbl = 'orders'")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "h2", "postgres"})
  void aKeyIsPlacedOnceAndTheFirstPlacementWins(String kind) throws Exception {
    String url = DirectoryDatabases.url(kind, "DirectoryStoreTest_place");
    DirectoryStore store = store(url, kind, null);
    assertThat(store.placement("INTEGER", "k")).isNull();
    assertThat(store.placeIfAbsent("INTEGER", "k", "s2", 1)).isEqualTo("s2");
    assertThat(store.placeIfAbsent("INTEGER", "k", "s1", 2)).isEqualTo("s2");
    assertThat(store.placeIfAbsent("TEXT", "k", "s1", 2)).isEqualTo("s1");
    store.setPlacement("INTEGER", "k", "s3", 3);
    assertThat(store.placement("INTEGER", "k")).isEqualTo("s3");
    assertThat(count(url, kind, "SELECT COUNT(*) FROM collegedb_dir_placement WHERE shard IN ('s1', 's3')"))
        .isEqualTo(2);
    assertThat(store.deletePlacements("INTEGER", "k")).isEqualTo(1);
    assertThat(store.deletePlacements(null, null)).isEqualTo(1);
    assertThat(store.placement("TEXT", "k")).isNull();
  }
}
