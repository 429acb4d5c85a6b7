package org.collegedb.migrate;

import java.util.function.Consumer;

/**
 * How to run a split or unshard.
 *
 * @param dryRun    print the plan (tables, rows and bytes per shard) and change nothing
 * @param finish    make the old side refuse writes, catch up a last time, verify, remove capture
 * @param abort     undo: drop what the operation created, remove capture and fences
 * @param batchSize rows per copy batch
 * @param progress  told the rows copied and changes applied
 * @param log       one line per step, for the user
 * @param hook      called with each step's name before the step runs and after each copy batch ({@code
 *                  copy:<table>}): tests throw from it to stop the operation there
 */
public record MigrationOptions(boolean dryRun, boolean finish, boolean abort, int batchSize, Progress progress,
    Consumer<String> log, Consumer<String> hook) {

  public static MigrationOptions defaults() {
    return new MigrationOptions(false, false, false, 1000, Progress.NONE, s -> { }, s -> { });
  }

  public MigrationOptions dryRun(boolean on) {
    return new MigrationOptions(on, finish, abort, batchSize, progress, log, hook);
  }

  public MigrationOptions finish(boolean on) {
    return new MigrationOptions(dryRun, on, abort, batchSize, progress, log, hook);
  }

  public MigrationOptions abort(boolean on) {
    return new MigrationOptions(dryRun, finish, on, batchSize, progress, log, hook);
  }

  public MigrationOptions batchSize(int rows) {
    return new MigrationOptions(dryRun, finish, abort, rows, progress, log, hook);
  }

  public MigrationOptions progress(Progress p) {
    return new MigrationOptions(dryRun, finish, abort, batchSize, p, log, hook);
  }

  public MigrationOptions log(Consumer<String> l) {
    return new MigrationOptions(dryRun, finish, abort, batchSize, progress, l, hook);
  }

  public MigrationOptions hook(Consumer<String> h) {
    return new MigrationOptions(dryRun, finish, abort, batchSize, progress, log, h);
  }
}
