package org.collegedb.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.collegedb.parse.Condition;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.Tokens;
import org.junit.jupiter.api.Test;

/** {@link Edits#both}: sets of edits compose into one splice, whichever order they come in. */
class EditsTest {
  private static ShardSql apply(Tokens tokens, Edits edits) {
    Splice s = new Splice(tokens);
    edits.addTo(s);
    return s.apply();
  }

  @Test
  void nullStandsForNoEdits() {
    Edits a = s -> s.insertAfter(0, " 1");
    assertThat(Edits.both(null, null)).isNull();
    assertThat(Edits.both(a, null)).isSameAs(a);
    assertThat(Edits.both(null, a)).isSameAs(a);
  }

  @Test
  void aShardsOwnPruningAndTheMergesLimitComposeInEitherOrder() {
    Tokens t = SqlLexer.lex("SELECT id FROM t WHERE id IN (?, ?, ?) ORDER BY name LIMIT ? OFFSET 2");
    List<Condition.In> lists = new ArrayList<>();
    Condition where = ((org.collegedb.parse.ParsedStatement.Select)
        org.collegedb.parse.StatementAnalyzer.analyze(t)).where();
    lists.add((Condition.In) where);
    BitSet keep = new BitSet();
    keep.set(2);
    Edits own = InListPruner.prune(lists, List.of(keep));
    int limit = SpliceTest.token(t, "LIMIT");
    Edits merge = s -> s.replace(limit, t.size() - 1, "LIMIT 7");
    ShardSql ab = apply(t, Edits.both(own, merge));
    ShardSql ba = apply(t, Edits.both(merge, own));
    assertThat(ab.sql()).isEqualTo("SELECT id FROM t WHERE id IN (?) ORDER BY name LIMIT 7").isEqualTo(ba.sql());
    assertThat(ab.params()).containsExactly(3).isEqualTo(ba.params());
  }
}
