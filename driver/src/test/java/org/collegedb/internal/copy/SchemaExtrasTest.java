package org.collegedb.internal.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.internal.schema.Dialect;
import org.junit.jupiter.api.Test;

/** Which defaults translate (as each product's metadata spells them), and the indexes read from H2 and SQLite. */
class SchemaExtrasTest {
  @Test
  void literalsTranslateAsTheyAre() {
    assertThat(SchemaExtras.translateDefault("7", "INTEGER", Dialect.H2)).isEqualTo("7");
    assertThat(SchemaExtras.translateDefault("(-1.5)", "DECIMAL(6, 2)", Dialect.POSTGRES)).isEqualTo("-1.5");
    assertThat(SchemaExtras.translateDefault("'anon'::character varying", "VARCHAR(40)", Dialect.MYSQL))
        .isEqualTo("'anon'");
    assertThat(SchemaExtras.translateDefault("'it''s'", "VARCHAR(40)", Dialect.POSTGRES)).isEqualTo("'it''s'");
    assertThat(SchemaExtras.translateDefault("NULL", "VARCHAR(40)", Dialect.POSTGRES)).isEqualTo("NULL");
  }

  @Test
  void booleansFollowTheTarget() {
    assertThat(SchemaExtras.translateDefault("true", "BOOLEAN", Dialect.POSTGRES)).isEqualTo("TRUE");
    assertThat(SchemaExtras.translateDefault("TRUE", "BIGINT", Dialect.SQLITE)).isEqualTo("1");
    assertThat(SchemaExtras.translateDefault("FALSE", "BOOLEAN", Dialect.MYSQL)).isEqualTo("0");
  }

  @Test
  void theCurrentTimestampOnlyOnATimestampColumn() {
    assertThat(SchemaExtras.translateDefault("now()", "TIMESTAMP", Dialect.POSTGRES)).isEqualTo("CURRENT_TIMESTAMP");
    assertThat(SchemaExtras.translateDefault("current_timestamp()", "DATETIME(6)", Dialect.MYSQL))
        .isEqualTo("CURRENT_TIMESTAMP(6)");
    assertThat(SchemaExtras.translateDefault("CURRENT_TIMESTAMP", "TEXT", Dialect.SQLITE))
        .isEqualTo("CURRENT_TIMESTAMP");
    assertThat(SchemaExtras.translateDefault("CURRENT_TIMESTAMP", "VARCHAR(20)", Dialect.POSTGRES)).isNull();
  }

  @Test
  void anythingElseIsNotTranslated() {
    assertThat(SchemaExtras.translateDefault("nextval('users_id_seq'::regclass)", "BIGINT", Dialect.POSTGRES))
        .isNull();
    assertThat(SchemaExtras.translateDefault("lower('ABC')", "VARCHAR(10)", Dialect.H2)).isNull();
    assertThat(SchemaExtras.translateDefault("CURRENT_DATE", "DATE", Dialect.H2)).isNull();
    assertThat(SchemaExtras.translateDefault("'a\\b'", "VARCHAR(10)", Dialect.MYSQL)).isNull();
    assertThat(SchemaExtras.translateDefault("(1) + (2)", "INTEGER", Dialect.H2)).isNull();
  }

  @Test
  void secondaryIndexesButNotThePrimaryKeys() throws Exception {
    for (String url : new String[] {"jdbc:h2:mem:extras;DB_CLOSE_DELAY=-1", "jdbc:sqlite::memory:"}) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, a VARCHAR(10), b INTEGER, c VARCHAR(10) UNIQUE)");
        s.execute("CREATE INDEX t_ab ON t (a, b DESC)");
        s.execute("CREATE UNIQUE INDEX t_b ON t (b)");
        List<String> warnings = new ArrayList<>();
        List<SchemaExtras.Index> found = SchemaExtras.indexes(c, "t", List.of("id"), warnings);
        // SQLite's driver does not report an index column's direction
        List<String> ab = url.contains("sqlite") ? List.of("a", "b") : List.of("a", "b DESC");
        assertThat(found).as(url).contains(new SchemaExtras.Index("t_ab", false, ab),
            new SchemaExtras.Index("t_b", true, List.of("b")));
        assertThat(found).as(url).anyMatch(ix -> ix.unique() && ix.columns().equals(List.of("c"))
            && !ix.name().startsWith("sqlite_"));
        assertThat(found).as(url).noneMatch(ix -> ix.columns().equals(List.of("id")));
        assertThat(warnings).isEmpty();
        assertThat(found.get(0).createSql("t")).startsWith("CREATE ").contains("INDEX IF NOT EXISTS ");
      }
    }
  }
}
