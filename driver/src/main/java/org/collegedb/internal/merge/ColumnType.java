package org.collegedb.internal.merge;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/** The type a backend reports for a result column: what a merged value must be converted to. */
record ColumnType(int jdbcType, String typeName, int precision, int scale) {
  static ColumnType of(ResultSetMetaData md, int column) throws SQLException {
    return new ColumnType(md.getColumnType(column), md.getColumnTypeName(column), md.getPrecision(column),
        md.getScale(column));
  }

  boolean decfloat() {
    return "DECFLOAT".equalsIgnoreCase(typeName);
  }
}
