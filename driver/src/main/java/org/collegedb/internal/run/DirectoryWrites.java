package org.collegedb.internal.run;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.collegedb.SqlStates;
import org.collegedb.internal.directory.AffectedRows;
import org.collegedb.internal.directory.GeneratedKeys;
import org.collegedb.internal.directory.KeyRows;
import org.collegedb.internal.directory.LookupChange;
import org.collegedb.internal.directory.PeekedResultSet;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.Tokens;
import org.collegedb.parse.ValueRef;
import org.collegedb.internal.rewrite.ShardSql;
import org.collegedb.internal.plan.Plan;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.route.Route;
import org.collegedb.internal.schema.TableRule;

/**
 * Runs the statements the directory takes part in: INSERTs whose key the database would generate (the directory
 * hands out the values), and writes to tables with lookup keys (the directory's entries are written before the
 * data and made stale after it); and re-checks reads routed by the directory cache. The logic is in
 * {@link org.collegedb.internal.directory}; this class joins it to a statement's execution.
 */
final class DirectoryWrites {
  private final StatementRunner statement;
  private final Session connection;

  DirectoryWrites(StatementRunner statement) {
    this.statement = statement;
    this.connection = statement.session();
  }

  /** Runs a write the directory takes part in. */
  /** The plan's count of owned rows (while a reshard moves rows), or null; with the statement's parameters. */
  private Plan.OwnedCount owned;
  private Bindings.Parameters ownedParams;

  void run(Plan.DirectoryWrite plan, Bindings bindings) throws SQLException {
    Bindings.Parameters params = bindings.parameters();
    owned = plan.owned();
    ownedParams = params;
    GeneratedKeysRequest keys = statement.keys();
    SQLException refused = owned == null ? null : new OwnedWrite(statement).keysRefused(owned, keys);
    if (refused != null) {
      throw refused; // before the directory or a shard is touched
    }
    if (plan.statement() instanceof ParsedStatement.Insert insert) {
      insert(insert, plan.rule(), plan.tokens(), params, keys);
    } else if (plan.statement() instanceof ParsedStatement.Update update) {
      update(update, plan.rule(), plan.route(), plan.tokens(), params, keys);
    } else {
      delete((ParsedStatement.Delete) plan.statement(), plan.rule(), plan.route(), plan.tokens(), params, keys);
    }
  }

  /**
   * A read routed by cached directory answers: whether it found no row (then the cache entries are dropped, and
   * the caller routes it again). The statement's result is kept, with its first row looked at.
   */
  static boolean foundNothing(StatementRunner statement, Route route) throws SQLException {
    ResultSet rs = statement.outcome().rows();
    if (rs == null) {
      return false;
    }
    PeekedResultSet peeked = new PeekedResultSet(rs);
    statement.outcome().rows(peeked);
    if (peeked.hasRow()) {
      return false;
    }
    for (String key : route.cacheUsed()) {
      statement.cluster().directory().forget(key);
    }
    return true;
  }

  // ---------------------------------------------------------------- INSERT

