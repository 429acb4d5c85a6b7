package org.collegedb.internal.rewrite;

import java.util.List;
import org.collegedb.parse.InsertSpans;

/**
 * The texts of an INSERT ... SELECT run across shards: its query on its own, and the INSERTs of the query's rows in
 * chunks ({@code INSERT INTO <table> (<columns>) VALUES (?, ?), (?, ?)}), each row's values bound as parameters.
 */
public final class InsertSelectText {
  private InsertSelectText() {
  }

  /** The query: the caller's text from token {@code sourceStart} ({@code SELECT}, {@code WITH}, ...) to the end. */
  public static Composed query(int sourceStart) {
    return Composed.rest(sourceStart);
  }

  /** {@code INSERT INTO <table> (<columns>) VALUES }, the table copied from the caller's text. */
  public static Composed head(InsertSpans spans, List<String> columns) {
    return Composed.of("INSERT INTO ", new Splice.Copy(spans.tableFrom(), spans.tableTo()),
        " (" + String.join(", ", columns) + ") VALUES ");
  }

  /** The head followed by {@code rows} rows of {@code width} placeholders each: {@code (?, ?), (?, ?)}. */
  public static String values(String head, int width, int rows) {
    String row = "(" + "?, ".repeat(width - 1) + "?)";
    StringBuilder sql = new StringBuilder(head.length() + rows * (row.length() + 2)).append(head);
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(row);
    }
    return sql.toString();
  }
}
