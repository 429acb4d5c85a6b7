package org.collegedb.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.execute.ParameterStore;
import org.collegedb.execute.ShardConnections;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;
import org.collegedb.value.Bindings;

/**
 * Reads, before an UPDATE or DELETE runs, the rows it will touch: a SELECT of the wanted columns with the
 * statement's own table and WHERE clause (copied from its text), run on the shards the statement goes to, in the
 * caller's transaction.
 */
public final class AffectedRows {
  /** One row: its shard's index and the wanted columns' values. */
  public record Row(int shard, Object[] values) {
  }

  private AffectedRows() {
  }

  /**
   * @param verb    "UPDATE" or "DELETE"
   * @param columns the columns to read
   */
  public static List<Row> read(ShardConnections shards, int[] targets, Tokens tokens, String verb,
      List<String> columns, Bindings.Parameters params) throws SQLException {
    int end = tokens.size();
    while (end > 0 && tokens.type(end - 1) == TokenType.SEMICOLON) {
      end--;
    }
    int tableFrom = -1;
    int tableTo = -1;
    int where = -1;
    int stop = end;
    int depth = 0;
    for (int i = 0; i < end; i++) {
      TokenType t = tokens.type(i);
      if (t == TokenType.LPAREN) {
        depth++;
      } else if (t == TokenType.RPAREN) {
        depth--;
      } else if (depth == 0 && t == TokenType.WORD) {
        if (tableFrom < 0 && (verb.equals("UPDATE") ? tokens.isWord(i, "UPDATE") : tokens.isWord(i, "FROM"))) {
          tableFrom = i + 1;
        } else if (tableFrom >= 0 && tableTo < 0 && (tokens.isWord(i, "SET") || tokens.isWord(i, "WHERE")
            || tokens.isWord(i, "RETURNING"))) {
          tableTo = i - 1;
        }
        if (where < 0 && tokens.isWord(i, "WHERE")) {
          where = i;
        } else if (tokens.isWord(i, "RETURNING")) {
          stop = i;
          break;
        }
      }
    }
    if (tableFrom < 0) {
      throw new SQLException("cannot find the table of the " + verb, "42000");
    }
    if (tableTo < 0) {
      tableTo = stop - 1;
    }
    StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", columns)).append(" FROM ")
        .append(tokens.sql(), tokens.start(tableFrom), tokens.end(tableTo));
    List<Integer> map = new ArrayList<>();
    collect(tokens, tableFrom, tableTo, map);
    if (where >= 0) {
      sql.append(' ').append(tokens.sql(), tokens.start(where), tokens.end(stop - 1));
      collect(tokens, where, stop - 1, map);
    }
    int[] mapping = map.stream().mapToInt(Integer::intValue).toArray();
    List<Row> rows = new ArrayList<>();
    for (int shard : targets) {
      Connection c = shards.use(shard);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        if (params instanceof ParameterStore store) {
          store.bind(ps, mapping, mapping.length);
        } else {
          for (int i = 0; i < mapping.length; i++) {
            ps.setObject(i + 1, params.value(mapping[i]));
          }
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) {
              values[i] = rs.getObject(i + 1);
            }
            rows.add(new Row(shard, values));
          }
        }
      } catch (SQLException e) {
        throw org.collegedb.execute.ShardErrors.named(e, shards.name(shard));
      }
    }
    return rows;
  }

  private static void collect(Tokens tokens, int from, int to, List<Integer> out) {
    for (int i = from; i <= to; i++) {
      if (tokens.type(i) == TokenType.PARAM) {
        out.add(tokens.paramIndex(i));
      }
    }
  }
}
