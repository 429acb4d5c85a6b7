package org.collegedb.capture;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.SqlStates;

/**
 * A named reader of one database's change log: it reads the log in position order and acknowledges what it has
 * handled. Its acknowledged position is kept in the same database, so a consumer opened again under the same name
 * (after a restart) reads on after the last acknowledged position: nothing acknowledged comes again, nothing after
 * it is skipped. Obtained from {@link ChangeCapture#consumer}; not thread-safe.
 *
 * <p>What was read but not acknowledged comes again after a restart: handle a change, then acknowledge it (or
 * handle changes idempotently, e.g. by writing each key's {@link Change#after() row after} or deleting it, which
 * every change carries whole).
 */
public final class ChangeConsumer {
  private final LogStore store;
  private final String name;
  private final String shard;
  private final Map<String, Map<String, Integer>> types = new HashMap<>();
  private long acknowledged;
  private long cursor;

  ChangeConsumer(LogStore store, String name, String shard) throws SQLException {
    if (name == null || name.isBlank() || name.length() > 255) {
      throw new SQLException("a consumer's name must be 1 to 255 characters, not blank; got "
          + (name == null ? "null" : "'" + name + "'"), SqlStates.INVALID_PARAMETER);
    }
    this.store = store;
    this.name = name;
    this.shard = shard;
    this.acknowledged = store.registerConsumer(name);
    this.cursor = acknowledged;
  }

  public String name() {
    return name;
  }

  /**
   * Up to {@code max} changes after the last one this consumer read (after its acknowledged position, at first), in
   * position order. First gives positions to the changes committed since the last call (see {@link ChangeCapture}).
   * Empty when there is nothing new.
   */
  public List<Change> poll(int max) throws SQLException {
    if (max <= 0) {
      throw new SQLException("poll(" + max + "): the number of changes to read must be positive",
          SqlStates.INVALID_PARAMETER);
    }
    store.sequence();
    List<Change> changes = store.read(cursor, max, types);
    if (!changes.isEmpty()) {
      cursor = changes.get(changes.size() - 1).position();
    }
    if (shard != null) {
      changes.replaceAll(c -> c.onShard(shard));
    }
    return changes;
  }

  /**
   * Records durably (in the connection's transaction: at once in auto-commit mode) that every change up to
   * {@code position} is handled. Acknowledging a position below the acknowledged one changes nothing.
   */
  public void acknowledge(long position) throws SQLException {
    if (position > cursor) {
      throw new SQLException("consumer '" + name + "' cannot acknowledge position " + position + ": it has read up "
          + "to " + cursor + " only", SqlStates.INVALID_PARAMETER);
    }
    store.acknowledge(name, position);
    acknowledged = Math.max(acknowledged, position);
  }

  /** Acknowledges {@code change} and every change before it. */
  public void acknowledge(Change change) throws SQLException {
    acknowledge(change.position());
  }

  /** The last acknowledged position. */
  public long acknowledged() {
    return acknowledged;
  }

  /** The position of the last change read. */
  public long position() {
    return cursor;
  }

  /** Reads again from the acknowledged position: what was read since comes again. */
  public void rewind() {
    cursor = acknowledged;
  }
}
