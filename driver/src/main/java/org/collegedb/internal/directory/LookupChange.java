package org.collegedb.internal.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.collegedb.SqlStates;
import org.collegedb.internal.value.KeyHasher;
import org.collegedb.internal.schema.TableRule;

/**
 * The directory side of one write to a table with lookup keys, in the order that keeps every row's entry in place
 * (design section 4): {@link #before()} writes and commits the new entries (deciding uniqueness) and notes the
 * tokens of the entries the write makes stale; the caller then changes the data; then {@link #succeeded()} deletes
 * the stale entries after the data is committed, or {@link #failed()} takes back the new ones.
 */
public final class LookupChange {
  private static final int TAKE_OVER_ATTEMPTS = 3;

  private final DirectorySession session;
  private final TableRule rule;
  private final long token = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  private final List<Add> adds = new ArrayList<>();
  private final List<Remove> removes = new ArrayList<>();
  private final List<DirectoryStore.StaleLookup> written = new ArrayList<>();
  private final List<DirectoryStore.StaleLookup> stale = new ArrayList<>();

  private record Add(String column, Object value, Object canonical, String vkey, String shard) {
  }

  private record Remove(String column, String vkey, String shard) {
  }

  public LookupChange(DirectorySession session, TableRule rule) {
    this.session = session;
    this.rule = rule;
  }

  /** A row on {@code shard} will hold {@code value} in lookup column {@code column}. */
  public void add(String column, Object value, String shard) throws SQLException {
    if (value == null) {
      return;
    }
    Object canonical = KeyHasher.canonical(rule.typeOf(column), value);
    String vkey = session.directory().keys().lookup(rule.name(), column, canonical);
    for (Add a : adds) {
      if (a.vkey.equals(vkey) && a.column.equals(column)) {
        throw duplicate(column, value, "two rows of this statement");
      }
    }
    adds.add(new Add(column, value, canonical, vkey, shard));
  }

  /** A row on {@code shard} will no longer hold {@code value} in {@code column}. */
  public void remove(String column, Object value, String shard) throws SQLException {
    if (value == null) {
      return;
    }
    Object canonical = KeyHasher.canonical(rule.typeOf(column), value);
    removes.add(new Remove(column, session.directory().keys().lookup(rule.name(), column, canonical), shard));
  }

  /** Whether an old and a new value of a column are the same lookup key. */
  public boolean same(String column, Object a, Object b) throws SQLException {
    if (a == null || b == null) {
      return a == b;
    }
    return KeyHasher.canonical(rule.typeOf(column), a).equals(KeyHasher.canonical(rule.typeOf(column), b));
  }

  public boolean isEmpty() {
    return adds.isEmpty() && removes.isEmpty();
  }

  /**
   * Before the data changes: writes the new entries (committed), failing with SQLState 23505, and leaving nothing
   * written, when a value belongs to a row that exists; reads the tokens of the entries to delete afterwards.
   */
  public void before() throws SQLException {
    DirectoryStore store = session.directory().store();
    Map<String, List<String>> byColumn = new HashMap<>();
    for (Remove r : removes) {
      byColumn.computeIfAbsent(r.column, c -> new ArrayList<>()).add(r.vkey);
    }
    for (Map.Entry<String, List<String>> e : byColumn.entrySet()) {
      Map<String, DirectoryStore.Entry> found = store.lookups(rule.name(), e.getKey(), e.getValue());
      for (Remove r : removes) {
        DirectoryStore.Entry entry = found.get(r.vkey);
        if (r.column.equals(e.getKey()) && entry != null && entry.shard().equals(r.shard)) {
          stale.add(new DirectoryStore.StaleLookup(rule.name(), r.column, r.vkey, entry.token()));
        }
      }
    }
    if (adds.isEmpty()) {
      return;
    }
    List<DirectoryStore.NewLookup> entries = new ArrayList<>();
    for (Add a : adds) {
      entries.add(new DirectoryStore.NewLookup(rule.name(), a.column, a.vkey, a.shard));
    }
    long now = System.currentTimeMillis();
    List<Integer> conflicts = store.insertLookups(entries, token, now);
    Set<Integer> taken = new HashSet<>(conflicts);
    for (int i = 0; i < adds.size(); i++) {
      if (!taken.contains(i)) {
        Add a = adds.get(i);
        written.add(new DirectoryStore.StaleLookup(rule.name(), a.column, a.vkey, token));
      }
    }
    try {
      for (int i : conflicts) {
        resolve(adds.get(i));
      }
    } catch (SQLException | RuntimeException e) {
      takeBack();
      throw e;
    }
    for (Add a : adds) {
      session.directory().remember(a.vkey, a.shard);
    }
    session.wrote(written);
  }

