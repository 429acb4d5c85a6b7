package org.collegedb.internal.rewrite;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.collegedb.parse.Condition;

/** Rewrites IN lists on the shard key so that one shard's statement lists only that shard's keys. */
public final class InListPruner {
  private InListPruner() {
  }

  /**
   * The text for one shard: in {@code lists.get(i)}, only the elements set in {@code kept.get(i)} remain. A list
   * that keeps nothing becomes {@code (NULL)}, which matches no row.
   */
  public static Edits prune(List<Condition.In> lists, List<BitSet> kept) {
    boolean any = false;
    for (int l = 0; l < lists.size(); l++) {
      if (kept.get(l).cardinality() != lists.get(l).values().size()) {
        any = true;
      }
    }
    return any ? edits(lists, kept) : null;
  }

  private static Edits edits(List<Condition.In> lists, List<BitSet> kept) {
    List<Edit> edits = new ArrayList<>();
    for (int l = 0; l < lists.size(); l++) {
      Condition.In in = lists.get(l);
      BitSet keep = kept.get(l);
      int n = in.values().size();
      if (keep.cardinality() == n) {
        continue;
      }
      if (keep.isEmpty()) {
        edits.add(Edit.replace(in.open() + 1, in.close() - 1, "NULL"));
        continue;
      }
      List<Object> parts = new ArrayList<>();
      for (int e = keep.nextSetBit(0); e >= 0; e = keep.nextSetBit(e + 1)) {
        if (!parts.isEmpty()) {
          parts.add(", ");
        }
        parts.add(new Splice.Copy(in.elementStarts()[e], in.elementEnds()[e]));
      }
      edits.add(Edit.replace(in.open() + 1, in.close() - 1, parts.toArray()));
    }
    return Edits.of(edits);
  }
}
