package org.collegedb.internal.rewrite;

import java.util.List;
import org.collegedb.parse.WriteSpans;

/**
 * The read, before an UPDATE or DELETE runs, of the rows it will touch: {@code SELECT <columns> FROM <table> [WHERE
 * ...]}, the table and the WHERE clause copied from the statement (with the caller's parameters they hold).
 */
public final class AffectedRowsText {
  private AffectedRowsText() {
  }

  /**
   * @param spans   where the statement's table and WHERE clause stand in its tokens (the table must be known)
   * @param columns the columns to read, as SQL
   */
  public static Composed select(WriteSpans spans, List<String> columns) {
    Splice.Copy table = new Splice.Copy(spans.tableFrom(), spans.tableTo());
    String head = "SELECT " + String.join(", ", columns) + " FROM ";
    int where = spans.where();
    if (where < 0) {
      return Composed.of(head, table);
    }
    return Composed.of(head, table, " ", new Splice.Copy(where, spans.end() - 1));
  }

  /** As {@link #select}, locking the rows it reads ({@code ... FOR UPDATE}): the rows the statement will change. */
  public static Composed lockingSelect(WriteSpans spans, List<String> columns) {
    List<Object> parts = new java.util.ArrayList<>(select(spans, columns).parts());
    parts.add(" FOR UPDATE");
    return new Composed(parts);
  }

  /** The statement returning {@code columns} of the rows it changes: {@code RETURNING} added at its end. */
  public static Edits returning(WriteSpans spans, List<String> columns) {
    return Edit.insertAfter(spans.end() - 1, " RETURNING " + String.join(", ", columns));
  }

  /**
   * The statement returning what PostgreSQL's driver gives as the generated keys of an UPDATE/DELETE (it appends
   * {@code RETURNING *}, or the requested columns quoted), then the key's {@code columns}: {@code RETURNING *,
   * user_id}, {@code RETURNING "id", user_id}. {@code names}: the requested columns, or null for all.
   */
  public static Edits returningKeys(WriteSpans spans, String[] names, List<String> columns) {
    List<String> all = new java.util.ArrayList<>();
    if (names == null) {
      all.add("*");
    } else {
      for (String name : names) {
        all.add('"' + name.replace("\"", "\"\"") + '"');
      }
    }
    all.addAll(columns);
    return returning(spans, all);
  }

  /**
   * A statement with a {@code RETURNING} clause of its own returning {@code columns} too, after its own (the end of
   * the text, before any trailing semicolons): {@code RETURNING id, amount, user_id}.
   */
  public static Edits returningToo(org.collegedb.parse.Tokens tokens, List<String> columns) {
    int last = tokens.size() - 1;
    while (last > 0 && tokens.type(last) == org.collegedb.parse.TokenType.SEMICOLON) {
      last--;
    }
    return Edit.insertAfter(last, ", " + String.join(", ", columns));
  }

  /**
   * The statement as the rows of an H2 data change delta table (H2 has no {@code RETURNING}): {@code SELECT <columns>
   * FROM FINAL TABLE (UPDATE ...)} (the rows after the change) or {@code SELECT <columns> FROM OLD TABLE (DELETE
   * ...)} (the rows deleted). H2 runs the inner statement once, in full, and returns one row per row it changed.
   */
  public static Edits deltaTable(WriteSpans spans, List<String> columns) {
    String which = spans.set() >= 0 ? "FINAL" : "OLD";
    return Edits.both(new Edit(0, -1, List.of("SELECT " + String.join(", ", columns) + " FROM " + which + " TABLE (")),
        Edit.insertAfter(spans.end() - 1, ")"));
  }
}
