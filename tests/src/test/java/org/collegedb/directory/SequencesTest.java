package org.collegedb.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sequences are answered by one place: the first shard (in name order). */
class SequencesTest {
  @ParameterizedTest
  @EnumSource(value = TestShards.Backend.class, names = {"H2", "POSTGRES", "MARIADB"})
  void everySequenceCallIsAnsweredByTheFirstShard(TestShards.Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "SequencesTest", 3);
    String next = backend == TestShards.Backend.POSTGRES ? "SELECT nextval('order_seq')"
        : "SELECT NEXT VALUE FOR order_seq";
    List<Long> values = new ArrayList<>();
    try (Connection a = shards.connect(); Connection b = shards.connect("fanoutThreads", "2")) {
      a.createStatement().execute("CREATE SEQUENCE order_seq");
      for (int i = 0; i < 6; i++) {
        for (Connection c : List.of(a, b)) {
          try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(next)) {
            assertThat(rs.next()).isTrue();
            values.add(rs.getLong(1));
          }
          assertThat(c.unwrap(org.collegedb.jdbc.CollegeConnection.class).lastExecution().shards())
              .containsExactly("s1");
        }
      }
    }
    assertThat(values).doesNotHaveDuplicates().isSorted();
    try (Connection d = shards.direct(1); Statement st = d.createStatement(); ResultSet rs = st.executeQuery(next)) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1); // the other shards' sequences were never used
    }
  }

  @org.junit.jupiter.api.Test
  void oracleStyleSequenceCallsAreAnsweredByTheFirstShardToo() throws Exception {
    TestShards shards = TestShards.create(TestShards.Backend.H2, "SequencesTest", 3);
    java.util.Properties p = shards.properties();
    for (int i = 0; i < shards.count(); i++) {
      p.setProperty("shards.s" + (i + 1) + ".url", shards.url(i) + ";MODE=Oracle");
    }
    List<Long> values = new ArrayList<>();
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:collegedb:", p)) {
      c.createStatement().execute("CREATE SEQUENCE item_seq");
      for (String sql : List.of("SELECT item_seq.nextval FROM dual", "SELECT item_seq.NEXTVAL",
          "SELECT NEXT VALUE FOR item_seq", "SELECT item_seq.nextval FROM DUAL")) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
          assertThat(rs.next()).isTrue();
          values.add(rs.getLong(1));
          assertThat(rs.next()).as("one row: %s", sql).isFalse();
        }
        assertThat(c.unwrap(org.collegedb.jdbc.CollegeConnection.class).lastExecution().shards())
            .containsExactly("s1");
      }
    }
    assertThat(values).containsExactly(1L, 2L, 3L, 4L);
  }
}
