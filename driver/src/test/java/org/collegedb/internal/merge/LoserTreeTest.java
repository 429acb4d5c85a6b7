package org.collegedb.internal.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LoserTreeTest {

  /** Merges sorted lists through the tree: [list, position] of each value taken, in the order taken. */
  private static List<int[]> merge(List<List<Integer>> inputs, int[] comparisons) throws SQLException {
    int[] at = new int[inputs.size()];
    LoserTree.Order order = (a, b) -> {
      comparisons[0]++;
      boolean aEnded = at[a] == inputs.get(a).size();
      boolean bEnded = at[b] == inputs.get(b).size();
      if (aEnded || bEnded) {
        return !aEnded;
      }
      int c = Integer.compare(inputs.get(a).get(at[a]), inputs.get(b).get(at[b]));
      return c != 0 ? c < 0 : a < b;
    };
    LoserTree tree = new LoserTree(inputs.size(), order);
    List<int[]> taken = new ArrayList<>();
    while (true) {
      int w = tree.winner();
      if (at[w] == inputs.get(w).size()) {
        return taken;
      }
      taken.add(new int[] {w, at[w]});
      at[w]++;
      tree.replay();
    }
  }

  @Provide
  Arbitrary<List<List<Integer>>> sortedInputs() {
    // few distinct values, so that ties between inputs are common
    return Arbitraries.integers().between(-5, 5).list().ofMaxSize(12).map(l -> {
      List<Integer> sorted = new ArrayList<>(l);
      sorted.sort(Comparator.naturalOrder());
      return sorted;
    }).list().ofMinSize(1).ofMaxSize(9);
  }

  /** The merge takes every value once, in the stable sort of the inputs' concatenation (ties in input order). */
  @Property(tries = 500)
  void mergesAsTheStableSortOfTheConcatenation(@ForAll("sortedInputs") List<List<Integer>> inputs)
      throws SQLException {
    List<int[]> expected = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      for (int p = 0; p < inputs.get(i).size(); p++) {
        expected.add(new int[] {i, p});
      }
    }
    expected.sort(Comparator.comparing((int[] e) -> inputs.get(e[0]).get(e[1]))); // stable
    List<int[]> taken = merge(inputs, new int[1]);
    assertThat(taken).hasSameSizeAs(expected);
    for (int i = 0; i < taken.size(); i++) {
      assertThat(taken.get(i)).as("value %d", i).containsExactly(expected.get(i));
    }
  }

  /** A replay costs one comparison per level: with 4 inputs, 2 for each value taken. */
  @Test
  void takesTwoComparisonsAValueFromFourInputs() throws SQLException {
    List<List<Integer>> inputs = List.of(List.of(1, 5, 9), List.of(2, 6, 10), List.of(3, 7, 11), List.of(4, 8, 12));
    int[] comparisons = new int[1];
    List<int[]> taken = merge(inputs, comparisons);
    assertThat(taken).hasSize(12);
    assertThat(comparisons[0]).isEqualTo(3 + 2 * 12); // 3 to build, then 2 per replay (the last ones against ended)
  }

  @Test
  void oneInputIsItsOwnWinner() throws SQLException {
    assertThat(merge(List.of(List.of(3, 4)), new int[1])).hasSize(2);
  }

  @Test
  void noInputIsRefused() {
    assertThatThrownBy(() -> new LoserTree(0, (a, b) -> false)).isInstanceOf(IllegalArgumentException.class);
  }
}
