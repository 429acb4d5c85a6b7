package org.collegedb.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.Tokens;
import org.junit.jupiter.api.Test;

/**
 * {@link Splice}: edits by token ranges keep everything else of the application's text (comments, spacing, case),
 * and the parameter map says which caller parameter each {@code ?} of the result is, however the edits move them.
 */
class SpliceTest {
  /** The index of the {@code n}th (0-based) token whose text is {@code text}. */
  static int token(Tokens tokens, String text, int n) {
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.text(i).equalsIgnoreCase(text) && n-- == 0) {
        return i;
      }
    }
    throw new AssertionError("no token " + text + " in " + tokens.sql());
  }

  static int token(Tokens tokens, String text) {
    return token(tokens, text, 0);
  }

  @Test
  void noEditsGiveTheTextAndTheParametersInOrder() {
    Tokens t = SqlLexer.lex("SELECT ?, a /* ? in a comment */ FROM t WHERE b = ? -- ?\n AND c = '?'");
    ShardSql out = new Splice(t).apply();
    assertThat(out.sql()).isEqualTo(t.sql());
    assertThat(out.params()).containsExactly(1, 2);
    assertThat(new Splice(t).isEmpty()).isTrue();
  }

  @Test
  void replacementKeepsCommentsAndSpacingAroundIt() {
    Tokens t = SqlLexer.lex("select  a /* keep */ ,b\nFROM   t  WHERE x = ?  LIMIT 10 -- end");
    Splice s = new Splice(t);
    s.replace(token(t, "LIMIT"), token(t, "10"), "LIMIT 25");
    ShardSql out = s.apply();
    assertThat(out.sql()).isEqualTo("select  a /* keep */ ,b\nFROM   t  WHERE x = ?  LIMIT 25 -- end");
    assertThat(out.params()).containsExactly(1);
    assertThat(s.isEmpty()).isFalse();
  }

  @Test
  void copiesMoveParametersAndTheMapFollowsThem() {
    Tokens t = SqlLexer.lex("SELECT ? AS x, ? AS y FROM t WHERE a = ?");
    int firstQ = token(t, "?", 0);
    int secondQ = token(t, "?", 1);
    Splice s = new Splice(t);
    // swap the two select items, and repeat the WHERE parameter
    s.replace(firstQ, firstQ + 2, new Splice.Copy(secondQ, secondQ + 2));
    s.replace(secondQ, secondQ + 2, new Splice.Copy(firstQ, firstQ + 2));
    int where = token(t, "?", 2);
    s.replace(where, where, "(", new Splice.Copy(where, where), " + ", new Splice.Copy(where, where), ")");
    ShardSql out = s.apply();
    assertThat(out.sql()).isEqualTo("SELECT ? AS y, ? AS x FROM t WHERE a = (? + ?)");
    assertThat(out.params()).containsExactly(2, 1, 3, 3);
  }

  @Test
  void boundPlaceholdersOfTheDriverAreRecordedAsGiven() {
    Tokens t = SqlLexer.lex("UPDATE t SET v = ? WHERE id = ?");
    Splice s = new Splice(t);
    s.insertAfter(t.size() - 1, " AND k = ");
    s.replace(t.size(), t.size() - 1, new Splice.Bound(-1), " AND j = ", new Splice.Bound(-2));
    ShardSql out = s.apply();
    assertThat(out.sql()).isEqualTo("UPDATE t SET v = ? WHERE id = ? AND k = ? AND j = ?");
    assertThat(out.params()).containsExactly(1, 2, -1, -2);
  }

  @Test
  void insertionsAtTheStartAndDeletionsDropTheirParameters() {
    Tokens t = SqlLexer.lex("SELECT a FROM t WHERE a = ? ORDER BY ? LIMIT ?");
    Splice s = new Splice(t);
    s.replace(0, -1, "/* shard 2 */ ");
    s.replace(token(t, "ORDER"), t.size() - 1, "");
    ShardSql out = s.apply();
    assertThat(out.sql()).isEqualTo("/* shard 2 */ SELECT a FROM t WHERE a = ? ");
    assertThat(out.params()).containsExactly(1);
  }

  @Test
  void editsMayBeAddedInAnyOrder() {
    Tokens t = SqlLexer.lex("SELECT a, b FROM t WHERE c = ? LIMIT ?");
    Splice forward = new Splice(t);
    forward.insertAfter(token(t, "b"), ", c AS __h");
    forward.replace(token(t, "LIMIT"), t.size() - 1, "LIMIT 9");
    Splice backward = new Splice(t);
    backward.replace(token(t, "LIMIT"), t.size() - 1, "LIMIT 9");
    backward.insertAfter(token(t, "b"), ", c AS __h");
    assertThat(forward.apply().sql()).isEqualTo("SELECT a, b, c AS __h FROM t WHERE c = ? LIMIT 9")
        .isEqualTo(backward.apply().sql());
    assertThat(backward.apply().params()).containsExactly(1);
  }

  @Test
  void overlappingEditsAreAProgrammingError() {
    Tokens t = SqlLexer.lex("SELECT a FROM t WHERE a = 1");
    Splice s = new Splice(t).replace(1, 3, "x").replace(2, 4, "y");
    assertThatThrownBy(s::apply).isInstanceOf(IllegalStateException.class).hasMessage("overlapping edits at token 2");
  }

  @Provide
  Arbitrary<String> statements() {
    return Arbitraries.of(
        "SELECT a, ?, b FROM t WHERE x IN (?, ?, 3) AND y = ? ORDER BY a LIMIT ?",
        "INSERT INTO t (a, b) VALUES (?, 'it''s ?'), (?, /* ? */ ?)",
        "UPDATE t SET a = ? , b = b + ?   WHERE id = ? -- trailing ?",
        "select\t\"Quoted ?\" , x.? from x where \"y\" = ?;");
  }

  /** Replacing any set of disjoint token ranges with copies of themselves changes nothing, parameters included. */
  @Property(tries = 300)
  void copyingRangesOntoThemselvesIsTheIdentity(@ForAll("statements") String sql, @ForAll long seed) {
    Tokens t = SqlLexer.lex(sql);
    java.util.Random random = new java.util.Random(seed);
    List<int[]> ranges = new ArrayList<>();
    int i = 0;
    while (i < t.size()) {
      int length = 1 + random.nextInt(4);
      int to = Math.min(t.size() - 1, i + length - 1);
      if (random.nextBoolean()) {
        ranges.add(new int[] {i, to});
      }
      i = to + 1 + random.nextInt(2);
    }
    Collections.shuffle(ranges, random);
    Splice s = new Splice(t);
    for (int[] r : ranges) {
      s.replace(r[0], r[1], new Splice.Copy(r[0], r[1]));
    }
    ShardSql out = s.apply();
    assertThat(out.sql()).isEqualTo(sql);
    assertThat(out.params()).containsExactly(IntStream.rangeClosed(1, t.paramCount()).toArray());
  }
}
