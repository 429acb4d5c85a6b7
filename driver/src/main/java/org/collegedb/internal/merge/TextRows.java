package org.collegedb.internal.merge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetMetaDataImpl;
import javax.sql.rowset.RowSetProvider;

/** Rows the driver itself answers (plan texts, shard lists) as a read-only result set of text columns. */
public final class TextRows {
  private TextRows() {
  }

  public static ResultSet of(List<String> columns, List<String[]> rows) throws SQLException {
    CachedRowSet set = RowSetProvider.newFactory().createCachedRowSet();
    RowSetMetaDataImpl md = new RowSetMetaDataImpl();
    md.setColumnCount(columns.size());
    for (int c = 0; c < columns.size(); c++) {
      md.setColumnName(c + 1, columns.get(c));
      md.setColumnLabel(c + 1, columns.get(c));
      md.setColumnType(c + 1, Types.VARCHAR);
      md.setColumnTypeName(c + 1, "VARCHAR");
      md.setNullable(c + 1, java.sql.ResultSetMetaData.columnNullable);
    }
    set.setMetaData(md);
    for (String[] row : rows) {
      set.moveToInsertRow();
      for (int c = 0; c < columns.size(); c++) {
        set.updateString(c + 1, row[c]);
      }
      set.insertRow();
    }
    set.moveToCurrentRow();
    set.beforeFirst();
    return set;
  }
}
