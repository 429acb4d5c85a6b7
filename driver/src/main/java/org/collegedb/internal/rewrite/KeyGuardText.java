package org.collegedb.internal.rewrite;

import java.util.ArrayList;
import java.util.List;
import org.collegedb.parse.Tokens;
import org.collegedb.parse.WriteSpans;

/**
 * The texts of a guarded key update ({@code UPDATE t SET key = ?, ... WHERE ...} whose WHERE does not pin the key):
 * the count of matched rows whose key differs, and the UPDATE pinned to the new key. The new key value is the
 * driver's own placeholder {@code ?v1} ({@link Splice.Bound} -1).
 */
public final class KeyGuardText {
  private KeyGuardText() {
  }

  /**
   * {@code SELECT COUNT(*) FROM <table> WHERE (<where>) AND NOT (<column> = ?v1)}, or without the WHERE part when the
   * UPDATE has none: the rows the UPDATE matches that it would move to another key.
   */
  public static ShardSql moving(Tokens tokens, WriteSpans spans, String column) {
    int where = spans.where();
    List<Object> parts = new ArrayList<>();
    parts.add("SELECT COUNT(*) FROM ");
    parts.add(new Splice.Copy(spans.tableFrom(), spans.tableTo()));
    parts.add(" WHERE ");
    if (where >= 0) {
      parts.add("(");
      parts.add(new Splice.Copy(where + 1, spans.end() - 1));
      parts.add(") AND ");
    }
    parts.add("NOT (" + column + " = ");
    parts.add(new Splice.Bound(-1));
    parts.add(")");
    return Splice.compose(tokens, parts.toArray());
  }

  /** The edit that pins the UPDATE to the new key: {@code WHERE (<where>) AND <column> = ?v1}. */
  public static Edit pin(WriteSpans spans, String column) {
    int where = spans.where();
    int stop = spans.end();
    if (where >= 0) {
      return Edit.replace(where + 1, stop - 1, "(", new Splice.Copy(where + 1, stop - 1), ") AND " + column + " = ",
          new Splice.Bound(-1));
    }
    return Edit.replace(stop, stop - 1, " WHERE " + column + " = ", new Splice.Bound(-1), " ");
  }
}
