package org.collegedb.internal.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.collegedb.parse.Condition;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.parse.SqlLexer;
import org.collegedb.parse.StatementAnalyzer;
import org.collegedb.parse.Tokens;
import org.junit.jupiter.api.Test;

/**
 * {@link InListPruner} on IN lists found by the real parser: one shard's text keeps only its elements, literal or
 * parameter, with the parameter map of what remains; a list that keeps nothing matches no row.
 */
class InListPrunerTest {
  private record Statement(Tokens tokens, List<Condition.In> lists) {
    ShardSql prune(BitSet... kept) {
      Edits edits = InListPruner.prune(lists, List.of(kept));
      if (edits == null) {
        return null;
      }
      Splice s = new Splice(tokens);
      edits.addTo(s);
      return s.apply();
    }
  }

  private static Statement parse(String sql) {
    Tokens tokens = SqlLexer.lex(sql);
    ParsedStatement p = StatementAnalyzer.analyze(tokens);
    Condition where;
    if (p instanceof ParsedStatement.Select s) {
      where = s.where();
    } else if (p instanceof ParsedStatement.Update u) {
      where = u.where();
    } else if (p instanceof ParsedStatement.Delete d) {
      where = d.where();
    } else {
      throw new AssertionError(p);
    }
    List<Condition.In> lists = new ArrayList<>();
    collect(where, lists);
    return new Statement(tokens, lists);
  }

  private static void collect(Condition c, List<Condition.In> out) {
    if (c instanceof Condition.In in) {
      out.add(in);
    } else if (c instanceof Condition.And and) {
      and.terms().forEach(t -> collect(t, out));
    } else if (c instanceof Condition.Or or) {
      or.terms().forEach(t -> collect(t, out));
    }
  }

  private static BitSet keep(int... elements) {
    BitSet b = new BitSet();
    for (int e : elements) {
      b.set(e);
    }
    return b;
  }

  @Test
  void aShardKeepsOnlyItsElementsAndTheirParameters() {
    Statement s = parse("SELECT * FROM t WHERE id IN (?, 5, ?, 'x') AND b = ?");
    assertThat(s.lists()).hasSize(1);
    ShardSql evens = s.prune(keep(0, 2));
    assertThat(evens.sql()).isEqualTo("SELECT * FROM t WHERE id IN (?, ?) AND b = ?");
    assertThat(evens.params()).containsExactly(1, 2, 3);
    ShardSql odds = s.prune(keep(1, 3));
    assertThat(odds.sql()).isEqualTo("SELECT * FROM t WHERE id IN (5, 'x') AND b = ?");
    assertThat(odds.params()).containsExactly(3);
    ShardSql second = s.prune(keep(2));
    assertThat(second.sql()).isEqualTo("SELECT * FROM t WHERE id IN (?) AND b = ?");
    assertThat(second.params()).containsExactly(2, 3);
  }

  @Test
  void aListThatKeepsNothingMatchesNoRow() {
    Statement s = parse("DELETE FROM t WHERE id IN (?, ?) OR b = ?");
    ShardSql none = s.prune(keep());
    assertThat(none.sql()).isEqualTo("DELETE FROM t WHERE id IN (NULL) OR b = ?");
    assertThat(none.params()).containsExactly(3);
  }

  @Test
  void keepingEveryElementLeavesTheTextAlone() {
    Statement s = parse("SELECT * FROM t WHERE id IN (1, 2, 3)");
    assertThat(s.prune(keep(0, 1, 2))).isNull();
  }

  @Test
  void duplicatedKeysAreElementsOfTheirOwn() {
    Statement s = parse("SELECT * FROM t WHERE id IN (7, ?, 7, ?, 8)");
    ShardSql sevens = s.prune(keep(0, 2));
    assertThat(sevens.sql()).isEqualTo("SELECT * FROM t WHERE id IN (7, 7)");
    assertThat(sevens.params()).isEmpty();
    ShardSql params = s.prune(keep(1, 3));
    assertThat(params.sql()).isEqualTo("SELECT * FROM t WHERE id IN (?, ?)");
    assertThat(params.params()).containsExactly(1, 2);
  }

  @Test
  void severalListsArePrunedEachByItsOwnSet() {
    Statement s = parse("UPDATE t SET v = ? WHERE a IN (?, ?, ?) AND (b IN (1, /* two */ 2) OR c = ?)");
    assertThat(s.lists()).hasSize(2);
    ShardSql out = s.prune(keep(2, 0), keep(1));
    assertThat(out.sql()).isEqualTo("UPDATE t SET v = ? WHERE a IN (?, ?) AND (b IN (2) OR c = ?)");
    assertThat(out.params()).containsExactly(1, 2, 4, 5);
    ShardSql onlySecond = s.prune(keep(0, 1, 2), keep());
    assertThat(onlySecond.sql()).isEqualTo("UPDATE t SET v = ? WHERE a IN (?, ?, ?) AND (b IN (NULL) OR c = ?)");
    assertThat(onlySecond.params()).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void elementsThatAreExpressionsAreCopiedWhole() {
    Statement s = parse("SELECT * FROM t WHERE id IN ( -1 , ? ,\n 'a''b' )");
    ShardSql out = s.prune(keep(0, 2));
    assertThat(out.sql()).isEqualTo("SELECT * FROM t WHERE id IN ( -1, 'a''b' )");
    assertThat(out.params()).isEmpty();
  }
}
