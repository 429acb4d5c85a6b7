package org.collegedb.internal.merge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongToIntFunction;
import org.collegedb.internal.value.KeyHasher;
import org.collegedb.internal.value.KeyType;

/**
 * The ownership filter of a read of every shard while a reshard moves ranges: a shard may then hold rows it does not
 * own (copies on a range's new owner before the switch, the old rows on its old owner until the cleanup), so from
 * each shard that may ({@code checked}) only the rows whose key the plan's map gives to that shard are kept. The key
 * travels as hidden columns of the shard's rows (as ORDER BY keys do); its hash is computed as the reshard tool
 * computed it to move the row ({@link KeyHasher} over the values the shard returns).
 *
 * @param keyColumns the key's column texts, as added to the select list
 * @param types      the key's types
 * @param owner      the plan's map: hash position to the owning shard's index
 * @param checked    the shard indices whose rows are filtered, ascending (the others hold only rows they own)
 * <p>Where the directory places keys ({@code placements} non-null), a placed key's row belongs to the shard its
 * placement names, wherever the map puts its hash (a key placed on a draining shard is copied to its new shard, and
 * its placement re-pointed there at the switch): the placements are read from the directory once per read, and a key
 * without one is checked against the map. Every shard read is then checked.
 *
 * @param mapVersion the version of the map in motion, for plan texts
 * @param placements where the directory's placements of the table's keys are read from, or null (no placements)
 */
public record Ownership(List<String> keyColumns, KeyType[] types, LongToIntFunction owner, int[] checked,
    long mapVersion, PlacementSource placements) {

  /** Without placements: the map alone says which shard owns a row. */
  public Ownership(List<String> keyColumns, KeyType[] types, LongToIntFunction owner, int[] checked,
      long mapVersion) {
    this(keyColumns, types, owner, checked, mapVersion, null);
  }

  /** The placements of keys at one moment: the shard index a key (as a shard returned it) is placed on, or -1. */
  @FunctionalInterface
  public interface Placed {
    int shardOf(Object[] key) throws SQLException;
  }

  /** Reads the placements (null when there are none to read). */
  @FunctionalInterface
  public interface PlacementSource {
    Placed load() throws SQLException;
  }

  /** Whether rows of shard {@code shard} are filtered (it may hold rows it does not own). */
  public boolean checks(int shard) {
    return Arrays.binarySearch(checked, shard) >= 0;
  }

  /**
   * The shards' parts with the rows each does not own left out, for a plan with an ownership filter; {@code shards[i]}
   * is the shard of {@code parts.get(i)} (null parts, shards a partial read skipped, stay null).
   */
  public static List<ResultSet> keepOwned(MergePlan plan, int[] shards, List<ResultSet> parts) throws SQLException {
    if (plan == null || plan.ownership == null) {
      return parts;
    }
    Ownership o = plan.ownership;
    Placed placed = o.placements == null ? null : o.placements.load();
    List<ResultSet> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      ResultSet rs = parts.get(i);
      int shard = shards[i];
      out.add(rs == null || !o.checks(shard) ? rs : new FilteredResultSet(rs, o.test(plan, shard, placed)));
    }
    return out;
  }

  /** The placements to check keys against, read now (null without placements). */
  public Placed loadPlacements() throws SQLException {
    return placements == null ? null : placements.load();
  }

  /**
   * Whether shard {@code shard} owns the row with this key (the values as the shard returned them), {@code placed}
   * from {@link #loadPlacements}: a shard that is not checked owns every row it holds.
   */
  public boolean owns(int shard, Object[] key, Placed placed) throws SQLException {
    if (!checks(shard)) {
      return true;
    }
    int at = placed == null ? -1 : placed.shardOf(key);
    if (at >= 0) {
      return at == shard;
    }
    return owner.applyAsInt(hash(key)) == shard;
  }

  private FilteredResultSet.RowTest test(MergePlan plan, int shard, Placed placed) {
    int[] columns = new int[keyColumns.size()];
    Object[] key = new Object[columns.length];
    return row -> {
      if (columns[0] == 0) {
        int visible = row.getMetaData().getColumnCount() - plan.hidden;
        for (int k = 0; k < columns.length; k++) {
          columns[k] = visible + plan.ownerKeys[k] + 1;
        }
      }
      for (int k = 0; k < columns.length; k++) {
        key[k] = row.getObject(columns[k]);
      }
      return owns(shard, key, placed);
    };
  }

  private long hash(Object[] key) throws SQLException {
    return KeyHasher.hash(types, key);
  }

  /** The filter for plan texts, with shard names. */
  public String describe(List<String> names) {
    StringBuilder b = new StringBuilder(" owned-rows key=").append(keyColumns).append(" on [");
    for (int i = 0; i < checked.length; i++) {
      b.append(i == 0 ? "" : ",").append(names == null || checked[i] >= names.size() ? "#" + checked[i]
          : names.get(checked[i]));
    }
    return b.append("] (map v").append(mapVersion).append(" in motion").append(placements == null ? ""
        : ", placements").append(")").toString();
  }
}