  /** Another entry holds the value: a duplicate if its row exists, else (an extra entry) take it over. */
  private void resolve(Add a) throws SQLException {
    DirectoryStore store = session.directory().store();
    for (int attempt = 0; attempt < TAKE_OVER_ATTEMPTS; attempt++) {
      DirectoryStore.Entry existing = store.lookups(rule.name(), a.column, List.of(a.vkey)).get(a.vkey);
      long now = System.currentTimeMillis();
      if (existing == null) {
        List<Integer> again = store.insertLookups(List.of(new DirectoryStore.NewLookup(rule.name(), a.column, a.vkey,
            a.shard)), token, now);
        if (again.isEmpty()) {
          written.add(new DirectoryStore.StaleLookup(rule.name(), a.column, a.vkey, token));
          return;
        }
        continue;
      }
      if (existing.token() == token) {
        return;
      }
      boolean ours = session.owns(rule.name(), a.column, a.vkey);
      if (!ours) {
        if (rowExists(existing.shard(), a.column, a.value)) {
          throw duplicate(a.column, a.value, "a row on shard '" + existing.shard() + "'");
        }
        if (now - existing.created() < session.directory().spec().orphanAfterMillis()) {
          throw new SQLIntegrityConstraintViolationException("the value of lookup key '" + rule.name() + "."
              + a.column + "' is taken by a write in progress (or by one that failed less than directory.orphanAfter"
              + " ago): its row is not on shard '" + existing.shard() + "' yet. Retry later", SqlStates.UNIQUE);
        }
      }
      if (store.takeOver(rule.name(), a.column, a.vkey, existing.token(), a.shard, token, now)) {
        written.add(new DirectoryStore.StaleLookup(rule.name(), a.column, a.vkey, token));
        return;
      }
    }
    throw new SQLIntegrityConstraintViolationException("the value of lookup key '" + rule.name() + "." + a.column
        + "' is being written concurrently: retry", SqlStates.UNIQUE);
  }

  /** Whether the shard holds a row of the table with this value (in the caller's transaction, if any). */
  private boolean rowExists(String shard, String column, Object value) throws SQLException {
    int index = session.directory().shardIndex(shard);
    if (index < 0) {
      return false; // an entry for a shard that is not configured any more
    }
    Connection c = session.shards().use(index);
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + rule.name() + " WHERE " + column + " = ?")) {
      ps.setObject(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private SQLException duplicate(String column, Object value, String holder) {
    return new SQLIntegrityConstraintViolationException("duplicate value for the lookup key '" + rule.name() + "."
        + column + "': " + holder + " has it already. Lookup keys are unique across all shards", SqlStates.UNIQUE);
  }

  private void takeBack() {
    try {
      session.directory().store().deleteLookups(written);
      for (DirectoryStore.StaleLookup w : written) {
        session.directory().forget(w.vkey());
      }
    } catch (SQLException e) {
      // they stay as extra entries: harmless
    }
    written.clear();
  }

  /** The data change succeeded: stale entries go once it is committed. */
  public void succeeded() throws SQLException {
    session.staleAfterCommit(stale);
  }

  /** The data change failed. In auto-commit mode nothing was written: take the new entries back. */
  public void failed() {
    if (session.shards().autoCommit()) {
      takeBack();
    }
  }
}
