package org.collegedb.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.table;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Spring's JdbcTemplate and jOOQ over CollegeDB: CRUD by key and queries over every shard. */
class SpringAndJooqTest {

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void jdbcTemplate(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "SpringAndJooqTest_spring", 3);
    try (HikariDataSource pool = Configs.pool(Configs.configFile(shards, "accounts", "owner"))) {
      JdbcTemplate jdbc = new JdbcTemplate(pool);
      jdbc.execute("CREATE TABLE accounts (owner VARCHAR(20) NOT NULL, id INT NOT NULL, balance DECIMAL(12, 2), "
          + "PRIMARY KEY (owner, id))");
      int[][] counts = jdbc.batchUpdate("INSERT INTO accounts (owner, id, balance) VALUES (?, ?, ?)",
          List.of(new Object[] {"ann", 1, new BigDecimal("10.50")}, new Object[] {"bob", 1, new BigDecimal("20")},
              new Object[] {"cy", 1, new BigDecimal("5")}, new Object[] {"ann", 2, new BigDecimal("1.25")}),
          10, (ps, row) -> {
            ps.setString(1, (String) row[0]);
            ps.setInt(2, (Integer) row[1]);
            ps.setBigDecimal(3, (BigDecimal) row[2]);
          });
      assertThat(counts[0]).containsExactly(1, 1, 1, 1);
      assertThat(jdbc.update("UPDATE accounts SET balance = balance + ? WHERE owner = ? AND id = ?",
          new BigDecimal("1"), "bob", 1)).isEqualTo(1);
      assertThat(jdbc.queryForObject("SELECT balance FROM accounts WHERE owner = ? AND id = ?", BigDecimal.class,
          "bob", 1)).isEqualByComparingTo("21");
      // a fan-out: every shard, merged
      List<Map<String, Object>> totals = jdbc.queryForList(
          "SELECT owner, SUM(balance) AS total, COUNT(*) AS n FROM accounts GROUP BY owner ORDER BY owner");
      assertThat(totals).extracting(m -> m.get("owner")).containsExactly("ann", "bob", "cy");
      assertThat(new BigDecimal(totals.get(0).get("total").toString())).isEqualByComparingTo("11.75");
      assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM accounts", Long.class)).isEqualTo(4);
      // a transaction over several shards, rolled back as a whole
      TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(pool));
      assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
        jdbc.update("DELETE FROM accounts WHERE owner = ?", "ann");
        jdbc.update("DELETE FROM accounts WHERE owner = ?", "cy");
        throw new IllegalStateException("roll back");
      })).hasMessage("roll back");
      assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM accounts", Long.class)).isEqualTo(4);
      tx.setReadOnly(true); // Spring's read-only transactions call setReadOnly on the connection
      Long inReadOnly = tx.execute(status -> jdbc.queryForObject("SELECT COUNT(*) FROM accounts", Long.class));
      assertThat(inReadOnly).isEqualTo(4);
      assertThat(jdbc.update("DELETE FROM accounts WHERE owner = ?", "cy")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void jooq(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "SpringAndJooqTest_jooq", 3);
    try (HikariDataSource pool = Configs.pool(Configs.configFile(shards, "posts", "author_id"))) {
      DSLContext db = DSL.using(pool, backend == Backend.SQLITE ? SQLDialect.SQLITE : SQLDialect.POSTGRES);
      db.execute("CREATE TABLE posts (id INT PRIMARY KEY, author_id INT NOT NULL, title VARCHAR(100), likes INT)");
      Field<Integer> id = field("id", Integer.class);
      Field<Integer> author = field("author_id", Integer.class);
      Field<String> title = field("title", String.class);
      Field<Integer> likes = field("likes", Integer.class);
      for (int i = 1; i <= 24; i++) {
        assertThat(db.insertInto(table("posts"), id, author, title, likes).values(i, i % 6, "post " + i, i * 2)
            .execute()).isEqualTo(1);
      }
      assertThat(db.update(table("posts")).set(likes, 1000).where(author.eq(3)).and(id.eq(9)).execute())
          .isEqualTo(1);
      assertThat(db.select(likes).from("posts").where(author.eq(3)).and(id.eq(9)).fetchOne(likes)).isEqualTo(1000);
      assertThat(db.deleteFrom(table("posts")).where(author.eq(5)).and(id.eq(5)).execute()).isEqualTo(1);
      Result<?> top = db.select(author, sum(likes).as("total"), count().as("n")).from("posts")
          .groupBy(author).orderBy(field("total").desc()).limit(2).fetch();
      assertThat(top.getValues(author)).containsExactly(3, 0);
      assertThat(db.fetchCount(table("posts"))).isEqualTo(23);
      // post 5 was deleted
      assertThat(db.selectFrom("posts").orderBy(id).limit(3).offset(10).fetch(id)).containsExactly(12, 13, 14);
    }
  }
}
