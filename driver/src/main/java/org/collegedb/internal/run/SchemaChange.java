package org.collegedb.internal.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.internal.execute.ShardErrors;
import org.collegedb.internal.plan.Plan;
import org.collegedb.internal.route.Route;

/**
 * A schema change on several shards of a product that commits DDL at once (MariaDB/MySQL, H2:
 * {@code Plan.Ddl.immediate()}), made "completed or undone": the shards run it one after the other in shard order; if
 * one fails, the shards that changed before it run the plan's undo statement ({@code DROP TABLE} for
 * {@code CREATE TABLE}, ...). The error keeps the failing shard's SQLState and vendor code and names every shard that
 * changed and whether it was undone. A change that cannot be undone (a DROP, an ALTER other than one ADD COLUMN, an
 * undo that failed) first checks that every shard answers, so that an unreachable shard stops it before any shard
 * changes; if it still fails part way, the shards left changed are named in the error, logged, and recorded in the
 * table {@value #LOG_TABLE} on one of them.
 */
final class SchemaChange {
  /** Where schema changes left part-done are recorded, on a shard they changed. */
  static final String LOG_TABLE = "collegedb_ddl_incomplete";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SchemaChange.class);

  private final StatementRunner runner;
  private final ShardConnections shards;

  SchemaChange(StatementRunner runner) {
    this.runner = runner;
    this.shards = runner.session().shards();
  }

  void run(Plan.Ddl ddl) throws SQLException {
    int[] route = ddl.route().shards();
    if (ddl.undo() == null) {
      for (int s : route) {
        execute(s, "SELECT 1"); // every shard answers before a change that cannot be undone
      }
    }
    List<Integer> changed = new ArrayList<>();
    for (int s : route) {
      try {
        runner.onShards(Route.to(ddl.route().kind(), s), ddl.tokens(), null, e -> null);
      } catch (SQLException e) {
        throw failed(ddl, s, e, changed);
      }
      changed.add(s);
    }
    runner.session().recordExecution(ddl.route(), ddl.tokens(), new org.collegedb.internal.rewrite.ShardSql[route.length]);
  }

  private SQLException failed(Plan.Ddl ddl, int shard, SQLException e, List<Integer> changed) {
    String cause = e.getMessage();
    String prefix = "shard '" + shards.name(shard) + "': ";
    if (cause != null && cause.startsWith(prefix)) {
      cause = cause.substring(prefix.length());
    }
    StringBuilder m = new StringBuilder(prefix).append(cause);
    if (changed.isEmpty()) {
      m.append(" (the schema change failed there; no shard had changed)");
      return new SQLException(m.toString(), e.getSQLState(), e.getErrorCode(), e);
    }
    List<String> undone = new ArrayList<>();
    List<String> left = new ArrayList<>();
    List<String> why = new ArrayList<>();
    for (int s : changed) {
      if (ddl.undo() == null) {
        left.add(shards.name(s));
        continue;
      }
      try {
        execute(s, ddl.undo());
        undone.add(shards.name(s));
      } catch (SQLException u) {
        left.add(shards.name(s));
        why.add(u.getMessage());
        e.addSuppressed(u);
      }
    }
    m.append(" (the schema change failed there after it had changed ").append(names(changed)).append(':');
    if (!undone.isEmpty()) {
      m.append(" undone on ").append(undone).append(" with '").append(ddl.undo()).append('\'');
    }
    if (!left.isEmpty()) {
      m.append(undone.isEmpty() ? "" : ";").append(" NOT undone on ").append(left)
          .append(ddl.undo() == null ? " (it cannot be undone)" : " " + why);
      m.append(record(ddl, shard, cause, changed, left));
    }
    m.append(')');
    return new SQLException(m.toString(), e.getSQLState(), e.getErrorCode(), e);
  }

  /** Records a schema change left part-done on a shard it changed; what to add to the message. */
  private String record(Plan.Ddl ddl, int failed, String cause, List<Integer> changed, List<String> left) {
    LOG.error("CollegeDB: the schema change '{}' failed on shard '{}' ({}) and is left done on {}",
        ddl.tokens().sql(), shards.name(failed), cause, left);
    for (int s : changed) {
      if (!left.contains(shards.name(s))) {
        continue;
      }
      try {
        Connection c = shards.use(s);
        try (Statement st = c.createStatement()) {
          st.execute("CREATE TABLE IF NOT EXISTS " + LOG_TABLE + " (recorded_at VARCHAR(40), statement_text "
              + "VARCHAR(4000), failed_shard VARCHAR(200), changed_shards VARCHAR(2000), error_text VARCHAR(2000))");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + LOG_TABLE + " VALUES (?, ?, ?, ?, ?)")) {
          ps.setString(1, java.time.Instant.now().toString());
          ps.setString(2, truncate(ddl.tokens().sql(), 4000));
          ps.setString(3, shards.name(failed));
          ps.setString(4, truncate(left.toString(), 2000));
          ps.setString(5, truncate(cause, 2000));
          ps.executeUpdate();
        }
        return "; recorded in " + LOG_TABLE + " on shard '" + shards.name(s) + "'";
      } catch (SQLException r) {
        LOG.warn("CollegeDB: could not record the part-done schema change on shard '{}': {}", shards.name(s),
            r.getMessage());
      }
    }
    return "; it could not be recorded on those shards (see the log)";
  }

  private void execute(int shard, String sql) throws SQLException {
    try (Statement st = shards.use(shard).createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw ShardErrors.named(e, shards.name(shard));
    }
  }

  private String names(List<Integer> list) {
    List<String> names = new ArrayList<>();
    for (int s : list) {
      names.add(shards.name(s));
    }
    return names.toString();
  }

  private static String truncate(String s, int n) {
    return s == null || s.length() <= n ? s : s.substring(0, n);
  }
}
