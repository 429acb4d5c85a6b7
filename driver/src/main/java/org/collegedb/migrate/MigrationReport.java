package org.collegedb.migrate;

import java.util.List;

/**
 * What a split or unshard did, or (dry run) would do.
 *
 * @param id       the operation's id in {@code collegedb_operations}
 * @param state    {@code planned} (dry run), {@code ready} (copied, caught up and verified; capture still running),
 *                 {@code done} (finished), {@code aborted}
 * @param lines    the plan or the summary, for the user
 * @param copied   rows copied by this run
 * @param applied  captured changes applied by this run
 * @param verified rows compared by the last verification (0 when none ran)
 * @param problems differences the verification found (empty when it passed or did not run)
 */
public record MigrationReport(String id, String state, List<String> lines, long copied, long applied, long verified,
    List<String> problems) {
  public boolean ok() {
    return problems.isEmpty();
  }
}
