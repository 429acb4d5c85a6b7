package org.collegedb.parse;

/** The text is not SQL that CollegeDB can analyse. The driver turns it into an {@code SQLException} (42000). */
public final class SqlSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SqlSyntaxException(String message) {
    super(message);
  }

  public SqlSyntaxException(String message, Throwable cause) {
    super(message, cause);
  }
}
