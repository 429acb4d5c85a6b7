package org.collegedb.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.collegedb.internal.execute.ParameterStore;
import org.collegedb.internal.execute.ParameterStore.Setter;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.StatementAnalyzer;
import org.collegedb.parse.Tokens;
import org.collegedb.internal.schema.TableRule;
import org.junit.jupiter.api.Test;
import org.collegedb.internal.value.KeyType;
import org.collegedb.internal.value.Bindings;
import org.collegedb.internal.value.KeyHasher;

/** The router sends each key to the owner the shard map names, whatever path (select, IN, insert) it takes. */
class RouterPlacementTest {
  private final ShardMap map = ShardMap.initial(List.of("s1", "s2", "s3", "s4"));
  private final TableRule users = new TableRule("users", TableRule.Placement.SHARDED, List.of("id"),
      new KeyType[] {KeyType.INTEGER}, List.of("id", "name"), List.of(), true);
  private final ShardRouter router = new ShardRouter(new ShardRouter.Context() {
    @Override
    public ShardMap shardMap() {
      return map;
    }

    @Override
    public TableRule rule(String table) {
      return users;
    }
  });

  private int owner(long key) throws SQLException {
    return map.ownerIndex(KeyHasher.hash(KeyType.INTEGER, key));
  }

  private static Tokens lex(String sql) {
    return SqlLexer.lex(sql);
  }

  @Test
  void aPointSelectGoesToTheOwnerOfItsKey() throws SQLException {
    Tokens tokens = lex("SELECT id, name FROM users WHERE id = ?");
    ParsedStatement.Select select = (ParsedStatement.Select) StatementAnalyzer.analyze(tokens);
    ParameterStore params = new ParameterStore();
    for (long key = 1; key <= 200; key++) {
      params.setPrimitive(1, Setter.LONG, key);
      Route route = router.routeSelect(select, new Bindings(tokens, params, false));
      assertThat(route.shards()).as("key %d", key).containsExactly(owner(key));
      assertThat(route.sql(0, tokens, null)).isNull();
    }
  }

  @Test
  void contradictoryKeysGoToOneShard() throws SQLException {
    Tokens tokens = lex("SELECT id FROM Users WHERE ID = 1 AND id = 2");
    Route route = router.routeSelect((ParsedStatement.Select) StatementAnalyzer.analyze(tokens),
        new Bindings(tokens, Bindings.Parameters.NONE, false));
    assertThat(route.shards()).containsExactly(0);
  }

  @Test
  void anInListGoesToItsOwnersEachWithItsOwnKeys() throws SQLException {
    Tokens tokens = lex("SELECT id FROM users WHERE id IN (1, 2, 3, 4, 5, 6, 7, 8) OR id = 9");
    Route route = router.routeSelect((ParsedStatement.Select) StatementAnalyzer.analyze(tokens),
        new Bindings(tokens, Bindings.Parameters.NONE, false));
    TreeSet<Integer> owners = new TreeSet<>();
    for (long key = 1; key <= 9; key++) {
      owners.add(owner(key));
    }
    assertThat(route.shards()).containsExactly(owners.stream().mapToInt(Integer::intValue).toArray());
    for (int i = 0; i < route.shards().length; i++) {
      List<String> mine = new ArrayList<>();
      for (long key = 1; key <= 8; key++) {
        if (owner(key) == route.shards()[i]) {
          mine.add(Long.toString(key));
        }
      }
      String expected = mine.isEmpty() ? "NULL" : String.join(", ", mine);
      assertThat(route.sql(i, tokens, null).sql()).isEqualTo("SELECT id FROM users WHERE id IN (" + expected + ") OR id = 9");
    }
  }

  @Test
  void aMultiRowInsertIsSplitByOwnerInRowOrder() throws SQLException {
    StringBuilder sql = new StringBuilder("INSERT INTO users (ID, name) VALUES ");
    for (int key = 1; key <= 12; key++) {
      sql.append(key > 1 ? ", " : "").append("(").append(key).append(", ?)");
    }
    Tokens tokens = lex(sql.toString());
    Route route = router.routeInsert((ParsedStatement.Insert) StatementAnalyzer.analyze(tokens),
        new Bindings(tokens, Bindings.Parameters.NONE, false));
    TreeSet<Integer> owners = new TreeSet<>();
    for (long key = 1; key <= 12; key++) {
      owners.add(owner(key));
    }
    assertThat(route.shards()).containsExactly(owners.stream().mapToInt(Integer::intValue).toArray());
    for (int i = 0; i < route.shards().length; i++) {
      List<String> rows = new ArrayList<>();
      List<Integer> params = new ArrayList<>();
      for (int key = 1; key <= 12; key++) {
        if (owner(key) == route.shards()[i]) {
          rows.add("(" + key + ", ?)");
          params.add(key);
        }
      }
      assertThat(route.sql(i, tokens, null).sql()).isEqualTo("INSERT INTO users (ID, name) VALUES " + String.join(", ", rows));
      assertThat(route.sql(i, tokens, null).params()).containsExactly(params.stream().mapToInt(Integer::intValue).toArray());
    }
  }
}
