package org.collegedb.internal.directory;

import org.collegedb.SqlStates;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.TokenType;
import org.collegedb.parse.Tokens;
import org.collegedb.parse.ValueRef;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.rewrite.Splice;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.schema.TableRule;

/**
 * Gives the rows of an INSERT their generated key when the database would generate it (the INSERT omits the key
 * column, or gives NULL or DEFAULT): values come from the directory's counter for the table, so they are unique
 * across shards and instances, and are spliced into the statement's text as literals (the column too, when the
 * INSERT does not name it), so that the row is routed by its key like any other.
 */
public final class GeneratedKeys {
  /**
   * The INSERT with every row's key in its text.
   *
   * @param sql    the new text
   * @param params for each {@code ?} of it, the caller's parameter index
   * @param keys   every row's key, in the caller's row order (generated or given)
   */
  public record Rewrite(String sql, int[] params, List<Object> keys) {
  }

  private GeneratedKeys() {
  }

  /**
   * The rewrite for an INSERT into a table with a generated key, or null when every row gives its key (explicit
   * values are reported to the counter, so that it never hands them out).
   */
  public static Rewrite rewrite(Directory directory, ShardConnections shards, TableRule rule,
      ParsedStatement.Insert insert, Bindings bindings) throws SQLException {
    String key = rule.generatedKey();
    Tokens tokens = bindings.tokens();
    List<String> columns = insert.columns().isEmpty() ? rule.columns()
        : insert.columns().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
    int position = columns.indexOf(key);
    List<ParsedStatement.Row> rows = insert.rows();
    List<Integer> missing = new ArrayList<>();
    List<Object> keys = new ArrayList<>();
    long highest = Long.MIN_VALUE;
    for (int r = 0; r < rows.size(); r++) {
      Object value = null;
      if (position >= 0) {
        ValueRef ref = rows.get(r).values().get(position);
        value = ref == ValueRef.Computed.DEFAULT ? null
            : ref instanceof ValueRef.Computed ? ref : bindings.value(ref);
      }
      if (value == null) {
        missing.add(r);
        keys.add(null);
      } else {
        keys.add(value);
        Long l = asLong(value);
        if (l != null) {
          highest = Math.max(highest, l);
        }
      }
    }
    String counter = KeyBlocks.counter(rule.name(), key);
    if (missing.isEmpty()) {
      if (highest != Long.MIN_VALUE) {
        directory.blocks().saw(counter, highest);
      }
      return null;
    }
    if (position < 0 && insert.columns().isEmpty()) {
      throw new SQLException("INSERT into '" + rule.name() + "' names no columns and has not the table's "
          + rule.columns().size() + " values: name the columns", SqlStates.VALUE_COUNT);
    }
    long[] generated = directory.blocks().take(counter, missing.size(),
        () -> largestKey(shards, insert.table().name(), key));
    if (highest != Long.MIN_VALUE) {
      directory.blocks().saw(counter, highest);
    }
    Splice splice = new Splice(tokens);
    if (position < 0) {
      int open = columnListOpen(tokens, insert);
      splice.insertAfter(open, key + ", ");
    }
    for (int i = 0; i < missing.size(); i++) {
      int r = missing.get(i);
      keys.set(r, generated[i]);
      ParsedStatement.Row row = rows.get(r);
      if (position < 0) {
        splice.insertAfter(row.open(), generated[i] + ", ");
      } else {
        int[] range = element(tokens, row, position);
        splice.replace(range[0], range[1], Long.toString(generated[i]));
      }
    }
    ShardSql sql = splice.apply();
    return new Rewrite(sql.sql(), sql.params(), keys);
  }

  static long largestKey(ShardConnections shards, String table, String column) throws SQLException {
    long max = 0;
    for (int s = 0; s < shards.size(); s++) {
      try (java.sql.Statement st = shards.raw(s).createStatement();
           java.sql.ResultSet rs = st.executeQuery("SELECT MAX(" + column + ") FROM " + table)) {
        if (rs.next()) {
          Object v = rs.getObject(1);
          Long l = v == null ? null : asLong(v);
          if (l != null) {
            max = Math.max(max, l);
          }
        }
      }
    }
    return max;
  }

  static Long asLong(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    try {
      if (value instanceof BigDecimal d) {
        return d.toBigInteger().longValueExact();
      }
      if (value instanceof BigInteger i) {
        return i.longValueExact();
      }
      if (value instanceof Number n) {
        return n.longValue();
      }
      if (value instanceof String s) {
        return Long.parseLong(s.trim());
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
    return null;
  }

  /** The token of the parenthesis opening the INSERT's column list. */
  static int columnListOpen(Tokens tokens, ParsedStatement.Insert insert) throws SQLException {
    int firstRow = insert.rows().get(0).open();
    for (int i = 0; i < firstRow; i++) {
      if (tokens.is(i, TokenType.LPAREN)) {
        return i;
      }
    }
    throw new SQLException("cannot find the column list of the INSERT", SqlStates.SYNTAX);
  }

  /** The first and last token of value {@code index} of a VALUES row. */
  static int[] element(Tokens tokens, ParsedStatement.Row row, int index) throws SQLException {
    java.util.List<int[]> values = tokens.items(row.open() + 1, row.close() - 1);
    if (index >= values.size()) {
      throw new SQLException("a VALUES row has fewer values than columns", SqlStates.VALUE_COUNT);
    }
    return values.get(index);
  }

}
