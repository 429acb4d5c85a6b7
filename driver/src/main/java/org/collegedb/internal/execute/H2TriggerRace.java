package org.collegedb.internal.execute;

import java.sql.SQLException;

/**
 * H2 (2.3.232) keeps a table's triggers in a plain list that {@code CREATE TRIGGER} and {@code DROP TRIGGER} change
 * without any lock, while every statement on the table walks it (before and after the statement, and for each row;
 * a SELECT walks it too) before taking any table lock. A statement running while another session creates or drops
 * a trigger on its table can therefore fail with {@code General error: "java.util.ConcurrentModificationException"}
 * (the list changed under it) or with a {@code NullPointerException} in {@code org.h2.schema.TriggerObject} (it fired
 * a trigger being dropped; also {@code NoSuchElementException}: the list is read without memory barriers), or, when the dropped trigger is change capture's and the capture's log was dropped after
 * it, with {@code Table "COLLEGEDB_CHANGE_LOG" not found} or a general error inside the dropped table (the
 * statement fired the trigger it had found before the drop). The reshard tool creates its fence and change-capture triggers on tables applications are writing, and
 * drops the capture's at cleanup.
 *
 * <p>Such a failure is transient and the statement had no effect: H2 rolls back every failed statement to the
 * savepoint it took before the statement ({@code Command.executeUpdate}; in auto-commit the whole transaction), and
 * the transaction goes on. So the statement is simply run again, a few times. (A Java trigger of the application's
 * that has effects outside the database would see them twice.)
 */
public final class H2TriggerRace {
  /** How many times a statement is run again after such a failure. */
  static final int RETRIES = 20;
  private static final int H2_GENERAL_ERROR = 50000;
  private static final int H2_TABLE_NOT_FOUND = 42102;
  /** The change log that change-capture triggers write to (org.collegedb.capture), dropped after its triggers. */
  private static final String CAPTURE_LOG = "collegedb_internal.collegedb_change_log";

  private H2TriggerRace() {
  }

  /** A statement to run (again). */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws SQLException;
  }

  /** Runs {@code call}, again while it fails with H2's trigger-list race (at most {@link #RETRIES} times). */
  public static <T> T retrying(Call<T> call) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.run();
      } catch (SQLException e) {
        if (attempt >= RETRIES || !isRace(e)) {
          throw e;
        }
        Thread.yield();
      }
    }
  }

  /** Whether {@code e} is H2's failure of a statement that walked a table's triggers while they were changed. */
  public static boolean isRace(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if ((t instanceof java.util.ConcurrentModificationException || t instanceof java.util.NoSuchElementException
          || t instanceof ArrayIndexOutOfBoundsException || t instanceof NullPointerException) && inH2(t)) {
        return true; // the trigger list changed while the statement walked it
      }
      if (t instanceof SQLException s && s.getErrorCode() == H2_GENERAL_ERROR && s.getMessage() != null
          && (s.getMessage().startsWith("General error: \"java.util.ConcurrentModificationException\"")
          || s.getMessage().startsWith("General error: \"java.util.NoSuchElementException\""))
          && s.getCause() == null) {
        return true; // H2 over TCP: the server's exception, without its cause
      }
      if (t instanceof SQLException s && (s.getErrorCode() == H2_TABLE_NOT_FOUND
          || s.getErrorCode() == H2_GENERAL_ERROR) && s.getMessage() != null
          && s.getMessage().toLowerCase(java.util.Locale.ROOT).contains(CAPTURE_LOG)) {
        // a change-capture trigger fired after (or while) the capture's log was dropped with it: the log is not
        // found, or H2 fails inside the dropped table ("NullPointerException ... this.database is null")
        return true;
      }
      if (t instanceof SQLException s && s.getErrorCode() == 90044 && s.getMessage() != null
          && s.getMessage().startsWith("Error executing trigger null")) {
        return true; // the trigger was dropped while the statement fired it (H2 names it null): rolled back
      }
      if (t instanceof NullPointerException && t.getStackTrace().length > 0
          && t.getStackTrace()[0].getClassName().equals("org.h2.schema.TriggerObject")) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code t} was thrown while H2 walked a table's triggers ({@code Table.fire}, {@code fireRow}, ...). */
  private static boolean inH2(Throwable t) {
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < frames.length && i < 6; i++) {
      if (frames[i].getClassName().equals("org.h2.table.Table") && frames[i].getMethodName().startsWith("fire")) {
        return true;
      }
    }
    return false;
  }
}
