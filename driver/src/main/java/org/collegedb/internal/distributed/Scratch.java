package org.collegedb.internal.distributed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.execute.BackendDrivers;
import org.collegedb.internal.schema.Dialect;

/**
 * A scratch database of the shards' own product, where the fragments' rows are loaded and the caller's statement runs
 * unchanged: a private SQLite database (a temporary file that SQLite keeps in its page cache while it is small), an
 * in-memory H2 database with the shard's compatibility settings, or temporary tables in a session of its own on one
 * PostgreSQL or MariaDB shard (they hide that shard's tables of the same names for that session only).
 */
abstract class Scratch implements AutoCloseable {
  static final int BATCH = 1000;

  /** The scratch database (replaced by a file-backed one when an in-memory scratch spills). */
  Connection connection;
  String description;
  private int indexes;
  /** The fetched rows' size so far, estimated from their values. */
  long bytes;
  /** Past this estimate an in-memory scratch database spills to a file. */
  long memoryBytes = Long.MAX_VALUE;

  Scratch(Connection connection, String description) {
    this.connection = connection;
    this.description = description;
  }

  static Scratch open(Environment env) throws SQLException {
    ShardSpec shard = env.scratchShard();
    Dialect dialect = env.dialect();
    switch (dialect) {
      case SQLITE -> {
        Path file;
        try {
          file = Files.createTempFile("collegedb-scratch-", ".db");
        } catch (java.io.IOException e) {
          throw new SQLException("cannot create the scratch database file for a query across shards: " + e,
              org.collegedb.SqlStates.GENERAL, e);
        }
        Connection c = BackendDrivers.connect(new ShardSpec("scratch", "jdbc:sqlite:" + file, null, null,
            new Properties(), null, 0));
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA journal_mode=OFF");
          s.execute("PRAGMA synchronous=OFF");
          s.execute("PRAGMA cache_size=-" + Math.max(1024, env.memoryBytes() >> 10)); // KiB in memory, then the file
          s.execute("PRAGMA temp_store=FILE");
        }
        return new SqliteScratch(c, file);
      }
      case H2 -> {
        String url = "jdbc:h2:mem:collegedb_scratch_" + UUID.randomUUID().toString().replace("-", "")
            + h2Settings(shard.url());
        GenericScratch scratch = new GenericScratch(BackendDrivers.connect(new ShardSpec("scratch", url,
            shard.user(), shard.password(), new Properties(), null, 0)), "in-memory H2", shard);
        scratch.memoryBytes = env.memoryBytes();
        return scratch;
      }
      case POSTGRES -> {
        Properties p = new Properties();
        p.putAll(shard.properties());
        p.setProperty("reWriteBatchedInserts", "true");
        // never a named server-side statement: the session is reset with DISCARD ALL and kept (ScratchSessions)
        p.setProperty("prepareThreshold", "0");
        ShardSpec spec = new ShardSpec(shard.name(), shard.url(), shard.user(), shard.password(), p, null, 0);
        return new PostgresScratch(ScratchSessions.borrow(spec), spec,
            "temporary tables on " + shard.name() + " (PostgreSQL)");
      }
      case MYSQL -> {
        Properties p = new Properties();
        p.putAll(shard.properties());
        p.setProperty("rewriteBatchedStatements", "true");
        p.setProperty("useResetConnection", "true"); // Connector/J's reset() then sends COM_RESET_CONNECTION
        ShardSpec spec = new ShardSpec(shard.name(), shard.url(), shard.user(), shard.password(), p, null, 0);
        return new MySqlScratch(ScratchSessions.borrow(spec), spec,
            "temporary tables on " + shard.name() + " (MariaDB/MySQL)");
      }
      default -> throw new java.sql.SQLFeatureNotSupportedException("queries across shards that cannot run shard by "
          + "shard need a scratch database of the shards' product; " + dialect + " has none",
          org.collegedb.SqlStates.NOT_SUPPORTED);
    }
  }

  /** The settings of an H2 URL that change how SQL behaves (MODE=..., DATABASE_TO_LOWER=...), for the scratch. */
  static String h2Settings(String url) {
    StringBuilder out = new StringBuilder();
    String[] parts = url.split(";");
    for (int i = 1; i < parts.length; i++) {
      String key = parts[i].split("=", 2)[0].trim().toUpperCase(Locale.ROOT);
      switch (key) {
        case "MODE", "DATABASE_TO_LOWER", "DATABASE_TO_UPPER", "CASE_INSENSITIVE_IDENTIFIERS", "IGNORECASE",
            "DEFAULT_NULL_ORDERING", "NON_KEYWORDS", "OLD_INFORMATION_SCHEMA", "TIME ZONE", "TIME_ZONE",
            "VARIABLE_BINARY", "COLLATION" -> out.append(';').append(parts[i]);
        default -> {
        }
      }
    }
    return out.toString();
  }

  String description() {
    return description;
  }

  /**
   * Creates the scratch table for {@code table} with the columns of {@code rows} (the fragment's result), typed as
   * the shards type them; returns the name to insert into.
   */
  abstract String create(String table, ResultSetMetaData rows, Connection catalog) throws SQLException;

  /** Takes a table created by the scratch database's own SQL (CREATE TABLE ... AS) into account, for a spill. */
  void adopt(String table) throws SQLException {
  }

  /** Makes the table ready to be read after loading (statistics). */
  void loaded(String table) throws SQLException {
  }

  /** Indexes a loaded column that the query joins or correlates on. */
  void index(String table, String column) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE INDEX " + quote("cdb_scratch_ix" + (++indexes)) + " ON " + table + " (" + quote(column)
          + ")");
    }
  }

  /**
   * The distinct non-NULL values of a loaded column, sorted, when there are at most {@code max} and all are integers
   * (or, with {@code text}, all strings that {@link SemiJoin#textKeys} can send); null otherwise.
   */
  java.util.List<?> distinctKeys(String table, String column, int max, boolean text) throws SQLException {
    java.util.List<Long> integers = new java.util.ArrayList<>();
    java.util.List<String> strings = new java.util.ArrayList<>();
    try (Statement s = connection.createStatement()) {
      s.setMaxRows(max + 1);
      try (ResultSet rs = s.executeQuery("SELECT DISTINCT " + quote(column) + " FROM " + table + " WHERE "
          + quote(column) + " IS NOT NULL")) {
        while (rs.next()) {
          Object v = rs.getObject(1);
          if (integers.size() + strings.size() == max) {
            return null;
          }
          if (text && v instanceof String string) {
            strings.add(string);
          } else if (!text && (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
            integers.add(((Number) v).longValue());
          } else {
            return null; // SQLite keeps a value of another kind (a blob in a TEXT column, text in an INTEGER one)
          }
        }
      }
    }
    if (text) {
      return SemiJoin.textKeys(strings);
    }
    java.util.Collections.sort(integers);
    return integers;
  }

  String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Loads rows in batches; returns how many, failing once {@code budget} is exceeded. */
  long load(String table, ResultSet rows, long budget, LimitCheck limit) throws SQLException {
    return load(table, rows, budget, limit, true);
  }

  /**
   * Loads rows in batches into the columns of their names ({@code named}) or into the table's columns in order;
   * returns how many, failing once {@code budget} is exceeded.
   */
  long load(String table, ResultSet rows, long budget, LimitCheck limit, boolean named) throws SQLException {
    ResultSetMetaData md = rows.getMetaData();
    int n = md.getColumnCount();
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(table);
    if (named) {
      sql.append(" (");
      for (int i = 1; i <= n; i++) {
        sql.append(i > 1 ? ", " : "").append(quote(md.getColumnLabel(i)));
      }
      sql.append(')');
    }
    sql.append(" VALUES (");
    for (int i = 1; i <= n; i++) {
      sql.append(i > 1 ? ", ?" : "?");
    }
    sql.append(')');
    int[] types = new int[n];
    for (int i = 0; i < n; i++) {
      types[i] = md.getColumnType(i + 1);
    }
    long count = 0;
    PreparedStatement ps = connection.prepareStatement(sql.toString());
    try {
      int pending = 0;
      while (rows.next()) {
        if (++count > budget) {
          limit.exceeded();
        }
        bytes += 16;
        for (int i = 1; i <= n; i++) {
          Object v = value(rows, i, types[i - 1]);
          if (v == null) {
            ps.setNull(i, types[i - 1]);
            bytes += 1;
          } else {
            ps.setObject(i, v);
            bytes += size(v);
          }
        }
        ps.addBatch();
        if (++pending == BATCH) {
          ps.executeBatch();
          pending = 0;
          if (bytes > memoryBytes && spill()) {
            ps.close();
            ps = connection.prepareStatement(sql.toString());
          }
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    } finally {
      ps.close();
    }
    return count;
  }

  /** A value's size in memory, roughly: what the bound on fetched rows in memory counts. */
  static long size(Object v) {
    if (v instanceof String text) {
      return 24 + 2L * text.length();
    }
    if (v instanceof byte[] b) {
      return 16 + b.length;
    }
    return 16;
  }

  /**
   * Moves an in-memory scratch database to a file once the fetched rows pass {@link #memoryBytes}; true when it did
   * (the connection changed). Scratch databases that are files or server tables already do not.
   */
  boolean spill() throws SQLException {
    return false;
  }

  /** A fragment's value as it is inserted again into a scratch database of the same product. */
  Object value(ResultSet rows, int column, int type) throws SQLException {
    return rows.getObject(column);
  }

  /** Called when the row budget is exceeded. */
  @FunctionalInterface
  interface LimitCheck {
    void exceeded() throws SQLException;
  }

  /** Commits the loaded rows where the scratch loads in a transaction. */
  void commit() throws SQLException {
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  /** A column type written from a result's metadata: the type name with its length or precision where it has one. */
  static String genericType(ResultSetMetaData md, int i) throws SQLException {
    String name = md.getColumnTypeName(i);
    String upper = name.toUpperCase(Locale.ROOT);
    int precision = md.getPrecision(i);
    int scale = md.getScale(i);
    if (upper.contains("LARGE OBJECT") || upper.contains("LOB") || upper.contains("(")) {
      return name;
    }
    if ((upper.contains("CHAR") || upper.contains("BINARY")) && precision > 0 && precision < 1_000_000_000) {
      return name + "(" + precision + ")";
    }
    if ((upper.equals("NUMERIC") || upper.equals("DECIMAL")) && precision > 0) {
      return name + "(" + precision + ", " + Math.max(0, scale) + ")";
    }
    return name;
  }

  /**
   * {@code " NOT NULL"} where the shard says a fragment's column holds no NULL (a NOT NULL column of its table), so
   * that the scratch answer's metadata says what one database's would ({@code isNullable}); empty otherwise.
   */
  static String notNull(ResultSetMetaData md, int i) throws SQLException {
    return md.isNullable(i) == ResultSetMetaData.columnNoNulls ? " NOT NULL" : "";
  }

  /**
   * H2: an in-memory database, tables typed from the fragment's metadata; past {@link #memoryBytes} of fetched rows
   * it moves to a file-backed H2 database in a temporary directory, whose page cache is bounded by the same figure.
   */
  static final class GenericScratch extends Scratch {
    private final ShardSpec shard;
    /** Every table created, in order, with its DDL: what a spill creates again in the file. */
    private final Map<String, String> created = new java.util.LinkedHashMap<>();
    private Path directory;

    GenericScratch(Connection connection, String description, ShardSpec shard) throws SQLException {
      super(connection, description);
      this.shard = shard;
      connection.setAutoCommit(false);
    }

    @Override
    String create(String table, ResultSetMetaData md, Connection catalog) throws SQLException {
      String name = md.getTableName(1);
      String target = name == null || name.isEmpty() ? table : quote(name);
      StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(target).append(" (");
      for (int i = 1; i <= md.getColumnCount(); i++) {
        ddl.append(i > 1 ? ", " : "").append(quote(md.getColumnName(i))).append(' ').append(genericType(md, i));
      }
      ddl.append(')');
      try (Statement s = connection.createStatement()) {
        s.execute(ddl.toString());
      }
      created.put(target, ddl.toString());
      return target;
    }

    @Override
    void adopt(String table) throws SQLException {
      StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(table).append(" (");
      try (Statement s = connection.createStatement();
           ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
        ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          ddl.append(i > 1 ? ", " : "").append(quote(md.getColumnName(i))).append(' ').append(genericType(md, i));
        }
      }
      created.put(table, ddl.append(')').toString());
    }

    @Override
    boolean spill() throws SQLException {
      if (directory != null) {
        return false;
      }
      connection.commit();
      try {
        directory = Files.createTempDirectory("collegedb-scratch-");
      } catch (java.io.IOException e) {
        throw new SQLException("the scratch database of a query across shards holds more than "
            + (memoryBytes >> 20) + " MiB of rows (the limit set by 'crossShardMemoryMB') and cannot spill to a "
            + "temporary file: " + e, org.collegedb.SqlStates.GENERAL, e);
      }
      String url = "jdbc:h2:file:" + directory.resolve("scratch").toAbsolutePath() + ";CACHE_SIZE="
          + Math.max(1024, memoryBytes >> 10) + h2Settings(shard.url());
      Connection file = BackendDrivers.connect(new ShardSpec("scratch", url, shard.user(), shard.password(),
          new Properties(), null, 0));
      try {
        file.setAutoCommit(false);
        for (Map.Entry<String, String> t : created.entrySet()) {
          try (Statement s = file.createStatement()) {
            s.execute(t.getValue());
          }
          copy(t.getKey(), file);
        }
        file.commit();
      } catch (SQLException | RuntimeException e) {
        file.close();
        throw e;
      }
      connection.close(); // the in-memory database and its rows are gone
      connection = file;
      description = "H2 file in " + directory + " (spilled past " + (memoryBytes >> 20) + " MiB, "
          + "crossShardMemoryMB)";
      return true;
    }

    /** Copies a loaded table's rows from the in-memory database to the file. */
    private void copy(String table, Connection file) throws SQLException {
      try (Statement read = connection.createStatement(); ResultSet rows = read.executeQuery("SELECT * FROM "
          + table)) {
        int n = rows.getMetaData().getColumnCount();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES (");
        for (int i = 1; i <= n; i++) {
          sql.append(i > 1 ? ", ?" : "?");
        }
        try (PreparedStatement ps = file.prepareStatement(sql.append(')').toString())) {
          int pending = 0;
          while (rows.next()) {
            for (int i = 1; i <= n; i++) {
              ps.setObject(i, rows.getObject(i));
            }
            ps.addBatch();
            if (++pending == BATCH) {
              ps.executeBatch();
              pending = 0;
            }
          }
          if (pending > 0) {
            ps.executeBatch();
          }
        }
      }
    }

    @Override
    public void close() throws SQLException {
      try {
        super.close();
      } finally {
        if (directory != null) {
          try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          } catch (java.io.IOException e) {
            directory.toFile().deleteOnExit();
          }
        }
      }
    }
  }

  /** SQLite: the table's own CREATE TABLE text, so that type affinity and collations are the shard's. */
  static final class SqliteScratch extends Scratch {
    private final Path file;

    SqliteScratch(Connection connection, Path file) throws SQLException {
      super(connection, "SQLite scratch file");
      this.file = file;
      connection.setAutoCommit(false);
    }

    @Override
    String create(String table, ResultSetMetaData md, Connection catalog) throws SQLException {
      String ddl = null;
      String name = table;
      try (PreparedStatement ps = catalog.prepareStatement(
          "SELECT sql, name FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            ddl = rs.getString(1);
            name = rs.getString(2);
          }
        }
      }
      String target = quote(name);
      if (ddl == null) { // a view: typed from the fragment
        StringBuilder b = new StringBuilder("CREATE TABLE ").append(target).append(" (");
        for (int i = 1; i <= md.getColumnCount(); i++) {
          b.append(i > 1 ? ", " : "").append(quote(md.getColumnName(i))).append(' ')
              .append(md.getColumnTypeName(i));
        }
        ddl = b.append(')').toString();
      }
      try (Statement s = connection.createStatement()) {
        s.execute(ddl);
      }
      return target;
    }

    @Override
    public void close() throws SQLException {
      try {
        super.close();
      } finally {
        try {
          Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
          file.toFile().deleteOnExit();
        }
      }
    }
  }

  /** PostgreSQL: temporary tables typed from the catalog (type modifiers and collations included). */
  static final class PostgresScratch extends Scratch {
    private final ShardSpec spec;

    PostgresScratch(Connection connection, ShardSpec spec, String description) throws SQLException {
      super(connection, description);
      this.spec = spec;
      connection.setAutoCommit(false);
    }

    /** Keeps the session for the next query once {@code DISCARD ALL} has dropped its tables and reset it. */
    @Override
    public void close() {
      ScratchSessions.giveBack(spec, connection, c -> {
        c.rollback();
        c.setAutoCommit(true); // DISCARD ALL cannot run inside a transaction block
        try (Statement s = c.createStatement()) {
          s.execute("DISCARD ALL");
        }
      });
    }

    @Override
    String create(String table, ResultSetMetaData md, Connection catalog) throws SQLException {
      Map<String, String> types = new HashMap<>();
      try (PreparedStatement ps = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid, "
          + "a.atttypmod) || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN ' COLLATE ' "
          + "|| quote_ident(n.nspname) || '.' || quote_ident(c.collname) ELSE '' END FROM pg_attribute a "
          + "JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_collation c ON c.oid = a.attcollation "
          + "LEFT JOIN pg_namespace n ON n.oid = c.collnamespace "
          + "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            types.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      String target = table.toLowerCase(Locale.ROOT);
      StringBuilder ddl = new StringBuilder("CREATE TEMPORARY TABLE ").append(quote(target)).append(" (");
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String column = md.getColumnName(i);
        String type = types.get(column);
        ddl.append(i > 1 ? ", " : "").append(quote(column)).append(' ')
            .append(type != null ? type : genericType(md, i)).append(notNull(md, i));
      }
      try (Statement s = connection.createStatement()) {
        s.execute(ddl.append(')').toString());
      }
      return quote(target);
    }

    @Override
    void loaded(String table) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute("ANALYZE " + table);
      }
    }
  }

  /** MariaDB/MySQL: temporary tables with the columns' exact types, character sets and collations. */
  static final class MySqlScratch extends Scratch {
    private final ShardSpec spec;

    MySqlScratch(Connection connection, ShardSpec spec, String description) throws SQLException {
      super(connection, description);
      this.spec = spec;
      connection.setAutoCommit(false);
    }

    /**
     * Keeps the session for the next query once the server has reset it ({@code COM_RESET_CONNECTION}, through MariaDB
     * Connector/J's {@code reset()} with {@code useResetConnection}: temporary tables, user variables, settings), as a
     * user variable set before and gone after shows; otherwise (another driver, a MySQL server) it is closed.
     */
    @Override
    public void close() {
      ScratchSessions.giveBack(spec, connection, c -> {
        c.rollback();
        try (Statement s = c.createStatement()) {
          s.execute("SET @collegedb_scratch_used = 1");
        }
        java.lang.reflect.Method reset;
        try {
          reset = c.getClass().getMethod("reset");
        } catch (NoSuchMethodException e) {
          throw new SQLException("no session reset in " + c.getClass().getName(), e);
        }
        try {
          reset.invoke(c);
        } catch (ReflectiveOperationException e) {
          throw new SQLException("session reset failed", e);
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @collegedb_scratch_used IS NULL")) {
          if (!rs.next() || !rs.getBoolean(1)) { // the driver did not reset it (a MySQL server): not kept
            throw new SQLException("the session was not reset");
          }
        }
      });
    }

    @Override
    String quote(String identifier) {
      return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    String create(String table, ResultSetMetaData md, Connection catalog) throws SQLException {
      Map<String, String> types = new HashMap<>();
      String name = table;
      try (PreparedStatement ps = connection.prepareStatement("SELECT column_name, column_type, "
          + "character_set_name, collation_name, table_name FROM information_schema.columns "
          + "WHERE table_schema = DATABASE() AND LOWER(table_name) = LOWER(?)")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String type = rs.getString(2);
            if (rs.getString(3) != null) {
              type += " CHARACTER SET " + rs.getString(3) + " COLLATE " + rs.getString(4);
            }
            types.put(rs.getString(1).toLowerCase(Locale.ROOT), type);
            name = rs.getString(5);
          }
        }
      }
      StringBuilder ddl = new StringBuilder("CREATE TEMPORARY TABLE ").append(quote(name)).append(" (");
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String column = md.getColumnName(i);
        String type = types.get(column.toLowerCase(Locale.ROOT));
        ddl.append(i > 1 ? ", " : "").append(quote(column)).append(' ')
            .append(type != null ? type : genericType(md, i)).append(notNull(md, i));
      }
      try (Statement s = connection.createStatement()) {
        s.execute(ddl.append(')').toString());
      }
      return quote(name);
    }
  }
}
