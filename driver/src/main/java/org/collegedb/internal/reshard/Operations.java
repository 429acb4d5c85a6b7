package org.collegedb.internal.reshard;

import java.sql.SQLException;
import java.util.Map;
import org.collegedb.internal.config.DirectorySpec;
import org.collegedb.migrate.Operation;
import org.collegedb.migrate.OperationStore;

/**
 * A reshard's durable state: its row in {@code collegedb_operations} in the directory database, kept by
 * {@link OperationStore} as split and unshard keep theirs, so that a run killed at any step is resumed by the next and
 * {@code status} shows every long operation in one list. {@code state} is {@code running}, {@code done} or
 * {@code aborted}; the detail is the reshard's state map (JSON in the table).
 */
final class Operations implements AutoCloseable {
  static final String TABLE = "collegedb_operations";

  /** One operation's row. */
  record Entry(String id, String kind, String state, String step, Map<String, Object> detail) {
  }

  private final OperationStore store;

  Operations(DirectorySpec directory) throws SQLException {
    this.store = OperationStore.open(directory);
  }

  /** The running operation of {@code kind}, if any. */
  Entry running(String kind) throws SQLException {
    Operation op = store.running(kind);
    return op == null ? null : new Entry(op.id(), op.kind(), op.state(), op.step(), op.detail());
  }

  void insert(Entry e) throws SQLException {
    store.record(e.id(), e.kind(), e.state(), e.step(), e.detail());
  }

  void update(String id, String state, String step, Map<String, Object> detail) throws SQLException {
    store.record(id, Reshard.KIND, state, step, detail);
  }

  /** How long a schema change's row counts as in flight: older ones are an instance's that died. */
  static final long DDL_STALE_MILLIS = 10 * 60_000L;

  /**
   * Waits until no schema change is in flight: no {@code ddl} row ({@code run.ReshardGuard}) running and younger than
   * {@link #DDL_STALE_MILLIS}. Called after the reshard's own row is committed: a schema change that starts from now on
   * sees that row and is refused, so none can change a table between this return and the end of the reshard.
   */
  void awaitSchemaChanges(Reshard.Progress progress) throws SQLException {
    long deadline = System.currentTimeMillis() + DDL_STALE_MILLIS;
    while (true) {
      Operation ddl = store.running("ddl");
      if (ddl == null || ddl.updatedAt() < System.currentTimeMillis() - DDL_STALE_MILLIS) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new SQLException("a schema change is still in flight (" + ddl.step() + ", row " + ddl.id() + " in "
            + TABLE + "): run the reshard again when it is done", org.collegedb.SqlStates.OBJECT_IN_USE);
      }
      progress.on("waiting for a schema change", 0, -1);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted", org.collegedb.SqlStates.GENERAL, e);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    store.close();
  }
}
