package org.collegedb.internal.directory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.collegedb.internal.execute.ShardConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one logical connection owes the directory in its current transaction. Entries a statement writes are
 * committed at once, before the data; entries a statement makes stale (a deleted row's, an updated row's old value)
 * are deleted only once the data change is committed, so that a rollback never leaves a row without its entry. On
 * rollback, the entries written in the transaction are deleted again (they are extra, and in the way of a retry).
 */
public final class DirectorySession {
  private static final Logger LOG = LoggerFactory.getLogger(DirectorySession.class);
  private final Directory directory;
  private final ShardConnections shards;
  private final List<DirectoryStore.StaleLookup> staleAfterCommit = new ArrayList<>();
  private final List<DirectoryStore.StaleLookup> written = new ArrayList<>();
  private final Set<String> owned = new HashSet<>(); // table|column|vkey written or made stale here

  public DirectorySession(Directory directory, ShardConnections shards) {
    this.directory = directory;
    this.shards = shards;
  }

  public Directory directory() {
    return directory;
  }

  ShardConnections shards() {
    return shards;
  }

  static String id(String table, String column, String vkey) {
    return table + "|" + column + "|" + vkey;
  }

  /** Whether this transaction wrote the entry or made it stale: then it may take it over without waiting. */
  boolean owns(String table, String column, String vkey) {
    return owned.contains(id(table, column, vkey));
  }

  void wrote(List<DirectoryStore.StaleLookup> entries) {
    if (shards.autoCommit()) {
      return;
    }
    written.addAll(entries);
    for (DirectoryStore.StaleLookup e : entries) {
      owned.add(id(e.table(), e.column(), e.vkey()));
    }
  }

  /** Entries to delete once the data change is committed (now, in auto-commit mode). */
  void staleAfterCommit(List<DirectoryStore.StaleLookup> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    if (shards.autoCommit()) {
      directory.store().deleteLookups(entries);
      for (DirectoryStore.StaleLookup e : entries) {
        directory.forget(e.vkey());
      }
      return;
    }
    staleAfterCommit.addAll(entries);
    for (DirectoryStore.StaleLookup e : entries) {
      owned.add(id(e.table(), e.column(), e.vkey()));
    }
  }

  /** The shards committed: delete what became stale. A failure leaves extra entries, which are harmless. */
  public void committed() {
    List<DirectoryStore.StaleLookup> stale = new ArrayList<>(staleAfterCommit);
    clear();
    try {
      directory.store().deleteLookups(stale);
      for (DirectoryStore.StaleLookup e : stale) {
        directory.forget(e.vkey());
      }
    } catch (SQLException e) {
      LOG.warn("CollegeDB: could not delete {} stale directory entries after a commit; they remain as extra "
          + "entries (harmless, taken over after directory.orphanAfter): {}", stale.size(), e.getMessage());
    }
  }

  /** The shards rolled back: the entries written for the transaction are extra; delete them. */
  public void rolledBack() {
    List<DirectoryStore.StaleLookup> extra = new ArrayList<>(written);
    clear();
    try {
      directory.store().deleteLookups(extra);
      for (DirectoryStore.StaleLookup e : extra) {
        directory.forget(e.vkey());
      }
    } catch (SQLException e) {
      LOG.warn("CollegeDB: could not delete {} directory entries of a rolled-back transaction; they remain as "
          + "extra entries (harmless, taken over after directory.orphanAfter): {}", extra.size(), e.getMessage());
    }
  }

  private void clear() {
    staleAfterCommit.clear();
    written.clear();
    owned.clear();
  }
}
