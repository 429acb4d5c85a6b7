package org.collegedb.internal.rewrite;

import java.util.ArrayList;
import java.util.List;

/**
 * Edits to a statement's text, added to a {@link Splice}; several sets of edits compose into one splice. The driver
 * builds them as values ({@link Edit}, {@link All}), whose {@code toString} is a stable text, one edit after another.
 */
@FunctionalInterface
public interface Edits {
  void addTo(Splice splice);

  /** Both sets of edits; either may be null. */
  static Edits both(Edits a, Edits b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return new All(List.of(a, b));
  }

  /** The edits, applied together. */
  static Edits of(List<? extends Edits> edits) {
    return edits.size() == 1 ? edits.get(0) : new All(List.copyOf(edits));
  }

  /** The caller's text with these edits. */
  default ShardSql applyTo(org.collegedb.parse.Tokens tokens) {
    Splice splice = new Splice(tokens);
    addTo(splice);
    return splice.apply();
  }

  /** Several sets of edits, applied together; printed one after another, separated by {@code "; "}. */
  record All(List<Edits> each) implements Edits {
    public All {
      each = List.copyOf(each);
    }

    @Override
    public void addTo(Splice splice) {
      for (Edits e : each) {
        e.addTo(splice);
      }
    }

    @Override
    public String toString() {
      List<String> texts = new ArrayList<>(each.size());
      for (Edits e : each) {
        texts.add(e.toString());
      }
      return String.join("; ", texts);
    }
  }
}
