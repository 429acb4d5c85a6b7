package org.collegedb.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.collegedb.internal.value.KeyType;
import org.collegedb.internal.value.KeyHasher;

/**
 * Placement: a key's shard depends only on the key's value and the shard names; keys spread evenly; adding a shard
 * moves only the keys it takes over, and only to it.
 */
class PlacementPropertiesTest {
  @Provide
  Arbitrary<List<String>> shardNames() {
    return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12).list().ofMinSize(1).ofMaxSize(16)
        .uniqueElements();
  }

  @Property(tries = 200)
  void placementIgnoresTheOrderShardsAreListedIn(@ForAll("shardNames") List<String> names,
      @ForAll long key) throws Exception {
    List<String> reversed = new ArrayList<>(names);
    Collections.reverse(reversed);
    List<String> shuffled = new ArrayList<>(names);
    Collections.shuffle(shuffled);
    long hash = KeyHasher.hash(KeyType.INTEGER, key);
    String owner = ShardMap.initial(names).owner(hash);
    assertThat(ShardMap.initial(reversed).owner(hash)).isEqualTo(owner);
    assertThat(ShardMap.initial(shuffled).owner(hash)).isEqualTo(owner);
  }

  @Property(tries = 300)
  void aKeyIsOneKeyHoweverItIsBound(@ForAll @IntRange(min = -1_000_000, max = 1_000_000) int key)
      throws Exception {
    long expected = KeyHasher.hash(KeyType.INTEGER, key);
    assertThat(KeyHasher.hash(KeyType.INTEGER, (long) key)).isEqualTo(expected);
    assertThat(KeyHasher.hash(KeyType.INTEGER, String.valueOf(key))).isEqualTo(expected);
    assertThat(KeyHasher.hash(KeyType.INTEGER, " " + key + " ")).isEqualTo(expected);
    assertThat(KeyHasher.hash(KeyType.INTEGER, BigDecimal.valueOf(key))).isEqualTo(expected);
    assertThat(KeyHasher.hash(KeyType.INTEGER, BigDecimal.valueOf(key).setScale(2))).isEqualTo(expected);
    assertThat(KeyHasher.hash(KeyType.INTEGER, (double) key)).isEqualTo(expected);
    assertThat(KeyHasher.hash(KeyType.DECIMAL, key)).isEqualTo(expected);
    if (key >= Short.MIN_VALUE && key <= Short.MAX_VALUE) {
      assertThat(KeyHasher.hash(KeyType.INTEGER, (short) key)).isEqualTo(expected);
    }
  }

  @Property(tries = 100)
  void textKeysAreOneKeyHoweverTheyAreBound(@ForAll String text, @ForAll int number) throws Exception {
    assertThat(KeyHasher.hash(KeyType.TEXT, new StringBuilder(text).toString()))
        .isEqualTo(KeyHasher.hash(KeyType.TEXT, text));
    assertThat(KeyHasher.hash(KeyType.TEXT, number)).isEqualTo(KeyHasher.hash(KeyType.TEXT, String.valueOf(number)));
  }

  @Property(tries = 10)
  void keysSpreadEvenlyOverEightShards(@ForAll long seed) throws Exception {
    ShardMap map = ShardMap.initial(List.of("a", "b", "c", "d", "e", "f", "g", "h"));
    int[] counts = new int[8];
    for (long k = 0; k < 100_000; k++) {
      counts[map.ownerIndex(KeyHasher.hash(KeyType.INTEGER, seed + k))]++;
    }
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int c : counts) {
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    assertThat((double) max / min).as("max/min of %s", java.util.Arrays.toString(counts)).isLessThanOrEqualTo(1.1);
  }

  @Property(tries = 10)
  void textKeysSpreadEvenlyToo(@ForAll long seed) throws Exception {
    ShardMap map = ShardMap.initial(List.of("a", "b", "c", "d", "e", "f", "g", "h"));
    int[] counts = new int[8];
    for (long k = 0; k < 100_000; k++) {
      counts[map.ownerIndex(KeyHasher.hash(KeyType.TEXT, "user-" + (seed + k) + "@example.com"))]++;
    }
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int c : counts) {
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    assertThat((double) max / min).isLessThanOrEqualTo(1.1);
  }

  @Property(tries = 20)
  void addingAFifthShardMovesAFifthOfTheKeysAllToIt(@ForAll long seed,
      @ForAll @Size(4) @UniqueElements List<@net.jqwik.api.constraints.AlphaChars
          @net.jqwik.api.constraints.StringLength(min = 1, max = 8) String> names,
      @ForAll @net.jqwik.api.constraints.AlphaChars @net.jqwik.api.constraints.StringLength(min = 9, max = 12)
          String added) throws Exception {
    ShardMap before = ShardMap.initial(names);
    ShardMap after = before.withShardAdded(added);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    int keys = 100_000;
    int moved = 0;
    Map<String, Integer> perShard = new HashMap<>();
    for (long k = 0; k < keys; k++) {
      long hash = KeyHasher.hash(KeyType.INTEGER, seed + k);
      String was = before.owner(hash);
      String is = after.owner(hash);
      perShard.merge(is, 1, Integer::sum);
      if (!was.equals(is)) {
        moved++;
        assertThat(is).as("a moved key goes to the new shard").isEqualTo(added);
      }
    }
    assertThat((double) moved / keys).isLessThanOrEqualTo(0.25).isGreaterThan(0.15);
    int min = Collections.min(perShard.values());
    int max = Collections.max(perShard.values());
    assertThat((double) max / min).as("still balanced: %s", perShard).isLessThanOrEqualTo(1.1);
    for (Map.Entry<String, Double> share : after.shares().entrySet()) {
      assertThat(share.getValue()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Property(tries = 50)
  void theStoredFormOfAMapIsTheMap(@ForAll("shardNames") List<String> names) {
    ShardMap map = ShardMap.initial(names);
    for (int i = 0; i < 3 && names.size() < 20; i++) {
      map = map.withShardAdded("added" + i);
    }
    assertThat(ShardMap.of(map.version(), map.ranges())).isEqualTo(map);
  }
}
