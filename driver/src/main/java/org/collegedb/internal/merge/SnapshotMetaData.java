package org.collegedb.internal.merge;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.SelfWrapper;
import org.collegedb.SqlStates;

/**
 * A copy of a shard's result metadata for its first {@code count} columns: it outlives the shard's result set, for
 * rows that the merge computed itself. Column types may be overridden where the merged value's type is known better.
 */
public final class SnapshotMetaData implements ResultSetMetaData, SelfWrapper {
  /** Everything ResultSetMetaData says of one column. */
  record Column(String catalog, String schema, String table, String name, String label, int type, String typeName,
      String className, int precision, int scale, int displaySize, int nullable, boolean autoIncrement,
      boolean caseSensitive, boolean searchable, boolean currency, boolean signed) {
  }

  private List<Column> columns;

  private SnapshotMetaData(List<Column> columns) {
    this.columns = columns;
  }

  public static SnapshotMetaData of(ResultSetMetaData md, int count) throws SQLException {
    List<Column> columns = new ArrayList<>(count);
    for (int column = 1; column <= count; column++) {
      int i = column;
      columns.add(new Column(safe(() -> md.getCatalogName(i)), safe(() -> md.getSchemaName(i)),
          safe(() -> md.getTableName(i)), md.getColumnName(i), md.getColumnLabel(i), md.getColumnType(i),
          md.getColumnTypeName(i), safe(() -> md.getColumnClassName(i)), md.getPrecision(i), md.getScale(i),
          safeInt(() -> md.getColumnDisplaySize(i)), safeInt(() -> md.isNullable(i)),
          safeBool(() -> md.isAutoIncrement(i)), safeBool(() -> md.isCaseSensitive(i)),
          safeBool(() -> md.isSearchable(i)), safeBool(() -> md.isCurrency(i)), safeBool(() -> md.isSigned(i))));
    }
    return new SnapshotMetaData(columns);
  }

  /**
   * Columns picked from several snapshots, in order: column {@code columns[i]} (1-based) of {@code sources[from[i]]}
   * (a join's select list over the metadata of its sides).
   */
  public static SnapshotMetaData pick(SnapshotMetaData[] sources, int[] from, int[] columns) {
    List<Column> picked = new ArrayList<>(from.length);
    for (int i = 0; i < from.length; i++) {
      picked.add(sources[from[i]].columns.get(columns[i] - 1));
    }
    return new SnapshotMetaData(picked);
  }

  /** Marks the columns of {@code which} nullable (those of an outer join's nullable side, where the backend does). */
  public void nullable(boolean[] which) {
    for (int i = 0; i < columns.size(); i++) {
      if (which[i]) {
        Column c = columns.get(i);
        columns.set(i, new Column(c.catalog(), c.schema(), c.table(), c.name(), c.label(), c.type(), c.typeName(),
            c.className(), c.precision(), c.scale(), c.displaySize(), ResultSetMetaData.columnNullable,
            c.autoIncrement(), c.caseSensitive(), c.searchable(), c.currency(), c.signed()));
      }
    }
  }

