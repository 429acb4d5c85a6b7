package org.collegedb.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.fixtures.AllBackends;
import org.collegedb.fixtures.Rows;
import org.collegedb.fixtures.Schema;
import org.collegedb.fixtures.ShardSets;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;

/**
 * The common setters and getters round-trip through a sharded table on every backend; result set metadata over one
 * shard and over a fan-out is that of the reference database.
 */
class TypeRoundTripTest {
  private static final String COLUMNS = "id, flag, i, big, sm, tiny, r, d, n, s, bin, dt, tm, ts, opt";
  private static final String INSERT = "INSERT INTO typed (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      + "?, ?, ?, ?)";

  private TestShards shards;
  private Connection sharded;
  private Connection reference;

  private void open(Backend backend) throws Exception {
    shards = ShardSets.of(backend, TypeRoundTripTest.class);
    Schema.reset(shards);
    sharded = Schema.connect(shards);
    reference = shards.reference();
    String binary = switch (backend) {
      case POSTGRES -> "BYTEA";
      case SQLITE -> "BLOB";
      default -> "VARBINARY(64)";
    };
    String ddl = "CREATE TABLE typed (id BIGINT PRIMARY KEY, flag BOOLEAN, i INT, big BIGINT, sm SMALLINT, "
        + "tiny SMALLINT, r REAL, d DOUBLE PRECISION, n DECIMAL(12,3), s VARCHAR(50), bin " + binary + ", dt DATE, "
        + "tm TIME, ts TIMESTAMP, opt VARCHAR(10))";
    for (Connection c : List.of(sharded, reference)) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS typed");
        s.execute(ddl);
      }
    }
  }

  private void close() throws SQLException {
    try {
      sharded.close();
    } finally {
      reference.close();
    }
  }

  /** The values of row {@code k}, distinct per row. */
  private record Values(long id, boolean flag, int i, long big, short sm, byte tiny, float r, double d, BigDecimal n,
      String s, byte[] bin, Date dt, Time tm, Timestamp ts) {
    static Values of(int k) {
      return new Values(1000 + k, k % 2 == 0, -k * 1000, 9_000_000_000L + k, (short) (300 + k), (byte) (k - 60),
          1.5f + k, 2.25 * k, new BigDecimal("12345.678").add(BigDecimal.valueOf(k)), "text 'quoted' ü " + k,
          new byte[] {0, (byte) k, (byte) 0xff, 42}, Date.valueOf(LocalDate.of(2024, 2, 1 + k)),
          Time.valueOf(LocalTime.of(12, 30 + k, 56)),
          Timestamp.valueOf(LocalDateTime.of(2023, 12, 31, 23, 59, k, 123_000_000)));
    }
  }

  private static void insertWithSetters(Connection c, Values v) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setLong(1, v.id);
      ps.setBoolean(2, v.flag);
      ps.setInt(3, v.i);
      ps.setLong(4, v.big);
      ps.setShort(5, v.sm);
      ps.setByte(6, v.tiny);
      ps.setFloat(7, v.r);
      ps.setDouble(8, v.d);
      ps.setBigDecimal(9, v.n);
      ps.setString(10, v.s);
      ps.setBytes(11, v.bin);
      ps.setDate(12, v.dt);
      ps.setTime(13, v.tm);
      ps.setTimestamp(14, v.ts);
      ps.setNull(15, Types.VARCHAR);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private static void insertWithJavaTime(Connection c, Values v) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setObject(1, v.id);
      ps.setObject(2, v.flag);
      ps.setObject(3, v.i);
      ps.setObject(4, v.big);
      ps.setObject(5, v.sm);
      ps.setObject(6, (short) v.tiny);
      ps.setObject(7, v.r);
      ps.setObject(8, v.d);
      ps.setObject(9, v.n);
      ps.setObject(10, v.s);
      ps.setObject(11, v.bin);
      ps.setObject(12, v.dt.toLocalDate());
      ps.setObject(13, v.tm.toLocalTime());
      ps.setObject(14, v.ts.toLocalDateTime());
      ps.setObject(15, null);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private static void assertRow(ResultSet rs, Values v) throws SQLException {
    assertRow(rs, v, false);
  }

  /**
   * Checks a row read back. {@code temporalsAsText}: SQLite stores java.time values as ISO text, which its own
   * driver's {@code getDate}/{@code getTime}/{@code getTimestamp} cannot parse (directly as through CollegeDB), so
   * those columns are compared as text.
   */
  private static void assertRow(ResultSet rs, Values v, boolean temporalsAsText) throws SQLException {
    assertThat(rs.getLong("id")).isEqualTo(v.id);
    assertThat(rs.getBoolean("flag")).isEqualTo(v.flag);
    assertThat(rs.getInt("i")).isEqualTo(v.i);
    assertThat(rs.getLong("big")).isEqualTo(v.big);
    assertThat(rs.getShort("sm")).isEqualTo(v.sm);
    assertThat(rs.getByte("tiny")).isEqualTo(v.tiny);
    assertThat(rs.getFloat("r")).isEqualTo(v.r);
    assertThat(rs.getDouble("d")).isEqualTo(v.d);
    assertThat(rs.getBigDecimal("n")).isEqualByComparingTo(v.n);
    assertThat(rs.getString("s")).isEqualTo(v.s);
    assertThat(rs.getBytes("bin")).isEqualTo(v.bin);
    if (temporalsAsText) {
      assertThat(rs.getString("dt")).isEqualTo(v.dt.toLocalDate().toString());
      assertThat(rs.getString("tm")).isEqualTo(v.tm.toLocalTime().toString());
      assertThat(rs.getString("ts")).isEqualTo(v.ts.toLocalDateTime().toString());
    } else {
      assertThat(rs.getDate("dt")).isEqualTo(v.dt);
      assertThat(rs.getTime("tm").toLocalTime()).isEqualTo(v.tm.toLocalTime());
      assertThat(rs.getTimestamp("ts")).isEqualTo(v.ts);
    }
    assertThat(rs.getString("opt")).isNull();
    assertThat(rs.wasNull()).isTrue();
    assertThat(rs.getInt(3)).isEqualTo(v.i);
    assertThat(rs.wasNull()).isFalse();
  }

  @AllBackends
  void settersAndGettersRoundTripThroughOneShard(Backend backend) throws Exception {
    open(backend);
    try {
      CollegeConnection college = sharded.unwrap(CollegeConnection.class);
      for (int k = 0; k < 12; k++) {
        Values v = Values.of(k);
        if (k % 2 == 0) {
          insertWithSetters(sharded, v);
        } else {
          insertWithJavaTime(sharded, v);
        }
        assertThat(college.lastExecution().shards()).containsExactly(college.shardOf("typed", v.id));
        try (PreparedStatement ps = sharded.prepareStatement("SELECT " + COLUMNS + " FROM typed WHERE id = ?")) {
          ps.setLong(1, v.id);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            boolean asText = k % 2 == 1 && backend == Backend.SQLITE;
            assertRow(rs, v, asText);
            if (!asText) {
              assertThat(rs.getObject("dt", LocalDate.class)).isEqualTo(v.dt.toLocalDate());
              assertThat(rs.getObject("ts", LocalDateTime.class)).isEqualTo(v.ts.toLocalDateTime());
            }
            assertThat(rs.next()).isFalse();
          }
        }
        int owner = shards.names().indexOf(college.shardOf("typed", v.id));
        try (Connection d = shards.direct(owner); Statement s = d.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM typed WHERE id = " + v.id)) {
          assertThat(rs.next()).as("row %d on its shard", v.id).isTrue();
          assertRow(rs, v, k % 2 == 1 && backend == Backend.SQLITE);
        }
      }
    } finally {
      close();
    }
  }

  private static void assertSameMetaData(ResultSetMetaData actual, ResultSetMetaData expected) throws SQLException {
    assertThat(actual.getColumnCount()).isEqualTo(expected.getColumnCount());
    for (int i = 1; i <= expected.getColumnCount(); i++) {
      assertThat(actual.getColumnLabel(i)).isEqualTo(expected.getColumnLabel(i));
      assertThat(actual.getColumnName(i)).isEqualTo(expected.getColumnName(i));
      assertThat(actual.getColumnType(i)).as(expected.getColumnLabel(i)).isEqualTo(expected.getColumnType(i));
      assertThat(actual.getColumnTypeName(i)).isEqualTo(expected.getColumnTypeName(i));
      assertThat(actual.isNullable(i)).isEqualTo(expected.isNullable(i));
    }
  }

  @AllBackends
  void fanOutAndSingleShardResultsMatchTheReference(Backend backend) throws Exception {
    open(backend);
    try {
      List<Values> all = new ArrayList<>();
      for (int k = 0; k < 16; k++) {
        Values v = Values.of(k);
        all.add(v);
        for (Connection c : List.of(sharded, reference)) {
          insertWithSetters(c, v);
        }
      }
      CollegeConnection college = sharded.unwrap(CollegeConnection.class);
      for (String sql : List.of("SELECT " + COLUMNS + " FROM typed WHERE id = 1003",
          "SELECT " + COLUMNS + " FROM typed", "SELECT * FROM typed WHERE flag = ? OR id = 1001",
          "SELECT id AS key_col, n, s FROM typed WHERE id IN (1000, 1001, 1002, 1003, 1004, 1005)")) {
        List<List<Object>> expected;
        List<List<Object>> actual;
        try (PreparedStatement e = reference.prepareStatement(sql); PreparedStatement a = sharded.prepareStatement(sql)) {
          if (sql.contains("?")) {
            e.setBoolean(1, true);
            a.setBoolean(1, true);
          }
          try (ResultSet ers = e.executeQuery(); ResultSet ars = a.executeQuery()) {
            assertSameMetaData(ars.getMetaData(), ers.getMetaData());
            expected = Rows.read(ers);
            actual = Rows.read(ars);
          }
        }
        assertThat(Rows.sorted(actual)).as(sql).isEqualTo(Rows.sorted(expected));
        if (!sql.contains("1003")) {
          assertThat(college.lastExecution().shards()).as(sql).hasSizeGreaterThan(1);
        }
      }
      // Reading a fan-out row by row with typed getters.
      int seen = 0;
      try (Statement s = sharded.createStatement(); ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM typed")) {
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(15);
        while (rs.next()) {
          Values v = all.get((int) (rs.getLong("id") - 1000));
          assertRow(rs, v);
          seen++;
        }
        assertThat(rs.next()).isFalse();
      }
      assertThat(seen).isEqualTo(16);
    } finally {
      close();
    }
  }
}
