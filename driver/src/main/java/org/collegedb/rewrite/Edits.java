package org.collegedb.rewrite;

/** Edits to a statement's text, added to a {@link Splice}; several sets of edits compose into one splice. */
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
    return s -> {
      a.addTo(s);
      b.addTo(s);
    };
  }
}
