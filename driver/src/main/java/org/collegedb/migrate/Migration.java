package org.collegedb.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.collegedb.SqlStates;
import org.collegedb.capture.Change;
import org.collegedb.capture.ChangeCapture;
import org.collegedb.capture.ChangeConsumer;

/**
 * The steps a split and an unshard share, each saving its progress in the operation's row before the next begins:
 * copy a table in key order (the last copied key saved after every batch), catch up from a database's change log
 * (the consumer's acknowledged position kept in that database and in the operation), verify with checks again after
 * a catch-up while the origin is still written.
 */
abstract class Migration {
  static final String RUNNING = "running";
  static final String READY = "ready";
  static final String DONE = "done";
  static final String ABORTED = "aborted";
  static final int VERIFY_ROUNDS = 3;

  final MigrationOptions options;
  final OperationStore store;
  final Operation op;
  final List<String> lines = new ArrayList<>();
  long copied;
  long applied;

  Migration(MigrationOptions options, OperationStore store, Operation op) {
    this.options = options;
    this.store = store;
    this.op = op;
  }

  /** Records that step {@code name} begins (durably), then lets the test hook stop the operation there. */
  void step(String name) throws SQLException {
    op.step(name);
    store.save(op);
    options.log().accept("step " + name);
    options.hook().accept(name);
  }

  void say(String line) {
    lines.add(line);
    options.log().accept(line);
  }

  /** The consumer name an operation reads a database's change log under. */
  String consumer() {
    return "collegedb_" + op.kind() + "_" + Integer.toHexString(op.id().hashCode());
  }

  /** Copies {@code t} from {@code from} into {@code sink}, resuming after its saved last key. */
  void copy(String part, Connection from, SourceTable t, Connection sink) throws SQLException {
    Map<String, Object> state = entry(part, t);
    if (Boolean.TRUE.equals(state.get("done"))) {
      return;
    }
    if (!state.containsKey("total")) {
      state.put("total", RowCopy.count(from, t));
      state.put("copied", 0L);
      store.save(op);
    }
    long total = ((Number) state.get("total")).longValue();
    long[] done = {((Number) state.get("copied")).longValue()};
    options.progress().begin("copy " + t.key() + (part.isEmpty() ? "" : " from " + part), total);
    options.progress().advance(done[0]);
    try {
      @SuppressWarnings("unchecked")
      List<Object> last = (List<Object>) state.get("last");
      RowCopy.copy(from, t, sink, last, options.batchSize(), (key, rows) -> {
        done[0] += rows;
        copied += rows;
        state.put("last", key);
        state.put("copied", done[0]);
        store.save(op);
        options.progress().advance(rows);
        options.hook().accept("copy:" + t.key());
      });
    } finally {
      options.progress().end();
    }
    state.put("done", true);
    store.save(op);
  }

  Map<String, Object> entry(String part, SourceTable t) {
    return sectionOf(op.section("copy"), part.isEmpty() ? t.key() : part + "/" + t.key());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> sectionOf(Map<String, Object> parent, String name) {
    return (Map<String, Object>) parent.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
  }

  /**
   * Applies every change {@code from}'s log holds after the consumer's acknowledged position to {@code sink}, batch
   * by batch, acknowledging each batch after the sink committed it. Returns the number of changes applied.
   */
  long catchUp(String part, Connection from, Map<String, SourceTable> tables, Connection sink) throws SQLException {
    ChangeConsumer consumer = ChangeCapture.consumer(from, consumer());
    long head = ChangeCapture.head(from); // what was committed when the catch-up began: it ends, however busy
    long n = 0;
    options.progress().begin("catch up" + (part.isEmpty() ? "" : " from " + part), -1);
    try (ChangeApplier applier = new ChangeApplier(sink, tables)) {
      while (consumer.position() < head) {
        List<Change> changes = consumer.poll(Math.max(options.batchSize(), 1000));
        if (changes.isEmpty()) {
          break;
        }
        applier.apply(changes);
        consumer.acknowledge(changes.get(changes.size() - 1));
        n += changes.size();
        op.section("positions").put(part.isEmpty() ? "source" : part, consumer.acknowledged());
        store.save(op);
        options.progress().advance(changes.size());
        options.hook().accept("catch-up");
      }
    } finally {
      options.progress().end();
    }
    applied += n;
    return n;
  }

  /** Registers the operation's consumer at the end of {@code db}'s log, after capture is installed on its tables. */
  void capture(Connection db, List<SourceTable> tables) throws SQLException {
    for (SourceTable t : tables) {
      ChangeCapture.install(db, t.name());
    }
    ChangeCapture.consumer(db, consumer());
  }

  /**
   * The differing keys that still have changes in {@code from}'s log after the operation's acknowledged position: the
   * origin changed them again during the verification, and the next catch-up brings them (their change carries the
   * whole row). Canonical key texts, in the table's primary-key order.
   */
  java.util.Set<String> pending(Connection from, SourceTable t) throws SQLException {
    Long acknowledged = ChangeCapture.consumers(from).get(consumer());
    java.util.Set<String> keys = new java.util.HashSet<>();
    long position = acknowledged == null ? 0 : acknowledged;
    while (true) {
      List<Change> changes = ChangeCapture.read(from, position, 5000);
      for (Change ch : changes) {
        if (ch.table().equals(t.key())) {
          Object[] key = new Object[t.primaryKey().size()];
          int[] idx = new int[key.length];
          for (int i = 0; i < key.length; i++) {
            key[i] = ch.key().get(t.primaryKey().get(i));
            idx[i] = i;
          }
          keys.add(Values.key(key, idx));
        }
      }
      if (changes.size() < 5000) {
        return keys;
      }
      position = changes.get(changes.size() - 1).position();
    }
  }

  /** The keys of {@code differing} that have no pending change in {@code pending}. */
  static List<Object[]> settled(List<Object[]> differing, java.util.Set<String> pending) throws SQLException {
    List<Object[]> out = new ArrayList<>();
    for (Object[] key : differing) {
      int[] idx = new int[key.length];
      for (int i = 0; i < key.length; i++) {
        idx[i] = i;
      }
      if (!pending.contains(Values.key(key, idx))) {
        out.add(key);
      }
    }
    return out;
  }

  static SQLException failed(String message) {
    return new SQLException(message, SqlStates.GENERAL);
  }

  MigrationReport report(String state, long verified, List<String> problems) {
    return new MigrationReport(op.id(), state, List.copyOf(lines), copied, applied, verified, problems);
  }
}
