package org.collegedb.internal.merge;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetMetaDataImpl;
import javax.sql.rowset.RowSetProvider;

/**
 * The rows of one statement run unmerged on several shards (a shard hint), one shard after the other, each row with
 * a last column {@code collegedb_shard} naming its shard. Read into memory: hints are an operator's tool.
 */
public final class ShardLabelledRows {
  /** The name of the column that names each row's shard. */
  public static final String COLUMN = "collegedb_shard";

  private ShardLabelledRows() {
  }

  public static ResultSet of(List<ResultSet> parts, List<String> shardNames) throws SQLException {
    ResultSetMetaData first = parts.get(0).getMetaData();
    int n = first.getColumnCount();
    RowSetMetaDataImpl md = new RowSetMetaDataImpl();
    md.setColumnCount(n + 1);
    for (int c = 1; c <= n; c++) {
      md.setColumnName(c, first.getColumnName(c));
      md.setColumnLabel(c, first.getColumnLabel(c));
      md.setColumnType(c, first.getColumnType(c));
      md.setColumnTypeName(c, first.getColumnTypeName(c));
      md.setNullable(c, first.isNullable(c));
      md.setPrecision(c, Math.max(0, first.getPrecision(c)));
      md.setScale(c, Math.max(0, first.getScale(c)));
    }
    md.setColumnName(n + 1, COLUMN);
    md.setColumnLabel(n + 1, COLUMN);
    md.setColumnType(n + 1, Types.VARCHAR);
    md.setColumnTypeName(n + 1, "VARCHAR");
    md.setNullable(n + 1, ResultSetMetaData.columnNoNulls);
    CachedRowSet rows = RowSetProvider.newFactory().createCachedRowSet();
    rows.setMetaData(md);
    for (int p = 0; p < parts.size(); p++) {
      try (ResultSet rs = parts.get(p)) {
        if (rs.getMetaData().getColumnCount() != n) {
          throw new SQLException("the shards answered with different columns (" + n + " and "
              + rs.getMetaData().getColumnCount() + ")", org.collegedb.SqlStates.GENERAL);
        }
        while (rs.next()) {
          rows.moveToInsertRow();
          for (int c = 1; c <= n; c++) {
            rows.updateObject(c, rs.getObject(c));
          }
          rows.updateString(n + 1, shardNames.get(p));
          rows.insertRow();
        }
      }
    }
    rows.moveToCurrentRow();
    rows.beforeFirst();
    return rows;
  }
}
