package org.collegedb.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.collegedb.internal.execute.MapVersionDeclaration;

/**
 * CollegeDB's one trigger on an H2 table (H2 triggers are Java classes; internal, public only because H2 instantiates
 * it by name). After each changed row it appends an entry to the change log, in the writing transaction, when the
 * table is registered as captured ({@code collegedb_change_tables}); when it is not, it does nothing. Named {@code
 * collegedb_fence_*} (the reshard's write fence, {@link ChangeCapture#installH2Fence}), it also refuses the row when
 * the writing session declared an older shard map ({@code @collegedb_map_version}) than the shard's version row,
 * which it reads {@code FOR UPDATE} (H2 has no shared row lock) so that a reshard raising the version waits for it.
 *
 * <p>Why one trigger that stays: H2 (2.3.232) keeps a table's triggers in a plain list that other sessions'
 * statements walk without a lock, so {@code CREATE TRIGGER}/{@code DROP TRIGGER} while they run make them fail.
 * The trigger is therefore created once (on a table with no trigger, H2 puts a new list in place rather than changing
 * one) and never dropped by CollegeDB; capture is switched on and off by registering the table, and {@link
 * CaptureBackend#awaitWriters} waits for the transactions that may have read the old registration.
 */
public final class H2CaptureTrigger implements org.h2.api.Trigger {
  private static final String INSERT = "INSERT INTO " + LogStore.SCHEMA + "." + LogStore.LOG
      + " (table_name, operation, row_key, before_row, after_row) VALUES (?, ?, ?, ?, ?)";
  private static final String STATE = "SELECT @collegedb_map_version, (SELECT columns FROM " + LogStore.SCHEMA + "."
      + LogStore.TABLES + " WHERE table_name = ?)";
  /** The reshard's version row (org.collegedb.internal.reshard.Fence). */
  private static final String FENCE = "SELECT version FROM " + LogStore.SCHEMA + ".collegedb_map_version WHERE id = 1 "
      + "FOR UPDATE";
  private static final String STALE = MapVersionDeclaration.STALE_MARKER
      + ": this session routes with an older shard map than the one this shard writes under (a reshard moved keys)";
  static final String FENCE_PREFIX = "collegedb_fence_";

  private String schema;
  private String table;
  private boolean fences;
  private volatile Shape shape;

  /** The table's columns (lower case), the indexes of its key columns in a row, the registration it was read at. */
  private record Shape(List<String> columns, int[] all, int[] key, String registered) {
  }

  @Override
  public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
      int type) throws SQLException {
    this.schema = schemaName;
    this.table = tableName;
    this.fences = triggerName.toLowerCase(Locale.ROOT).startsWith(FENCE_PREFIX);
    this.shape = shape(conn, null);
  }

  private Shape shape(Connection conn, String registered) throws SQLException {
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
    return new Shape(names, all, keyIndexes, registered);
  }

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    String name = table.toLowerCase(Locale.ROOT);
    Long declared = null;
    String registered;
    try (PreparedStatement ps = conn.prepareStatement(STATE)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        declared = rs.wasNull() ? null : v;
        registered = rs.getString(2);
      }
    }
    if (fences && declared != null) {
      try (PreparedStatement ps = conn.prepareStatement(FENCE); ResultSet rs = ps.executeQuery()) {
        if (rs.next() && declared < rs.getLong(1)) {
          throw new SQLException(STALE, org.collegedb.SqlStates.SERIALIZATION_FAILURE);
        }
      }
    }
    if (registered == null) {
      return; // not captured
    }
    Object[] any = newRow != null ? newRow : oldRow;
    Shape s = shape;
    if (s.columns().size() != any.length || !registered.equals(s.registered())) {
      s = shape = shape(conn, registered); // captured again, or the table's columns changed
    }
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
