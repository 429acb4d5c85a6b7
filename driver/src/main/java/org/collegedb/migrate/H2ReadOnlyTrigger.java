package org.collegedb.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import org.collegedb.SqlStates;

/**
 * H2's trigger of {@link ReadOnlyFence} (H2 triggers are Java classes): refuses every write with 25006. Public only
 * because H2 instantiates it by name.
 */
public final class H2ReadOnlyTrigger implements org.h2.api.Trigger {
  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    throw new SQLException(ReadOnlyFence.MESSAGE, SqlStates.READ_ONLY);
  }
}
