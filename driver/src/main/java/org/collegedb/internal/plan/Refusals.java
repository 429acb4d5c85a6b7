package org.collegedb.internal.plan;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;

/** Refusals as plan nodes and back: the exception a refused statement's caller gets, of the class it was made as. */
final class Refusals {
  private Refusals() {
  }

  static Plan.Refusal of(SQLException e) {
    Class<? extends SQLException> type = e instanceof SQLFeatureNotSupportedException
        ? SQLFeatureNotSupportedException.class
        : e instanceof SQLSyntaxErrorException ? SQLSyntaxErrorException.class : SQLException.class;
    return new Plan.Refusal(e.getSQLState(), e.getMessage(), type);
  }

  static SQLException exception(Plan.Refusal r) {
    if (r.type() == SQLFeatureNotSupportedException.class) {
      return new SQLFeatureNotSupportedException(r.message(), r.sqlState());
    }
    if (r.type() == SQLSyntaxErrorException.class) {
      return new SQLSyntaxErrorException(r.message(), r.sqlState());
    }
    return new SQLException(r.message(), r.sqlState());
  }
}