  /** Runs an INSERT ... VALUES whose keys the directory generates or places, or whose lookup keys it keeps. */
  private void insert(ParsedStatement.Insert insert, TableRule rule, Tokens tokens, Bindings.Parameters params,
      GeneratedKeysRequest keys) throws SQLException {
    boolean lookups = !rule.lookup().isEmpty();
    if (lookups && insert.upsert() != ParsedStatement.Upsert.NONE) {
      throw new SQLFeatureNotSupportedException("'" + rule.name() + "' has lookup keys " + rule.lookup()
          + ", whose directory entries an upsert (INSERT OR REPLACE/IGNORE, ON CONFLICT, ON DUPLICATE KEY) would "
          + "leave wrong: use INSERT, UPDATE and DELETE", SqlStates.NOT_SUPPORTED);
    }
    Bindings bindings = new Bindings(tokens, params, statement.cluster().backslashEscapes());
    GeneratedKeys.Rewrite rewrite = rule.generatedKey() == null ? null
        : GeneratedKeys.rewrite(statement.cluster().directory(), connection.shards(), rule, insert, bindings);
    Tokens text = tokens;
    ParsedStatement.Insert plan = insert;
    Bindings.Parameters values = params;
    int[] map = null;
    if (rewrite != null) {
      text = statement.cluster().plans().lex(rewrite.sql());
      plan = (ParsedStatement.Insert) statement.cluster().plans().plan(text);
      int[] m = rewrite.params();
      values = index -> params.value(m[index - 1]);
      map = m;
    }
    Bindings rowBindings = new Bindings(text, values, statement.cluster().backslashEscapes());
    Plan.PlacedInsert placed = connection.planner().placeRows(plan, rule, rowBindings, map);
    int[] owners = placed.owners();
    Route route = placed.route();
    LookupChange change = null;
    if (lookups) {
      change = new LookupChange(connection.directorySession(), rule);
      List<String> columns = columns(plan, rule);
      for (int r = 0; r < plan.rows().size(); r++) {
        for (String column : rule.lookup()) {
          int position = columns.indexOf(column);
          if (position < 0) {
            continue;
          }
          ValueRef ref = plan.rows().get(r).values().get(position);
          if (ref instanceof ValueRef.Computed) {
            throw computed(rule, column);
          }
          change.add(column, rowBindings.value(ref), connection.shards().name(owners[r]));
        }
      }
      change.before();
    }
    boolean ownKeys = rule.generatedKey() != null; // the keys are known here: the shards need not return them
    try {
      statement.write(route, text, ownKeys ? GeneratedKeysRequest.NONE : keys);
    } catch (SQLException | RuntimeException e) {
      if (change != null) {
        change.failed();
      }
      throw e;
    }
    if (change != null) {
      change.succeeded();
    }
    if (rewrite != null) {
      connection.lastInsertIds().record(rewrite.keys());
    }
    if (ownKeys && keys.wanted()) {
      String column = keys.names() != null && keys.names().length > 0 ? keys.names()[0] : rule.generatedKey();
      List<Object> rowKeys = rewrite != null ? rewrite.keys() : givenKeys(rule, insert, bindings);
      statement.outcome().keys(KeyRows.of(column, rowKeys));
    }
  }

  private static List<String> columns(ParsedStatement.Insert insert, TableRule rule) {
    return insert.columns().isEmpty() ? rule.columns()
        : insert.columns().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
  }

  private static SQLException computed(TableRule rule, String column) {
    return new SQLFeatureNotSupportedException("the lookup key '" + rule.name() + "." + column + "' is given as an "
        + "expression: give it as a literal or a ? parameter, so that the directory can keep its entry",
        SqlStates.NOT_SUPPORTED);
  }

  private static List<Object> givenKeys(TableRule rule, ParsedStatement.Insert insert, Bindings bindings)
      throws SQLException {
    int position = columns(insert, rule).indexOf(rule.generatedKey());
    List<Object> out = new ArrayList<>();
    for (ParsedStatement.Row row : insert.rows()) {
      Object v = bindings.value(row.values().get(position));
      out.add(v instanceof Number n && !(v instanceof java.math.BigDecimal) ? (Object) n.longValue() : v);
    }
    return out;
  }

  // ---------------------------------------------------------------- UPDATE, DELETE

