package org.collegedb.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardMap}: the exact ranges of a first map, the owners at the ends of the hash space, how adding shards
 * takes an equal share from every shard, and the checks on stored maps. (Placement properties over many keys are in
 * {@code PlacementPropertiesTest}.)
 */
class ShardMapTest {
  @Test
  void aFirstMapSplitsTheSpaceEquallyInNameOrder() {
    ShardMap two = ShardMap.initial(List.of("b", "a"));
    assertThat(two.shards()).containsExactly("a", "b");
    assertThat(two.version()).isEqualTo(1);
    assertThat(two.ranges()).containsExactly(Map.entry(Long.MIN_VALUE, "a"), Map.entry(0L, "b"));
    ShardMap four = ShardMap.initial(List.of("s3", "s1", "s4", "s2"));
    assertThat(four.ranges()).containsExactly(Map.entry(Long.MIN_VALUE, "s1"), Map.entry(Long.MIN_VALUE / 2, "s2"),
        Map.entry(0L, "s3"), Map.entry(Long.MAX_VALUE / 2 + 1, "s4"));
    assertThat(ShardMap.initial(List.of("x", "x")).shards()).containsExactly("x");
  }

  @Test
  void theEndsAndBoundariesOfTheSpaceHaveTheirOwners() {
    ShardMap four = ShardMap.initial(List.of("s1", "s2", "s3", "s4"));
    assertThat(four.owner(Long.MIN_VALUE)).isEqualTo("s1");
    assertThat(four.owner(Long.MIN_VALUE / 2 - 1)).isEqualTo("s1");
    assertThat(four.owner(Long.MIN_VALUE / 2)).isEqualTo("s2");
    assertThat(four.owner(-1)).isEqualTo("s2");
    assertThat(four.owner(0)).isEqualTo("s3");
    assertThat(four.owner(Long.MAX_VALUE)).isEqualTo("s4");
    assertThat(four.ownerIndex(Long.MAX_VALUE)).isEqualTo(3);
    assertThat(ShardMap.initial(List.of("only")).owner(Long.MAX_VALUE)).isEqualTo("only");
  }

  @Test
  void addingShardsTakesAnEqualShareFromEveryShard() {
    ShardMap four = ShardMap.initial(List.of("s1", "s2", "s3", "s4"));
    ShardMap five = four.withShardAdded("s5");
    assertThat(five.version()).isEqualTo(2);
    assertThat(five.shards()).containsExactly("s1", "s2", "s3", "s4", "s5");
    five.shares().values().forEach(share -> assertThat(share).isCloseTo(0.2, within(1e-12)));
    ShardMap six = five.withShardAdded("s0");
    assertThat(six.version()).isEqualTo(3);
    assertThat(six.shards()).containsExactly("s0", "s1", "s2", "s3", "s4", "s5");
    six.shares().values().forEach(share -> assertThat(share).isCloseTo(1.0 / 6, within(1e-12)));
    // every position that changed owner went to the new shard; the others kept theirs
    for (long position : new long[] {Long.MIN_VALUE, -7, 0, 12345, Long.MAX_VALUE, Long.MIN_VALUE / 2}) {
      String before = five.owner(position);
      String after = six.owner(position);
      assertThat(after).isIn(before, "s0");
    }
    // the new shard takes the top of each range
    assertThat(five.owner(Long.MIN_VALUE / 2 - 1)).isEqualTo("s5");
    assertThat(five.owner(Long.MIN_VALUE)).isEqualTo("s1");
  }

  @Test
  void aShardCannotBeAddedTwice() {
    ShardMap map = ShardMap.initial(List.of("s1", "s2"));
    assertThatThrownBy(() -> map.withShardAdded("s2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shard 's2' is in the map already");
  }

  @Test
  void aStoredMapMustCoverTheWholeSpace() {
    assertThatThrownBy(() -> ShardMap.of(3, Map.of(0L, "s1"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shard map version 3 does not cover the hash space");
    assertThatThrownBy(() -> ShardMap.of(1, Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ShardMap.initial(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMapIsEqualToItsStoredFormWithItsVersion() {
    ShardMap five = ShardMap.initial(List.of("s1", "s2", "s3", "s4")).withShardAdded("s5");
    ShardMap stored = ShardMap.of(five.version(), new TreeMap<>(five.ranges()));
    assertThat(stored).isEqualTo(five).hasSameHashCodeAs(five);
    assertThat(ShardMap.of(five.version() + 1, five.ranges())).isNotEqualTo(five);
    assertThat(five.toString()).startsWith("ShardMap v2 {-9223372036854775808=s1, ");
  }

  @Test
  void rangesInMotionNameTheShardsThatMayHoldRowsTheyDoNotOwn() {
    ShardMap four = ShardMap.initial(List.of("s1", "s2", "s3", "s4"));
    ShardMap.Motion s1ToS3 = new ShardMap.Motion(Long.MIN_VALUE, Long.MIN_VALUE + 99, "s1", "s3", ShardMap.Motion.COPY);
    ShardMap.Motion s4ToS5 = new ShardMap.Motion(Long.MAX_VALUE - 99, Long.MAX_VALUE, "s4", "s5",
        ShardMap.Motion.COPY);
    ShardMap copying = four.withMembers(List.of("s5")).withMotion(List.of(s1ToS3, s4ToS5));
    assertThat(four.inMotion()).isFalse();
    assertThat(four.holdersOfCopies()).isEmpty();
    assertThat(copying.inMotion()).isTrue();
    assertThat(copying.holdersOfCopies()).containsExactly(2, 4); // the copies' shards: s3 and the joining s5
    assertThat(copying.ownerIndex(Long.MIN_VALUE + 5)).isZero(); // s1 still owns it while copying
    ShardMap switched = copying.withMotion(List.of(
        new ShardMap.Motion(s1ToS3.start(), s1ToS3.end(), "s1", "s3", ShardMap.Motion.SWITCHED)));
    assertThat(switched.holdersOfCopies()).containsExactly(0); // the old owner until the cleanup
    assertThat(copying.withMembers(List.of("s6")).motion()).containsExactly(s1ToS3, s4ToS5);
    assertThat(copying.withVersion(7).motion()).containsExactly(s1ToS3, s4ToS5);
    assertThat(copying).as("motion is not part of the map's identity").isEqualTo(four.withMembers(List.of("s5")));
    assertThat(copying.toString()).contains("motion [Motion[start=-9223372036854775808");
  }
}
