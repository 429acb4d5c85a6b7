package org.collegedb.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The change-capture trigger of H2 tables (H2 triggers are Java classes). Internal: created by
 * {@link ChangeCapture#install}; public only because H2 instantiates it by name. It appends one entry per changed
 * row to the change log, in the writing transaction, as the SQL triggers of the other databases do.
 */
public final class H2CaptureTrigger implements org.h2.api.Trigger {
  private static final String INSERT = "INSERT INTO " + LogStore.SCHEMA + "." + LogStore.LOG
      + " (table_name, operation, row_key, before_row, after_row) VALUES (?, ?, ?, ?, ?)";

  private String schema;
  private String table;
  private volatile Shape shape;

  /** The table's columns (lower case) and the indexes of its key columns in a row. */
  private record Shape(List<String> columns, int[] all, int[] key) {
  }

  @Override
  public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
      int type) throws SQLException {
    this.schema = schemaName;
    this.table = tableName;
    this.shape = shape(conn);
  }

  private Shape shape(Connection conn) throws SQLException {
    CapturedTable t = new CapturedTable(schema, table, List.of(), List.of());
    CapturedTable read = CapturedTable.read(conn, schema, table, false);
    if (read != null) {
      t = read;
    }
    List<String> names = new ArrayList<>();
    int[] all = new int[t.columns().size()];
    List<Integer> key = new ArrayList<>();
    for (int i = 0; i < t.columns().size(); i++) {
      CapturedTable.Column c = t.columns().get(i);
      names.add(c.lower());
      all[i] = i;
      if (t.key().contains(c.name())) {
        key.add(i);
      }
    }
    // key columns in key order
    int[] keyIndexes = new int[key.size()];
    List<String> keyOrder = t.key();
    for (int k = 0; k < keyOrder.size(); k++) {
      keyIndexes[k] = names.indexOf(keyOrder.get(k).toLowerCase(Locale.ROOT));
    }
    return new Shape(names, all, keyIndexes);
  }

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    Object[] any = newRow != null ? newRow : oldRow;
    Shape s = shape;
    if (s.columns().size() != any.length) {
      s = shape = shape(conn); // the table's columns changed since the trigger was created
    }
    String name = table.toLowerCase(Locale.ROOT);
    try (PreparedStatement ps = conn.prepareStatement(INSERT)) {
      if (oldRow == null) {
        add(ps, name, "I", RowJson.write(s.columns(), newRow, s.key()), null,
            RowJson.write(s.columns(), newRow, s.all()));
      } else if (newRow == null) {
        add(ps, name, "D", RowJson.write(s.columns(), oldRow, s.key()), RowJson.write(s.columns(), oldRow, s.all()),
            null);
      } else if (sameKey(s.key(), oldRow, newRow)) {
        add(ps, name, "U", RowJson.write(s.columns(), newRow, s.key()), RowJson.write(s.columns(), oldRow, s.all()),
            RowJson.write(s.columns(), newRow, s.all()));
      } else {
        add(ps, name, "D", RowJson.write(s.columns(), oldRow, s.key()), RowJson.write(s.columns(), oldRow, s.all()),
            null);
        add(ps, name, "I", RowJson.write(s.columns(), newRow, s.key()), null,
            RowJson.write(s.columns(), newRow, s.all()));
      }
    }
  }

  private static boolean sameKey(int[] key, Object[] a, Object[] b) {
    for (int k : key) {
      if (!Objects.deepEquals(a[k], b[k])) {
        return false;
      }
    }
    return true;
  }

  private static void add(PreparedStatement ps, String table, String op, String key, String before, String after)
      throws SQLException {
    ps.setString(1, table);
    ps.setString(2, op);
    ps.setString(3, key);
    ps.setString(4, before);
    ps.setString(5, after);
    ps.executeUpdate();
  }
}
