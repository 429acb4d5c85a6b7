package org.collegedb.internal.merge;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.StatementAnalyzer;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.rewrite.Splice;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.support.TestDatabases;

/**
 * Real databases for merge tests: N shards and one reference database holding every row, all of one product
 * (H2 in memory, SQLite in memory, or PostgreSQL schemas in one database of the local server). A query is planned by
 * {@link MergePlanner} from the real parser's analysis, spliced per shard, run on every shard, and merged by
 * {@link Merge}, exactly as the driver does it; the same query on the reference database gives the answer one
 * database would.
 */
final class MergeShards implements AutoCloseable {
  private static final AtomicInteger NEXT = new AtomicInteger();

  final List<Connection> shards = new ArrayList<>();
  final Connection reference;
  final Dialect dialect;

  private MergeShards(List<Connection> shards, Connection reference) throws SQLException {
    this.shards.addAll(shards);
    this.reference = reference;
    this.dialect = Dialect.detect(reference);
  }

  /** N H2 in-memory shards and a reference, each a private database. */
  static MergeShards h2(int n) throws SQLException {
    String tag = "cdbunit_merge_" + NEXT.incrementAndGet() + "_" + System.nanoTime();
    List<Connection> shards = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      shards.add(DriverManager.getConnection("jdbc:h2:mem:" + tag + "_s" + i));
    }
    return new MergeShards(shards, DriverManager.getConnection("jdbc:h2:mem:" + tag + "_ref"));
  }

  /** N SQLite in-memory shards and a reference (every {@code :memory:} connection is its own database). */
  static MergeShards sqlite(int n) throws SQLException {
    List<Connection> shards = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      shards.add(DriverManager.getConnection("jdbc:sqlite::memory:"));
    }
    return new MergeShards(shards, DriverManager.getConnection("jdbc:sqlite::memory:"));
  }

  /**
   * N PostgreSQL shards as schemas of one database of the local server ({@link TestDatabases#postgresSchema});
   * skipped when the server is not reachable, a failure under {@code CI=true}.
   */
  static MergeShards postgres(int n) throws SQLException {
    String tag = "m" + NEXT.incrementAndGet() + "_";
    List<Connection> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(TestDatabases.postgresSchema(tag + "s" + i));
    }
    all.add(TestDatabases.postgresSchema(tag + "ref"));
    return new MergeShards(all.subList(0, n), all.get(n));
  }

  /** N MariaDB shards and a reference, databases of the local server ({@link TestDatabases#mariadb}). */
  static MergeShards mariadb(int n) throws SQLException {
    String tag = "m" + NEXT.incrementAndGet() + "_" + ProcessHandle.current().pid() + "_";
    List<Connection> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(TestDatabases.mariadb(tag + "s" + i));
    }
    all.add(TestDatabases.mariadb(tag + "ref"));
    return new MergeShards(all.subList(0, n), all.get(n));
  }

  /** N shards and a reference of one backend: h2, sqlite, postgres or mariadb. */
  static MergeShards of(String backend, int n) throws SQLException {
    return switch (backend) {
      case "h2" -> h2(n);
      case "sqlite" -> sqlite(n);
      case "postgres" -> postgres(n);
      case "mariadb" -> mariadb(n);
      default -> throw new IllegalArgumentException(backend);
    };
  }

  /** Runs {@code sql} (DDL, a write) on every shard and on the reference. */
  MergeShards everywhere(String sql) throws SQLException {
    for (Connection c : shards) {
      execute(c, sql);
    }
    execute(reference, sql);
    return this;
  }

  /** Runs a write on one shard and on the reference, so that the reference holds the union of the shards. */
  MergeShards on(int shard, String sql) throws SQLException {
    execute(shards.get(shard), sql);
    execute(reference, sql);
    return this;
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The plan the driver would make for {@code sql} with these parameter values. */
  MergePlan plan(String sql, Object... params) throws SQLException {
    return plan(sql, false, params);
  }

  MergePlan plan(String sql, boolean groupsLocal, Object... params) throws SQLException {
    Tokens tokens = SqlLexer.lex(sql);
    return MergePlanner.plan(select(tokens), bindings(tokens, params), dialect, groupsLocal);
  }

  static ParsedStatement.Select select(Tokens tokens) {
    return (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
  }

  static Bindings bindings(Tokens tokens, Object... params) {
    return new Bindings(tokens, index -> params[index - 1], false);
  }

  /** The text every shard runs for {@code sql}, and where its parameters come from. */
  static ShardSql shardSql(Tokens tokens, MergePlan plan) {
    if (plan.edits() == null) {
      return ShardSql.unchanged(tokens.sql());
    }
    Splice splice = new Splice(tokens);
    plan.edits().addTo(splice);
    return splice.isEmpty() ? ShardSql.unchanged(tokens.sql()) : splice.apply();
  }

  /** The answer of the shards, merged as the driver merges it. */
  Answer merged(String sql, Object... params) throws SQLException {
    return mergedWith(sql, false, 0, params);
  }

  Answer mergedWith(String sql, boolean groupsLocal, long maxRows, Object... params) throws SQLException {
    try (ResultSet rs = mergedResultSet(sql, groupsLocal, maxRows, params)) {
      return Answer.of(rs);
    }
  }

  ResultSet mergedResultSet(String sql, boolean groupsLocal, long maxRows, Object... params) throws SQLException {
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement.Select select = select(tokens);
    Bindings bindings = bindings(tokens, params);
    MergePlan plan = MergePlanner.plan(select, bindings, dialect, groupsLocal);
    ShardSql shardSql = shardSql(tokens, plan);
    List<ResultSet> parts = new ArrayList<>();
    for (Connection c : shards) {
      PreparedStatement ps = c.prepareStatement(shardSql.sql());
      int[] map = shardSql.params();
      int count = map == null ? params.length : map.length;
      for (int i = 0; i < count; i++) {
        ps.setObject(i + 1, params[(map == null ? i + 1 : map[i]) - 1]);
      }
      parts.add(ps.executeQuery());
    }
    return Merge.of(plan, parts, null, maxRows, dialect, null, select.shape(), bindings);
  }

  /** The answer of the reference database, which holds every row. */
  Answer reference(String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = reference.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return Answer.of(rs);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    for (Connection c : shards) {
      c.close();
    }
    reference.close();
  }

  /**
   * A whole result: column labels, JDBC types, and the rows as {@code getObject} returns them, so that comparing
   * two answers compares values, Java types and decimal scales exactly.
   */
  record Answer(List<String> labels, List<Integer> types, List<List<Object>> rows) {
    static Answer of(ResultSet rs) throws SQLException {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<String> labels = new ArrayList<>();
      List<Integer> types = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        labels.add(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
        types.add(md.getColumnType(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          row[i - 1] = v instanceof byte[] b ? List.of(Arrays.toString(b)) : v;
        }
        rows.add(Arrays.asList(row));
      }
      return new Answer(labels, types, rows);
    }

    /** The Java class of each column's first non-null value. */
    List<Class<?>> classes() {
      List<Class<?>> out = new ArrayList<>();
      for (int c = 0; c < labels.size(); c++) {
        Class<?> k = null;
        for (List<Object> row : rows) {
          if (row.get(c) != null) {
            k = row.get(c).getClass();
            break;
          }
        }
        out.add(k);
      }
      return out;
    }
  }
}
