package org.collegedb.internal.reshard;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The fence trigger older versions put on H2 tables, kept for databases that have it; new fences are {@code
 * org.collegedb.capture.H2CaptureTrigger}. Statement level: refuses a write when the session's {@code
 * @collegedb_map_version} is older than the shard's version row, which it reads {@code FOR UPDATE} (H2 has no shared
 * row lock), so writers wait while a reshard raises the version. Sessions that declared nothing pass.
 */
public final class H2FenceTrigger implements org.h2.api.Trigger {
  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    Long declared = null;
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT @collegedb_map_version")) {
      if (rs.next()) {
        long v = rs.getLong(1);
        declared = rs.wasNull() ? null : v;
      }
    }
    if (declared == null) {
      return;
    }
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM "
        + "collegedb_internal." + Fence.TABLE + " WHERE id = 1 FOR UPDATE")) {
      if (rs.next() && declared < rs.getLong(1)) {
        throw new SQLException(Fence.message(), org.collegedb.SqlStates.SERIALIZATION_FAILURE);
      }
    }
  }
}