  /**
   * For SQLite, whose driver names a column's class by the value of the current row (the first row, before
   * {@code next()}): the class names of the values of {@code firstRow} (null when there is none), as its driver gives
   * them.
   */
  public void classesBy(Object[] firstRow) {
    List<Column> out = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      Object v = firstRow == null ? null : firstRow[i];
      String name;
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        long l = ((Number) v).longValue();
        name = l > Integer.MAX_VALUE || l < Integer.MIN_VALUE ? "java.lang.Long" : "java.lang.Integer";
      } else if (v instanceof Double || v instanceof Float) {
        name = "java.lang.Double";
      } else if (v == null || v instanceof byte[]) {
        name = "java.lang.Object";
      } else {
        name = "java.lang.String";
      }
      out.add(new Column(c.catalog(), c.schema(), c.table(), c.name(), c.label(), c.type(), c.typeName(), name,
          c.precision(), c.scale(), c.displaySize(), c.nullable(), c.autoIncrement(), c.caseSensitive(),
          c.searchable(), c.currency(), c.signed()));
    }
    columns = out;
  }

  /**
   * For SQLite, whose driver types a computed column by the value in its first row: retypes the computed columns
   * (those of no table) by the values of the merged first row, as one SQLite database would report them.
   */
  public void retypeBy(Object[] firstRow) {
    List<Column> retyped = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      Object v = firstRow[i];
      if (c.table() == null || c.table().isEmpty()) {
        int type;
        String name;
        if (v instanceof Integer || v instanceof Long) {
          type = java.sql.Types.INTEGER;
          name = "INTEGER";
        } else if (v instanceof Double || v instanceof Float) {
          type = java.sql.Types.FLOAT;
          name = "FLOAT";
        } else if (v instanceof String) {
          type = java.sql.Types.VARCHAR;
          name = "TEXT";
        } else if (v instanceof byte[]) {
          type = java.sql.Types.BLOB;
          name = "BLOB";
        } else {
          type = java.sql.Types.NUMERIC;
          name = "NUMERIC";
        }
        c = new Column(c.catalog(), c.schema(), c.table(), c.name(), c.label(), type, name, c.className(),
            c.precision(), c.scale(), c.displaySize(), c.nullable(), c.autoIncrement(), c.caseSensitive(),
            c.searchable(), c.currency(), c.signed());
      }
      retyped.add(c);
    }
    columns = retyped;
  }

  private interface Getter<T> {
    T get() throws SQLException;
  }

  private static String safe(Getter<String> g) {
    try {
      return g.get();
    } catch (SQLException | RuntimeException e) {
      return "";
    }
  }

  private static int safeInt(Getter<Integer> g) {
    try {
      return g.get();
    } catch (SQLException | RuntimeException e) {
      return 0;
    }
  }

  private static boolean safeBool(Getter<Boolean> g) {
    try {
      return g.get();
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  private Column column(int i) throws SQLException {
    if (i < 1 || i > columns.size()) {
      throw new SQLException("column index " + i + " is out of range 1.." + columns.size(), SqlStates.GENERAL);
    }
    return columns.get(i - 1);
  }

  @Override
  public int getColumnCount() {
    return columns.size();
  }

  @Override
  public boolean isAutoIncrement(int column) throws SQLException {
    return column(column).autoIncrement();
  }

  @Override
  public boolean isCaseSensitive(int column) throws SQLException {
    return column(column).caseSensitive();
  }

  @Override
  public boolean isSearchable(int column) throws SQLException {
    return column(column).searchable();
  }

  @Override
  public boolean isCurrency(int column) throws SQLException {
    return column(column).currency();
  }

  @Override
  public int isNullable(int column) throws SQLException {
    return column(column).nullable();
  }

  @Override
  public boolean isSigned(int column) throws SQLException {
    return column(column).signed();
  }

  @Override
  public int getColumnDisplaySize(int column) throws SQLException {
    return column(column).displaySize();
  }

  @Override
  public String getColumnLabel(int column) throws SQLException {
    return column(column).label();
  }

  @Override
  public String getColumnName(int column) throws SQLException {
    return column(column).name();
  }

  @Override
  public String getSchemaName(int column) throws SQLException {
    return column(column).schema();
  }

  @Override
  public int getPrecision(int column) throws SQLException {
    return column(column).precision();
  }

  @Override
  public int getScale(int column) throws SQLException {
    return column(column).scale();
  }

  @Override
  public String getTableName(int column) throws SQLException {
    return column(column).table();
  }

  @Override
  public String getCatalogName(int column) throws SQLException {
    return column(column).catalog();
  }

  @Override
  public int getColumnType(int column) throws SQLException {
    return column(column).type();
  }

  @Override
  public String getColumnTypeName(int column) throws SQLException {
    return column(column).typeName();
  }

  @Override
  public boolean isReadOnly(int column) {
    return true;
  }

  @Override
  public boolean isWritable(int column) {
    return false;
  }

  @Override
  public boolean isDefinitelyWritable(int column) {
    return false;
  }

  @Override
  public String getColumnClassName(int column) throws SQLException {
    return column(column).className();
  }

  /** The index (1-based) of the column with this label, case-insensitive, or -1. */
  public int indexOf(String label) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).label().equalsIgnoreCase(label)) {
        return i + 1;
      }
    }
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(label)) {
        return i + 1;
      }
    }
    return -1;
  }

}
