package org.collegedb.internal.run;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.parse.ShardHint;
import org.collegedb.internal.plan.Plan;

/**
 * Opt-in partial results ({@code partialResults=true}, or the hint {@code /*+ collegedb partial_results *}{@code /}):
 * a read on several shards skips the shards it cannot reach (the connection refused or timed out, SQLState class 08,
 * an I/O error before the first row) and returns the others' rows, with an {@link SQLWarning} (SQLState 01000) naming
 * the skipped shards on the result set and the statement. Never for writes, nor in a transaction (auto-commit off):
 * there a read must see what the transaction wrote, so it fails naming the shard, as it does without the option. An
 * error after the first row, or any other error, fails the read as always; so does a read CollegeDB runs on a
 * statement's behalf (a UNION's branches, subqueries answered first, the distributed path's fragments).
 */
final class PartialReads {
  private final ShardConnections shards;
  private final List<String> skipped = new ArrayList<>();
  private SQLException first;

  private PartialReads(ShardConnections shards) {
    this.shards = shards;
  }

  /**
   * The partial read for this plan, or null when the read must have every shard: always for a read CollegeDB runs on
   * a statement's behalf ({@code child}: a subquery answered first, a guard's count, a UNION's branch), whose
   * skipped shards would go unreported or change what a write does.
   */
  static PartialReads of(Session session, Plan.ShardRead read, boolean child) {
    if (child || read.route().shards().length < 2 || read.lock() != Plan.Lock.NONE
        || !session.shards().autoCommit()) {
      return null;
    }
    boolean wanted = session.cluster().config().failures().partialResults() || ShardHint.partialResults(read.tokens());
    return wanted ? new PartialReads(session.shards()) : null;
  }

  /** Whether the shard's failure {@code e} is skipped (it is recorded then). Called from the fan-out threads. */
  synchronized boolean skip(int shard, SQLException e) {
    if (!ShardConnections.connectionLost(e)) {
      return false;
    }
    skipped.add(shards.name(shard));
    if (first == null) {
      first = e;
    }
    return true;
  }

  /** The shards' result sets without the skipped ones (null); the first error when every shard was skipped. */
  synchronized List<ResultSet> remaining(List<ResultSet> parts) throws SQLException {
    if (skipped.isEmpty()) {
      return parts;
    }
    List<ResultSet> kept = new ArrayList<>();
    for (ResultSet rs : parts) {
      if (rs != null) {
        kept.add(rs);
      }
    }
    if (kept.isEmpty()) {
      throw first;
    }
    return kept;
  }

  /** The warning naming the skipped shards, or null when none was. */
  synchronized SQLWarning warning() {
    if (skipped.isEmpty()) {
      return null;
    }
    List<String> names = new ArrayList<>(skipped);
    names.sort(null);
    return new SQLWarning("partial results: shard(s) " + names + " could not be reached and were skipped ("
        + first.getMessage() + "); the rows are those of the other shards", SqlStates.WARNING);
  }
}
