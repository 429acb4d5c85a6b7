package org.collegedb.internal.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** What the caller asked for in generated keys: nothing, the driver's choice, or named or numbered columns. */
public record GeneratedKeysRequest(int mode, int[] indexes, String[] names) {
  public static final GeneratedKeysRequest NONE = new GeneratedKeysRequest(Statement.NO_GENERATED_KEYS, null, null);
  /**
   * None, for statements of CollegeDB's that return rows of their own (a key added with {@code RETURNING}): their
   * texts are prepared on the shards without asking for generated keys, whatever the caller's statement asks.
   */
  static final GeneratedKeysRequest OWN_ROWS = new GeneratedKeysRequest(Statement.NO_GENERATED_KEYS, null, null);

  public boolean wanted() {
    return mode == Statement.RETURN_GENERATED_KEYS;
  }

  boolean execute(Statement st, String sql) throws SQLException {
    if (names != null) {
      return st.execute(sql, names);
    }
    if (indexes != null) {
      return st.execute(sql, indexes);
    }
    return st.execute(sql, mode);
  }

  PreparedStatement prepare(Connection c, String sql) throws SQLException {
    if (names != null) {
      return c.prepareStatement(sql, names);
    }
    if (indexes != null) {
      return c.prepareStatement(sql, indexes);
    }
    return wanted() ? c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS) : c.prepareStatement(sql);
  }
}
