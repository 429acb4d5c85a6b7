package org.collegedb.internal.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetMetaDataImpl;
import javax.sql.rowset.RowSetProvider;

/** The generated keys of an INSERT as a result set: one column, one row per inserted row, in the caller's order. */
public final class KeyRows {
  private KeyRows() {
  }

  public static ResultSet of(String column, List<Object> keys) throws SQLException {
    CachedRowSet rows = RowSetProvider.newFactory().createCachedRowSet();
    RowSetMetaDataImpl md = new RowSetMetaDataImpl();
    md.setColumnCount(1);
    md.setColumnName(1, column);
    md.setColumnLabel(1, column);
    boolean numeric = keys.stream().allMatch(k -> k instanceof Long);
    md.setColumnType(1, numeric ? Types.BIGINT : Types.VARCHAR);
    md.setColumnTypeName(1, numeric ? "BIGINT" : "VARCHAR");
    md.setNullable(1, java.sql.ResultSetMetaData.columnNoNulls);
    rows.setMetaData(md);
    for (Object k : keys) {
      rows.moveToInsertRow();
      if (numeric) {
        rows.updateLong(1, (Long) k);
      } else {
        rows.updateObject(1, k);
      }
      rows.insertRow();
    }
    rows.moveToCurrentRow();
    rows.beforeFirst();
    return rows;
  }
}
