package org.collegedb.capture;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.SqlStates;

/**
 * One consumer's view of every shard's change log (from {@link ChangeStream#follow}): {@link #poll} returns each
 * shard's next changes in that shard's position order (there is no order across shards), {@link #acknowledge}
 * records durably, on the change's shard, that it and the shard's earlier changes are handled. Opened again under
 * the same name, it resumes after the acknowledged position of each shard. Not thread-safe.
 */
public final class ChangeFeed {
  private final String name;
  private final List<String> shards;
  private final List<ChangeConsumer> consumers;

  ChangeFeed(String name, List<String> shards, List<ChangeConsumer> consumers) {
    this.name = name;
    this.shards = List.copyOf(shards);
    this.consumers = consumers;
  }

  public String name() {
    return name;
  }

  /**
   * The next changes: up to {@code maxPerShard} of each shard, grouped by shard (in CollegeDB's shard order), each
   * group in position order. {@link Change#shard()} names the shard.
   */
  public List<Change> poll(int maxPerShard) throws SQLException {
    List<Change> all = new ArrayList<>();
    for (int i = 0; i < consumers.size(); i++) {
      try {
        all.addAll(consumers.get(i).poll(maxPerShard));
      } catch (SQLException e) {
        throw new SQLException("shard '" + shards.get(i) + "': " + e.getMessage(), e.getSQLState(),
            e.getErrorCode(), e);
      }
    }
    return all;
  }

  /** Acknowledges {@code change} and the earlier changes of its shard. */
  public void acknowledge(Change change) throws SQLException {
    consumer(change.shard()).acknowledge(change.position());
  }

  /** Acknowledges, on each shard, the last of {@code changes} from that shard (and so every earlier one). */
  public void acknowledge(List<Change> changes) throws SQLException {
    Map<String, Long> last = new LinkedHashMap<>();
    for (Change c : changes) {
      last.merge(c.shard(), c.position(), Math::max);
    }
    for (Map.Entry<String, Long> e : last.entrySet()) {
      consumer(e.getKey()).acknowledge(e.getValue());
    }
  }

  /** Acknowledges position {@code position} of shard {@code shard}. */
  public void acknowledge(String shard, long position) throws SQLException {
    consumer(shard).acknowledge(position);
  }

  /** The acknowledged position of each shard. */
  public Map<String, Long> acknowledged() {
    Map<String, Long> positions = new LinkedHashMap<>();
    for (int i = 0; i < consumers.size(); i++) {
      positions.put(shards.get(i), consumers.get(i).acknowledged());
    }
    return positions;
  }

  /** Reads again, on every shard, from the acknowledged position. */
  public void rewind() {
    consumers.forEach(ChangeConsumer::rewind);
  }

  private ChangeConsumer consumer(String shard) throws SQLException {
    int i = shards.indexOf(shard);
    if (i < 0) {
      throw new SQLException("no shard '" + shard + "' (shards: " + shards + ")", SqlStates.INVALID_PARAMETER);
    }
    return consumers.get(i);
  }
}
