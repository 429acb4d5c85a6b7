package org.collegedb.internal.rewrite;

import java.util.List;
import org.collegedb.parse.WriteSpans;

/**
 * An UPDATE or DELETE restricted to rows of given shard keys: its WHERE clause (or none) becomes {@code WHERE (<its
 * condition>) AND <key> IN (?, ?, ...)} (a key of several columns: {@code (a, b) IN ((?, ?), ...)}). The key's
 * placeholders are the text's last parameters: they stand after the statement proper, where none of the caller's
 * can (its {@code end}), so they are bound after the caller's, in the order of the keys.
 *
 * @param spans   where the statement's WHERE clause and end stand in its tokens
 * @param columns the key's columns, as SQL
 */
public record OwnedKeysText(WriteSpans spans, List<String> columns) {
  public OwnedKeysText {
    columns = List.copyOf(columns);
  }

  /** The edits restricting the statement to {@code keys} keys (at least one). */
  public Edits edits(int keys) {
    StringBuilder in = new StringBuilder(columns.size() == 1 ? columns.get(0)
        : "(" + String.join(", ", columns) + ")").append(" IN (");
    String one = columns.size() == 1 ? "?" : "(" + String.join(", ", java.util.Collections.nCopies(columns.size(),
        "?")) + ")";
    for (int k = 0; k < keys; k++) {
      in.append(k == 0 ? "" : ", ").append(one);
    }
    in.append(')');
    int end = spans.end() - 1;
    if (spans.where() < 0) {
      return Edit.insertAfter(end, " WHERE " + in);
    }
    return Edits.both(new Edit(spans.where() + 1, spans.where(), List.of("(")),
        Edit.insertAfter(end, ") AND " + in));
  }

  @Override
  public String toString() {
    return "only the owned keys: " + (spans.where() < 0 ? "WHERE " : "WHERE (...) AND ")
        + (columns.size() == 1 ? columns.get(0) : "(" + String.join(", ", columns) + ")") + " IN (<owned keys>)";
  }
}
