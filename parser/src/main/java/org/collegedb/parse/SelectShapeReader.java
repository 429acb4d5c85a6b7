package org.collegedb.parse;

import org.apache.calcite.sql.SqlNode;

/** Reads the {@link SelectShape} of a query. */
final class SelectShapeReader {
  private SelectShapeReader() {
  }

  static SelectShape read(Tokens tokens, Object reader, SqlNode node, StatementAnalyzer.QueryReader query) {
    return null;
  }
}
