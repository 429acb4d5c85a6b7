package org.collegedb.internal.merge;

import java.sql.ResultSetMetaData;

/** A shard's result metadata without the hidden columns CollegeDB appended for merging (they come last). */
final class VisibleMetaData extends ForwardingResultSetMetaData {
  private final ResultSetMetaData shard;
  private final int visible;

  VisibleMetaData(ResultSetMetaData shard, int visible) {
    this.shard = shard;
    this.visible = visible;
  }

  @Override
  protected ResultSetMetaData delegate() {
    return shard;
  }

  @Override
  public int getColumnCount() {
    return visible;
  }
}
