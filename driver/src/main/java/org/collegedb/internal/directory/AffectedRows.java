package org.collegedb.internal.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.SqlStates;
import org.collegedb.parse.Tokens;
import org.collegedb.parse.WriteSpans;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.rewrite.AffectedRowsText;
import org.collegedb.internal.rewrite.ShardSql;

/**
 * Reads, before an UPDATE or DELETE runs, the rows it will touch: a SELECT of the wanted columns with the
 * statement's own table and WHERE clause (copied from its text: {@link AffectedRowsText}), run on the shards the
 * statement goes to, in the caller's transaction.
 */
public final class AffectedRows {
  /** One row: its shard's index and the wanted columns' values. */
  public record Row(int shard, Object[] values) {
  }

  private AffectedRows() {
  }

  /**
   * @param spans   where the statement's table and WHERE clause stand in its tokens
   * @param columns the columns to read
   * @param timeout the caller's query timeout in seconds (0: none), for each shard's read
   */
  public static List<Row> read(ShardConnections shards, int[] targets, Tokens tokens, WriteSpans spans,
      List<String> columns, Bindings.Parameters params, int timeout) throws SQLException {
    if (spans.tableFrom() < 0) {
      throw new SQLException("cannot find the table of the statement", SqlStates.SYNTAX);
    }
    return read(shards, targets, AffectedRowsText.select(spans, columns).apply(tokens), columns.size(), params,
        timeout);
  }

  /**
   * The rows {@code sql} (a read of {@code width} columns) returns on each of {@code targets}, in order; with the
   * caller's query timeout ({@code timeout} seconds, 0: none), as its own statements have.
   */
  public static List<Row> read(ShardConnections shards, int[] targets, ShardSql sql, int width,
      Bindings.Parameters params, int timeout) throws SQLException {
    int[] mapping = sql.params();
    List<Row> rows = new ArrayList<>();
    for (int shard : targets) {
      Connection c = shards.use(shard);
      try (PreparedStatement ps = c.prepareStatement(sql.sql())) {
        if (params instanceof ParameterStore store) {
          store.bind(ps, mapping, mapping.length);
        } else {
          for (int i = 0; i < mapping.length; i++) {
            ps.setObject(i + 1, params.value(mapping[i]));
          }
        }
        org.collegedb.internal.execute.ShardWatchdog.timeout(ps, timeout);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Object[] values = new Object[width];
            for (int i = 0; i < values.length; i++) {
              values[i] = rs.getObject(i + 1);
            }
            rows.add(new Row(shard, values));
          }
        } finally {
          org.collegedb.internal.execute.ShardWatchdog.done(ps);
        }
      } catch (SQLException e) {
        throw org.collegedb.internal.execute.ShardErrors.named(e, shards.name(shard));
      }
    }
    return rows;
  }
}
