package org.collegedb.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;
import org.collegedb.route.Bindings;
import org.collegedb.route.Route;
import org.collegedb.schema.TableRule;

/**
 * INSERT ... SELECT. When both sides are whole on every shard, each shard copies its own rows. Otherwise the query
 * runs through CollegeDB (so it reads every shard it must, merged as any query), and its rows are inserted through
 * CollegeDB in chunks (so each row goes to its key's shard), all in one transaction per shard.
 */
final class InsertSelect {
  private static final int CHUNK = 500;
  private final CollegeStatement statement;

  InsertSelect(CollegeStatement statement) {
    this.statement = statement;
  }

  void run(ParsedStatement.Insert insert, Tokens tokens, Bindings.Parameters params) throws SQLException {
    CollegeConnection connection = statement.connection;
    TableRule target = connection.router().context().rule(insert.table().name());
    boolean sourceEverywhere = true;
    for (var t : insert.source().tables()) {
      if (!connection.router().context().rule(t.name()).broadcast()) {
        sourceEverywhere = false;
      }
    }
    if (target.broadcast() && sourceEverywhere) {
      statement.write(connection.router().everywhere(Route.Kind.BROADCAST_WRITE), tokens,
          GeneratedKeysRequest.NONE);
      return;
    }
    if (target.broadcast()) {
      throw new SQLFeatureNotSupportedException("INSERT into the broadcast table '" + target.name()
          + "' from sharded tables is not supported: read the rows, then insert them", SqlStates.NOT_SUPPORTED);
    }
    if (insert.upsert() != ParsedStatement.Upsert.NONE || insert.returning()) {
      throw new SQLFeatureNotSupportedException("INSERT ... SELECT with an upsert clause or RETURNING cannot run "
          + "across shards", SqlStates.NOT_SUPPORTED);
    }
    int start = sourceStart(tokens);
    List<String> columns = insert.columns().isEmpty() ? target.columns() : insert.columns();
    if (columns.isEmpty()) {
      throw new SQLException("table '" + insert.table().name() + "' does not exist", SqlStates.UNDEFINED_TABLE);
    }
    List<Object[]> rows = readSource(connection, tokens, start, params, columns.size());
    String head = "INSERT INTO " + tokens.sql().substring(tokens.start(tableToken(tokens)),
        tokens.end(tableEnd(tokens))) + " (" + String.join(", ", columns) + ") VALUES ";
    int[] all = connection.router().everywhere(Route.Kind.WRITE).shards();
    long total = connection.shards().atomically(all, () -> {
      long count = 0;
      for (int from = 0; from < rows.size(); from += CHUNK) {
        List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
        count += insertChunk(connection, head, columns.size(), chunk);
      }
      return count;
    });
    statement.setUpdateCount(total);
  }

  private long insertChunk(CollegeConnection connection, String head, int width, List<Object[]> chunk)
      throws SQLException {
    StringBuilder sql = new StringBuilder(head);
    String row = "(" + "?, ".repeat(width - 1) + "?)";
    for (int i = 0; i < chunk.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(row);
    }
    try (CollegePreparedStatement ps = (CollegePreparedStatement) connection.prepareStatement(sql.toString())) {
      int p = 1;
      for (Object[] r : chunk) {
        for (Object v : r) {
          ps.setObject(p++, v);
        }
      }
      return ps.executeLargeUpdate();
    }
  }

  private static List<Object[]> readSource(CollegeConnection connection, Tokens tokens, int start,
      Bindings.Parameters params, int width) throws SQLException {
    String sql = tokens.sql().substring(tokens.start(start));
    List<Object[]> rows = new ArrayList<>();
    try (CollegePreparedStatement ps = (CollegePreparedStatement) connection.prepareStatement(sql)) {
      Rewritten.bindSpan(ps, 1, tokens, start, tokens.size() - 1, params);
      try (ResultSet rs = ps.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        if (columns != width) {
          throw new java.sql.SQLSyntaxErrorException("INSERT ... SELECT: the query returns " + columns + " columns for " + width
              + " target columns", SqlStates.SYNTAX);
        }
        while (rs.next()) {
          Object[] r = new Object[columns];
          for (int c = 0; c < columns; c++) {
            r[c] = rs.getObject(c + 1);
          }
          rows.add(r);
        }
      }
    }
    return rows;
  }

  /** The first token of the source query: after INTO, the table name and any column list. */
  private static int sourceStart(Tokens tokens) throws SQLException {
    int i = tableEnd(tokens) + 1;
    if (tokens.is(i, TokenType.LPAREN) && !isQueryStart(tokens, i + 1)) {
      i = tokens.matchingParen(i) + 1;
    }
    if (i >= tokens.size()) {
      throw new java.sql.SQLSyntaxErrorException("INSERT ... SELECT without a query", SqlStates.SYNTAX);
    }
    return i;
  }

  private static boolean isQueryStart(Tokens tokens, int i) {
    return tokens.isWord(i, "SELECT") || tokens.isWord(i, "WITH") || tokens.isWord(i, "VALUES");
  }

  private static int tableToken(Tokens tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.isWord(i, "INTO")) {
        return i + 1;
      }
    }
    return 1;
  }

  private static int tableEnd(Tokens tokens) {
    int i = tableToken(tokens);
    while (tokens.isSymbol(i + 1, ".")) {
      i += 2;
    }
    return i;
  }
}
