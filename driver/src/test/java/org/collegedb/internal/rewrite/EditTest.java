package org.collegedb.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.Tokens;
import org.junit.jupiter.api.Test;

/** {@link Edit}: one edit as a value, applied by {@link Splice} and printed as a stable text. */
class EditTest {
  @Test
  void editsApplyAndPrint() {
    Tokens t = SqlLexer.lex("SELECT a, b FROM t ORDER BY a LIMIT 10");
    Edit hidden = Edit.insertAfter(3, ", c AS h1");
    Edit limit = Edit.replace(9, 10, "LIMIT 20");
    Edit order = Edit.delete(6, 8);
    assertThat(Edits.of(List.of(hidden, limit)).applyTo(t).sql())
        .isEqualTo("SELECT a, b, c AS h1 FROM t ORDER BY a LIMIT 20");
    assertThat(order.applyTo(t).sql()).isEqualTo("SELECT a, b FROM t  LIMIT 10");
    assertThat(hidden).hasToString("insert before 4 with ', c AS h1'");
    assertThat(Edits.of(List.of(limit, order))).hasToString("replace 9..10 with 'LIMIT 20'; replace 6..8 with ''");
    assertThat(Edit.replace(1, 1, "'x'", new Splice.Copy(3, 3), new Splice.Bound(2), new Splice.Bound(-1)))
        .hasToString("replace 1..1 with '''x''' + copy 3..3 + ?2 + ?v1");
  }

  @Test
  void composeBuildsANewTextFromPartsOfTheOldOnly() {
    Tokens t = SqlLexer.lex("/* c */ UPDATE t SET a = ? WHERE b = ? -- end");
    ShardSql s = Splice.compose(t, "SELECT COUNT(*) FROM ", new Splice.Copy(1, 1), " WHERE ", new Splice.Copy(7, 9));
    assertThat(s.sql()).isEqualTo("SELECT COUNT(*) FROM t WHERE b = ?");
    assertThat(s.params()).containsExactly(2);
  }
}
