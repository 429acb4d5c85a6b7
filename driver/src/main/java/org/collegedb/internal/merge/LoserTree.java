package org.collegedb.internal.merge;

import java.sql.SQLException;

/**
 * A tournament tree of losers over k sorted inputs, numbered 0 to k-1: the least input is known, and after that input
 * moves to its next value (or ends) the least is found again with one comparison per level, ceil(log2 k) in all (a
 * binary heap's remove-and-add takes about twice as many). The inputs' values live with the caller; the tree holds
 * only their numbers and asks {@link Order} which of two is less.
 */
final class LoserTree {
  /** A strict total order of the inputs' current values; an input that has ended is less than none. */
  interface Order {
    boolean less(int a, int b) throws SQLException;
  }

  private final Order order;
  private final int k;
  /** {@code losers[n]} for an inner node n (1 to k-1): the input that lost the match there; leaf i is node k+i. */
  private final int[] losers;
  private int winner;

  LoserTree(int k, Order order) throws SQLException {
    if (k < 1) {
      throw new IllegalArgumentException("a merge needs at least one input");
    }
    this.order = order;
    this.k = k;
    this.losers = new int[k];
    this.winner = play(1);
  }

  /** Plays the matches of the subtree at {@code node} and returns its winner. */
  private int play(int node) throws SQLException {
    if (node >= k) {
      return node - k;
    }
    int left = play(2 * node);
    int right = play(2 * node + 1);
    if (order.less(right, left)) {
      losers[node] = left;
      return right;
    }
    losers[node] = right;
    return left;
  }

  /** The input whose current value is the least (an ended one only when all have ended). */
  int winner() {
    return winner;
  }

  /** Finds the least input again after the winner's value changed. */
  void replay() throws SQLException {
    int w = winner;
    for (int node = (w + k) >> 1; node >= 1; node >>= 1) {
      int other = losers[node];
      if (order.less(other, w)) {
        losers[node] = w;
        w = other;
      }
    }
    winner = w;
  }
}
