package org.collegedb.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.collegedb.parse.InsertSpans;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.Tokens;
import org.junit.jupiter.api.Test;

/** {@link InsertSelectText}: an INSERT ... SELECT's query on its own, and the INSERTs of its rows. */
class InsertSelectTextTest {
  @Test
  void theQueryIsTheRestOfTheTextWithItsParameters() {
    Tokens t = SqlLexer.lex("INSERT INTO archive (id, v) SELECT id, v FROM events WHERE v > ? AND id < ? -- copy\n");
    InsertSpans spans = InsertSpans.of(t);
    Composed query = InsertSelectText.query(spans.sourceStart());
    assertThat(query).hasToString("compose rest " + spans.sourceStart() + "..");
    ShardSql sql = query.apply(t);
    assertThat(sql.sql()).isEqualTo("SELECT id, v FROM events WHERE v > ? AND id < ? -- copy\n");
    assertThat(sql.params()).containsExactly(1, 2);
  }

  @Test
  void theHeadCopiesTheTableAndNamesTheColumns() {
    Tokens t = SqlLexer.lex("insert into  app.archive select * from events");
    Composed head = InsertSelectText.head(InsertSpans.of(t), List.of("id", "v"));
    assertThat(head).hasToString("compose 'INSERT INTO ' + copy 2..4 + ' (id, v) VALUES '");
    assertThat(head.apply(t).sql()).isEqualTo("INSERT INTO app.archive (id, v) VALUES ");
    assertThat(InsertSelectText.query(InsertSpans.of(t).sourceStart()).apply(t).sql())
        .isEqualTo("select * from events");
  }

  @Test
  void rowsAreListsOfPlaceholders() {
    assertThat(InsertSelectText.values("INSERT INTO t (a, b, c) VALUES ", 3, 2))
        .isEqualTo("INSERT INTO t (a, b, c) VALUES (?, ?, ?), (?, ?, ?)");
    assertThat(InsertSelectText.values("INSERT INTO t (a) VALUES ", 1, 3))
        .isEqualTo("INSERT INTO t (a) VALUES (?), (?), (?)");
  }
}
