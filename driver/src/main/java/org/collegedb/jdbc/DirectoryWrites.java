package org.collegedb.jdbc;

import java.sql.SQLException;
import java.util.List;
import org.collegedb.directory.GeneratedKeys;
import org.collegedb.directory.KeyRows;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.rewrite.ShardSql;
import org.collegedb.route.Bindings;
import org.collegedb.route.Route;
import org.collegedb.schema.TableRule;

/**
 * Runs the writes the directory takes part in: INSERTs whose key the database would generate (the directory hands
 * out the values). The logic is in {@link org.collegedb.directory}; this class joins it to a statement's execution.
 */
final class DirectoryWrites {
  private final CollegeStatement statement;
  private final CollegeConnection connection;

  DirectoryWrites(CollegeStatement statement) {
    this.statement = statement;
    this.connection = statement.connection;
  }

  /** Whether a plain INSERT into this table goes through here rather than straight to its shards. */
  static boolean involved(TableRule rule) {
    return rule.sharded() && rule.generatedKey() != null;
  }

  /** Whether a write of a prepared statement involves the directory (its batches then run entry by entry). */
  static boolean involved(CollegeStatement statement, ParsedStatement plan) throws SQLException {
    if (plan instanceof ParsedStatement.Insert insert) {
      return involved(statement.connection.router().context().rule(insert.table().name()));
    }
    return false;
  }

  /** Runs an INSERT ... VALUES; false when the directory has no part in it (the caller runs it as usual). */
  boolean insert(ParsedStatement.Insert insert, Tokens tokens, Bindings.Parameters params,
      GeneratedKeysRequest keys) throws SQLException {
    TableRule rule = connection.router().context().rule(insert.table().name());
    if (!involved(rule)) {
      return false;
    }
    Bindings bindings = new Bindings(tokens, params, statement.cluster.backslashEscapes());
    GeneratedKeys.Rewrite rewrite = GeneratedKeys.rewrite(statement.cluster.directory(), connection.shards(), rule,
        insert, bindings);
    Tokens text = tokens;
    ParsedStatement.Insert plan = insert;
    Bindings.Parameters values = params;
    int[] map = null;
    if (rewrite != null) {
      text = statement.cluster.plans().lex(rewrite.sql());
      plan = (ParsedStatement.Insert) statement.cluster.plans().plan(text);
      int[] m = rewrite.params();
      values = index -> params.value(m[index - 1]);
      map = m;
    }
    Route route = connection.router().routeInsert(plan, new Bindings(text, values,
        statement.cluster.backslashEscapes()));
    if (map != null) {
      route = callerParameters(route, text, map);
    }
    GeneratedKeysRequest asked = statement.keysRequest;
    statement.keysRequest = GeneratedKeysRequest.NONE; // the keys are known here: the shards need not return them
    try {
      statement.write(route, text, GeneratedKeysRequest.NONE);
    } finally {
      statement.keysRequest = asked;
    }
    if (keys.wanted()) {
      String column = keys.names() != null && keys.names().length > 0 ? keys.names()[0] : rule.generatedKey();
      List<Object> rowKeys = rewrite != null ? rewrite.keys() : givenKeys(rule, insert, bindings);
      statement.setGeneratedKeys(KeyRows.of(column, rowKeys));
    }
    return true;
  }

  private static List<Object> givenKeys(TableRule rule, ParsedStatement.Insert insert, Bindings bindings)
      throws SQLException {
    List<String> columns = insert.columns().isEmpty() ? rule.columns()
        : insert.columns().stream().map(c -> c.toLowerCase(java.util.Locale.ROOT)).toList();
    int position = columns.indexOf(rule.generatedKey());
    List<Object> out = new java.util.ArrayList<>();
    for (ParsedStatement.Row row : insert.rows()) {
      Object v = bindings.value(row.values().get(position));
      out.add(v instanceof Number n && !(v instanceof java.math.BigDecimal) ? (Object) n.longValue() : v);
    }
    return out;
  }

  /** A route over a rewritten text, with each shard's parameters given as the caller's parameter indices. */
  static Route callerParameters(Route route, Tokens text, int[] map) {
    ShardSql[] sql = new ShardSql[route.shards().length];
    for (int i = 0; i < sql.length; i++) {
      ShardSql s = route.sql(i);
      if (s == null) {
        sql[i] = new ShardSql(text.sql(), map);
      } else {
        int[] composed = new int[s.params() == null ? map.length : s.params().length];
        for (int p = 0; p < composed.length; p++) {
          composed[p] = map[(s.params() == null ? p + 1 : s.params()[p]) - 1];
        }
        sql[i] = new ShardSql(s.sql(), composed);
      }
    }
    return new Route(route.kind(), route.shards(), sql);
  }
}
