package org.collegedb.internal.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.collegedb.SqlStates;
import org.collegedb.internal.schema.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link OrderedMergeResultSet}: a k-way merge of the shards' sorted rows is the stable sort of their concatenation
 * (properties over the driver's own {@link RowsResultSet}s, typed by real H2 metadata), and over real H2, SQLite,
 * PostgreSQL and MariaDB shards it answers ORDER BY ... LIMIT ... OFFSET as one database does.
 */
class OrderedMergeResultSetTest {
  /** The metadata of a real H2 result (INT key, BIGINT key, VARCHAR key, VARCHAR tag), kept as a snapshot. */
  private static final SnapshotMetaData METADATA;

  static {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:");
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT CAST(1 AS INT) AS i, CAST(1 AS BIGINT) AS b, "
             + "CAST('x' AS VARCHAR(20)) AS t, CAST('x' AS VARCHAR(20)) AS tag")) {
      METADATA = SnapshotMetaData.of(rs.getMetaData(), 4);
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One row: an integer key (column 1 and 2), a text key (column 3), and a tag naming the shard and position. */
  private static Object[] row(Integer key, String text, String tag) {
    return new Object[] {key, key == null ? null : key.longValue(), text, tag};
  }

  private static List<ResultSet> parts(List<List<Object[]>> shards) {
    List<ResultSet> parts = new ArrayList<>();
    for (List<Object[]> rows : shards) {
      parts.add(new RowsResultSet(null, METADATA, rows));
    }
    return parts;
  }

  private static List<String> tags(ResultSet rs, int tagColumn) throws SQLException {
    List<String> out = new ArrayList<>();
    while (rs.next()) {
      out.add(rs.getString(tagColumn));
    }
    return out;
  }

  /** Comparator of rows under one key, as the merge must order them. */
  private static Comparator<Object[]> comparator(OrderKey key, ValueOrder order) {
    return (a, b) -> key.compare(a[key.column() - 1], b[key.column() - 1], order);
  }

  @Provide
  Arbitrary<List<List<Integer>>> integerShards() {
    return Arbitraries.integers().between(-20, 20).injectNull(0.15).list().ofMaxSize(12).list().ofMinSize(1).ofMaxSize(5);
  }

  @Property(tries = 300)
  void aMergeOfSortedIntegerShardsIsTheStableSortOfTheirConcatenation(
      @ForAll("integerShards") List<List<Integer>> keys, @ForAll boolean descending, @ForAll boolean nullsFirst,
      @ForAll boolean typedColumns, @ForAll @IntRange(min = 1, max = 2) int column,
      @ForAll @IntRange(min = 0, max = 15) int skip, @ForAll @IntRange(min = -1, max = 20) int limit)
      throws SQLException {
    ValueOrder order = new ValueOrder(Dialect.H2);
    OrderKey key = new OrderKey(column, descending, nullsFirst, false);
    List<List<Object[]>> shards = new ArrayList<>();
    List<Object[]> concatenation = new ArrayList<>();
    for (int s = 0; s < keys.size(); s++) {
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < keys.get(s).size(); i++) {
        rows.add(row(keys.get(s).get(i), null, "s" + s + "#" + i));
      }
      rows.sort(comparator(key, order)); // each shard returns its rows in ORDER BY order
      shards.add(rows);
      concatenation.addAll(rows);
    }
    List<Object[]> expected = new ArrayList<>(concatenation);
    expected.sort(comparator(key, order)); // stable: ties stay in shard order
    List<String> expectedTags = expected.stream().map(r -> (String) r[3]).toList();
    int from = Math.min(skip, expectedTags.size());
    int to = limit < 0 ? expectedTags.size() : Math.min(expectedTags.size(), from + limit);
    try (ResultSet merged = new OrderedMergeResultSet(null, parts(shards), new OrderKey[] {key}, order, skip, limit,
        0, typedColumns)) {
      assertThat(tags(merged, 4)).isEqualTo(expectedTags.subList(from, to));
    }
  }

  @Provide
  Arbitrary<List<List<Long>>> extremeBigintShards() {
    return Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -2L, -1L, 0L, 1L, Long.MAX_VALUE - 1, Long.MAX_VALUE)
        .injectNull(0.15).list().ofMaxSize(10).list().ofMinSize(1).ofMaxSize(5);
  }

  /**
   * BIGINT keys at the ends of the range (where a descending key's order must not be had by negating, which overflows
   * at {@code Long.MIN_VALUE}), zero (which {@code getLong} also gives for NULL) and NULLs: the merge is the stable
   * sort, in either direction and NULL position.
   */
  @Property(tries = 300)
  void bigintKeysAtTheEndsOfTheRangeMergeInOrder(@ForAll("extremeBigintShards") List<List<Long>> keys,
      @ForAll boolean descending, @ForAll boolean nullsFirst, @ForAll @IntRange(min = 0, max = 8) int skip)
      throws SQLException {
    ValueOrder order = new ValueOrder(Dialect.H2);
    OrderKey key = new OrderKey(2, descending, nullsFirst, false);
    List<List<Object[]>> shards = new ArrayList<>();
    List<Object[]> concatenation = new ArrayList<>();
    for (int s = 0; s < keys.size(); s++) {
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < keys.get(s).size(); i++) {
        rows.add(new Object[] {null, keys.get(s).get(i), null, "s" + s + "#" + i});
      }
      rows.sort(comparator(key, order));
      shards.add(rows);
      concatenation.addAll(rows);
    }
    List<Object[]> expected = new ArrayList<>(concatenation);
    expected.sort(comparator(key, order));
    List<String> expectedTags = expected.stream().map(r -> (String) r[3]).toList();
    try (ResultSet merged = new OrderedMergeResultSet(null, parts(shards), new OrderKey[] {key}, order, skip, -1, 0,
        true)) {
      assertThat(tags(merged, 4)).isEqualTo(expectedTags.subList(Math.min(skip, expectedTags.size()),
          expectedTags.size()));
    }
  }

  @Provide
  Arbitrary<List<List<List<Integer>>>> pairShards() {
    // few distinct first keys, so that ties (where the second key is read) are common; NULLs in both
    Arbitrary<Integer> first = Arbitraries.integers().between(-3, 3).injectNull(0.15);
    Arbitrary<Integer> second = Arbitraries.integers().between(-50, 50).injectNull(0.15);
    return first.list().ofSize(1).flatMap(f -> second.list().ofSize(1).map(x -> {
      List<Integer> pair = new ArrayList<>(f);
      pair.addAll(x);
      return pair;
    })).list().ofMaxSize(10).list().ofMinSize(1).ofMaxSize(5);
  }

  /**
   * With two integer keys the second is read only when the first ties (it is read lazily): the merge is still the
   * stable sort of the shards' rows under both keys, in either direction and NULL position of each.
   */
  @Property(tries = 300)
  void twoIntegerKeysMergeAsTheStableSortUnderBoth(@ForAll("pairShards") List<List<List<Integer>>> pairs,
      @ForAll boolean firstDescending, @ForAll boolean firstNullsFirst, @ForAll boolean secondDescending,
      @ForAll boolean secondNullsFirst, @ForAll @IntRange(min = 0, max = 12) int skip) throws SQLException {
    ValueOrder order = new ValueOrder(Dialect.H2);
    OrderKey first = new OrderKey(1, firstDescending, firstNullsFirst, false);
    OrderKey second = new OrderKey(2, secondDescending, secondNullsFirst, false);
    Comparator<Object[]> both = comparator(first, order).thenComparing(comparator(second, order));
    List<List<Object[]>> shards = new ArrayList<>();
    List<Object[]> concatenation = new ArrayList<>();
    for (int s = 0; s < pairs.size(); s++) {
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < pairs.get(s).size(); i++) {
        List<Integer> pair = pairs.get(s).get(i);
        Integer b = pair.get(1);
        rows.add(new Object[] {pair.get(0), b == null ? null : b.longValue(), null, "s" + s + "#" + i});
      }
      rows.sort(both);
      shards.add(rows);
      concatenation.addAll(rows);
    }
    List<Object[]> expected = new ArrayList<>(concatenation);
    expected.sort(both);
    List<String> expectedTags = expected.stream().map(r -> (String) r[3]).toList();
    try (ResultSet merged = new OrderedMergeResultSet(null, parts(shards), new OrderKey[] {first, second}, order,
        skip, -1, 0, true)) {
      assertThat(tags(merged, 4)).isEqualTo(expectedTags.subList(Math.min(skip, expectedTags.size()),
          expectedTags.size()));
    }
  }

  @Provide
  Arbitrary<List<List<String>>> textShards() {
    Arbitrary<String> text = Arbitraries.strings().withChars("aAbB \u00e9\u00c9z\u00df\ud83d\ude00").ofMaxLength(4);
    return text.injectNull(0.1).list().ofMaxSize(8).list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 300)
  void textMergesInTheBackendsTextOrder(@ForAll("textShards") List<List<String>> texts,
      @ForAll Dialect dialect, @ForAll boolean descending) throws SQLException {
    ValueOrder order = new ValueOrder(dialect);
    OrderKey key = OrderKey.of(3, descending, null, dialect.nullsLargest());
    List<List<Object[]>> shards = new ArrayList<>();
    List<Object[]> concatenation = new ArrayList<>();
    for (int s = 0; s < texts.size(); s++) {
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < texts.get(s).size(); i++) {
        rows.add(row(null, texts.get(s).get(i), "s" + s + "#" + i));
      }
      rows.sort(comparator(key, order));
      shards.add(rows);
      concatenation.addAll(rows);
    }
    concatenation.sort(comparator(key, order));
    try (ResultSet merged = new OrderedMergeResultSet(null, parts(shards), new OrderKey[] {key}, order, 0, -1, 0)) {
      assertThat(tags(merged, 4)).isEqualTo(concatenation.stream().map(r -> (String) r[3]).toList());
    }
  }

  @Test
  void twoKeysBreakTiesAndTrailingOrderColumnsAreHidden() throws SQLException {
    List<List<Object[]>> shards = List.of(
        List.of(row(1, "b", "s0a"), row(2, "a", "s0b")),
        List.of(),
        List.of(row(1, "c", "s2a"), row(2, "a", "s2b"), row(3, null, "s2c")));
    OrderKey[] keys = {new OrderKey(1, false, true, false), new OrderKey(3, true, false, true)};
    // hide the last two columns (text key and tag): the caller sees columns 1 and 2
    try (ResultSet merged = new OrderedMergeResultSet(null, parts(shards), keys, new ValueOrder(Dialect.SQLITE), 0,
        -1, 2)) {
      assertThat(merged.getMetaData().getColumnCount()).isEqualTo(2);
      // unwrapping gives the merged view, never the shard's result or metadata with the hidden columns
      assertThat(merged.getMetaData().unwrap(java.sql.ResultSetMetaData.class).getColumnCount()).isEqualTo(2);
      assertThat(merged.unwrap(ResultSet.class)).isSameAs(merged);
      assertThat(merged.isBeforeFirst()).isTrue();
      List<String> seen = new ArrayList<>();
      while (merged.next()) {
        seen.add(merged.getInt(1) + "/" + merged.getRow() + "/" + merged.isFirst());
      }
      assertThat(seen).containsExactly("1/1/true", "1/2/false", "2/3/false", "2/4/false", "3/5/false");
      assertThat(merged.isAfterLast()).isTrue();
      assertThat(merged.next()).isFalse();
    }
  }

  @Test
  void rowsOfTheMergesOwnUnwrapOnlyToThemselves() throws SQLException {
    try (RowsResultSet rows = new RowsResultSet(null, METADATA, List.<Object[]>of(row(1, "a", "t")))) {
      assertThat(rows.unwrap(ResultSet.class)).isSameAs(rows);
      assertThat(rows.isWrapperFor(RowsResultSet.class)).isTrue();
      assertThat(rows.isWrapperFor(Connection.class)).isFalse();
      assertThatThrownBy(() -> rows.unwrap(Connection.class)).isInstanceOf(SQLException.class)
          .hasMessage("not a wrapper for java.sql.Connection")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.GENERAL);
    }
  }

  @Test
  void noShardRowsGiveAnEmptyResult() throws SQLException {
    try (ResultSet merged = new OrderedMergeResultSet(null, parts(List.of(List.of(), List.of())),
        new OrderKey[] {new OrderKey(1, false, true, false)}, new ValueOrder(Dialect.H2), 3, 5, 0, true)) {
      assertThat(merged.next()).isFalse();
      assertThat(merged.isAfterLast()).isFalse(); // no row was ever returned
      assertThat(merged.getRow()).isZero();
    }
  }

  @Test
  void textUnderACollationCollegeDbCannotReproduceIsRefusedWhenCompared() throws SQLException {
    List<List<Object[]>> shards = List.of(List.<Object[]>of(row(1, "b", "x")), List.<Object[]>of(row(2, "a", "y")));
    try (ResultSet merged = new OrderedMergeResultSet(null, parts(shards),
        new OrderKey[] {new OrderKey(3, false, true, false)}, new ValueOrder(Dialect.POSTGRES, "en_US.UTF-8"), 0,
        -1, 0)) {
      assertThatThrownBy(merged::next)
          .isInstanceOf(SQLFeatureNotSupportedException.class)
          .hasMessageContaining("collation 'en_US.UTF-8'")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.NOT_SUPPORTED);
    }
    // ... but an explicit C collation orders by code point and needs no comparison of the database's own
    try (ResultSet merged = new OrderedMergeResultSet(null, parts(shards),
        new OrderKey[] {new OrderKey(3, false, true, true)}, new ValueOrder(Dialect.POSTGRES, "en_US.UTF-8"), 0,
        -1, 0)) {
      assertThat(tags(merged, 4)).containsExactly("y", "x");
    }
  }

  // ------------------------------------------------------------ over real shard databases

  static MergeShards people(String backend) throws SQLException {
    MergeShards m = MergeShards.of(backend, 4);
    m.everywhere("CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR(20), age INT, score DECIMAL(6,2))");
    String[] names = {"Zoe", "adam", "Bob", "\u00c9mile", "bob", "carl", null, "Ada", "zed", "Carl", "eve", null};
    for (int id = 1; id <= 36; id++) {
      int shard = id % 3; // shard 3 stays empty
      String name = names[id % names.length];
      m.on(shard, "INSERT INTO p VALUES (" + id + ", " + (name == null ? "NULL" : "'" + name + "'") + ", "
          + (id % 5 == 0 ? "NULL" : Integer.toString(20 + id % 7)) + ", " + (id * 7 % 13) + ".25)");
    }
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres", "mariadb"})
  void orderByLimitOffsetEqualsOneDatabase(String backend) throws SQLException {
    try (MergeShards m = people(backend)) {
      for (String sql : List.of(
          "SELECT id, name FROM p ORDER BY name, id",
          "SELECT id, name FROM p ORDER BY name DESC, id DESC LIMIT 7 OFFSET 4",
          "SELECT id, age FROM p ORDER BY age, id LIMIT 10",
          switch (backend) { // an OFFSET without a LIMIT
            case "sqlite" -> "SELECT id, age FROM p ORDER BY age DESC, id LIMIT -1 OFFSET 30";
            case "mariadb" -> "SELECT id, age FROM p ORDER BY age DESC, id LIMIT 1000 OFFSET 30";
            default -> "SELECT id, age FROM p ORDER BY age DESC, id OFFSET 30";
          },
          backend.equals("mariadb") ? "SELECT id, age FROM p ORDER BY age IS NULL DESC, age, id DESC LIMIT 5"
              : "SELECT id, age FROM p ORDER BY age NULLS FIRST, id DESC LIMIT 5",
          "SELECT id, score FROM p ORDER BY score DESC, id LIMIT 3 OFFSET 1",
          "SELECT id FROM p ORDER BY age + id, id LIMIT 6",
          "SELECT * FROM p ORDER BY score, id LIMIT 4",
          "SELECT id FROM p ORDER BY id LIMIT 0",
          "SELECT id FROM p ORDER BY id LIMIT 5 OFFSET 100")) {
        MergeShards.Answer expected = m.reference(sql);
        MergeShards.Answer merged = m.merged(sql);
        assertThat(merged.labels()).as(sql).isEqualTo(expected.labels());
        assertThat(merged.types()).as(sql).isEqualTo(expected.types());
        assertThat(merged.rows()).as(sql).isEqualTo(expected.rows());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb"})
  void integerKeysReadAsLongsGiveTheSameOrderAsObjects(String backend) throws SQLException {
    try (MergeShards m = people(backend)) {
      String sql = "SELECT age, id FROM p ORDER BY age DESC, id";
      List<List<Object>> expected = m.reference(sql).rows();
      assertThat(m.merged(sql).rows()).isEqualTo(expected);
      assertThat(expected.get(0).get(0)).as("NULL ages first in DESC only where NULL is largest")
          .matches(v -> (v == null) == (m.dialect == Dialect.POSTGRES));
    }
  }

  @Test
  void maxRowsCutsAMergeAfterTheOffset() throws SQLException {
    try (MergeShards m = people("h2")) {
      List<List<Object>> rows = m.mergedWith("SELECT id FROM p ORDER BY id LIMIT 10 OFFSET 2", false, 3).rows();
      assertThat(rows).containsExactly(Arrays.asList(3), Arrays.asList(4), Arrays.asList(5));
    }
  }
}