  /**
   * An UPDATE that sets lookup columns: reads the rows' old values, writes the new entries, updates, and makes the
   * old entries stale. False when it sets no lookup column.
   */
  private void update(ParsedStatement.Update update, TableRule rule, Route route, Tokens tokens,
      Bindings.Parameters params, GeneratedKeysRequest keys) throws SQLException {
    List<String> changed = new ArrayList<>();
    List<ValueRef> newValues = new ArrayList<>();
    for (int i = 0; i < update.setColumns().size(); i++) {
      String column = update.setColumns().get(i).toLowerCase(Locale.ROOT);
      if (rule.lookup().contains(column) && !changed.contains(column)) {
        if (update.setValues().get(i) instanceof ValueRef.Computed) {
          throw computed(rule, column);
        }
        changed.add(column);
        newValues.add(update.setValues().get(i));
      }
    }
    Bindings bindings = new Bindings(tokens, params, statement.cluster().backslashEscapes());
    List<AffectedRows.Row> rows = ownedRows(AffectedRows.read(connection.shards(), route.shards(), tokens,
        update.spans(), withKey(changed, rule), params, statement.physical().queryTimeout()), changed.size());
    LookupChange change = new LookupChange(connection.directorySession(), rule);
    for (AffectedRows.Row row : rows) {
      String shard = connection.shards().name(row.shard());
      for (int c = 0; c < changed.size(); c++) {
        Object old = row.values()[c];
        Object now = bindings.value(newValues.get(c));
        if (!change.same(changed.get(c), old, now)) {
          change.add(changed.get(c), now, shard);
          change.remove(changed.get(c), old, shard);
        }
      }
    }
    run(change, route, tokens, keys);
  }

  /** A DELETE from a table with lookup keys: reads the rows' lookup values, deletes, makes their entries stale. */
  private void delete(ParsedStatement.Delete delete, TableRule rule, Route route, Tokens tokens,
      Bindings.Parameters params, GeneratedKeysRequest keys) throws SQLException {
    List<AffectedRows.Row> rows = ownedRows(AffectedRows.read(connection.shards(), route.shards(), tokens,
        delete.spans(), withKey(rule.lookup(), rule), params, statement.physical().queryTimeout()),
        rule.lookup().size());
    LookupChange change = new LookupChange(connection.directorySession(), rule);
    for (AffectedRows.Row row : rows) {
      for (int c = 0; c < rule.lookup().size(); c++) {
        change.remove(rule.lookup().get(c), row.values()[c], connection.shards().name(row.shard()));
      }
    }
    run(change, route, tokens, keys);
  }

  /** The columns to read of the affected rows, and (while a reshard moves rows: {@link #owned}) the key after them. */
  private List<String> withKey(List<String> columns, TableRule rule) {
    if (owned == null) {
      return columns;
    }
    List<String> all = new ArrayList<>(columns);
    all.addAll(rule.keyColumns());
    return all;
  }

  /**
   * The affected rows each shard owns, the key's values dropped ({@code width} columns kept): while a reshard moves
   * rows, a shard's copies (or old rows) of moving rows match the statement too, and their lookup values are not the
   * application's (the entry names the owner); without motion, the rows as read.
   */
  private List<AffectedRows.Row> ownedRows(List<AffectedRows.Row> rows, int width) throws SQLException {
    if (owned == null) {
      return rows;
    }
    org.collegedb.internal.merge.Ownership ownership = owned.ownership();
    org.collegedb.internal.merge.Ownership.Placed placed = ownership.loadPlacements();
    List<AffectedRows.Row> out = new ArrayList<>(rows.size());
    for (AffectedRows.Row row : rows) {
      Object[] key = java.util.Arrays.copyOfRange(row.values(), width, row.values().length);
      if (ownership.owns(row.shard(), key, placed)) {
        out.add(new AffectedRows.Row(row.shard(), java.util.Arrays.copyOf(row.values(), width)));
      }
    }
    return out;
  }

  private void run(LookupChange change, Route route, Tokens tokens, GeneratedKeysRequest keys) throws SQLException {
    change.before();
    try {
      if (owned != null) {
        // a reshard moves rows: counts the rows each shard owns
        new OwnedWrite(statement).run(route, tokens, owned, ownedParams, keys);
      } else {
        statement.write(route, tokens, keys);
      }
    } catch (SQLException | RuntimeException e) {
      change.failed();
      throw e;
    }
    change.succeeded();
  }
}
