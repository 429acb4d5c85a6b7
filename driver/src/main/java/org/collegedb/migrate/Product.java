package org.collegedb.migrate;

import java.sql.SQLException;
import java.util.Locale;
import org.collegedb.SqlStates;

/** The database products a migration reads from and writes to, told by their JDBC URL. */
enum Product {
  SQLITE, H2, POSTGRES, MARIADB;

  static Product of(String url) throws SQLException {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (u.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
      return MARIADB;
    }
    throw new SQLException("'" + url + "' is not a database a migration runs on: SQLite, H2, PostgreSQL and "
        + "MariaDB/MySQL are", SqlStates.NOT_SUPPORTED);
  }
}
