package org.collegedb.internal.directory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.internal.value.KeyHasher;

/**
 * The directory's side of a reshard: the placements of a batch of rows (where the directory says their keys live),
 * and, at the switch, the lookup entries and placements of moved rows pointed at their new shard. Entries are
 * re-pointed only while they name the row's old shard, keeping their token, so that running it again changes
 * nothing and a write in progress still deletes the entry it owns.
 */
public final class DirectoryMoves {
  /** A row (column name to value, lower case) that moves from one shard to another. */
  public record Moved(Map<String, Object> row, String from, String to) {
  }

  private final Directory directory;

  public DirectoryMoves(ClusterView view) {
    this.directory = view.directory();
  }

  /** Whether key routing reads placements: then a placed key stays where its placement says. */
  public boolean placesKeys() {
    return directory.spec().placesKeys();
  }

  /**
   * Per row, the shard its key is placed on, or null (no placement, or the directory places no keys). Rows are
   * column name (lower case) to value.
   */
  public List<String> placements(TableRule rule, List<Map<String, Object>> rows) throws SQLException {
    List<String> out = new ArrayList<>(rows.size());
    if (!placesKeys() || !rule.sharded()) {
      for (int i = 0; i < rows.size(); i++) {
        out.add(null);
      }
      return out;
    }
    String group = Placer.group(rule);
    List<String> vkeys = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) {
      vkeys.add(placementKey(rule, group, row));
    }
    Map<String, String> found = directory.store().placements(group, vkeys.stream().distinct().toList());
    for (String vkey : vkeys) {
      out.add(found.get(vkey));
    }
    return out;
  }

  /**
   * Points the lookup entries of the moved rows (every lookup column's non-NULL value) and, with {@code placements}
   * (and a directory that places keys), their keys' placements from each row's old shard at its new one, in one
   * directory transaction. Returns how many entries and placements changed.
   */
  public int repoint(TableRule rule, List<Moved> rows, boolean placements) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    placements = placements && placesKeys();
    String group = Placer.group(rule);
    List<DirectoryStore.Repoint> moves = new ArrayList<>();
    for (Moved m : rows) {
      for (String column : rule.lookup()) {
        Object value = m.row().get(column.toLowerCase(Locale.ROOT));
        if (value != null) {
          String vkey = directory.keys().lookup(rule.name(), column,
              KeyHasher.canonical(rule.typeOf(column), value));
          moves.add(new DirectoryStore.Repoint(rule.name(), column, vkey, m.from(), m.to()));
        }
      }
      if (placements) {
        moves.add(new DirectoryStore.Repoint(group, null, placementKey(rule, group, m.row()), m.from(), m.to()));
      }
    }
    int changed = directory.store().repoint(moves);
    for (DirectoryStore.Repoint r : moves) {
      directory.forget(r.vkey());
    }
    return changed;
  }

  /**
   * Deletes the lookup entries and (with {@code placements}) the placements still naming a drained shard once its
   * rows' entries were re-pointed: entries of values no row has (a crashed write's), placements of keys without rows.
   * Returns how many.
   */
  public int dropNaming(String shard, boolean placements) throws SQLException {
    int n = directory.store().deleteNaming(shard, true);
    if (placements) {
      n += directory.store().deleteNaming(shard, false);
    }
    directory.forgetAll();
    return n;
  }

  /** Drops this instance's cached directory answers. */
  public void forgetAll() {
    directory.forgetAll();
  }

  private String placementKey(TableRule rule, String group, Map<String, Object> row) throws SQLException {
    Object[] key = new Object[rule.keyColumns().size()];
    for (int i = 0; i < key.length; i++) {
      key[i] = KeyHasher.canonical(rule.keyTypes()[i], row.get(rule.keyColumns().get(i).toLowerCase(Locale.ROOT)));
    }
    return directory.keys().placement(group, key);
  }
}
