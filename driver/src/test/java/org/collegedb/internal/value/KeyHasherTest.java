package org.collegedb.internal.value;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * Placement positions are a persistent contract: the allocation-free hashing must give, bit for bit, what the first
 * implementation (Guava's murmur3_128 streaming hasher over the canonical bytes) gave.
 */
class KeyHasherTest {
  /** Positions computed by the Guava-based KeyHasher of commit cac66b9, before the change to {@link Murmur3}. */
  private static final Object[][] RECORDED = {
      {0L, KeyType.INTEGER, 0x38bf53e19cc0ce1bL},
      {1L, KeyType.INTEGER, 0x65eb2577cfe5e0ebL},
      {-1L, KeyType.INTEGER, 0x91d72a52e0f367adL},
      {42L, KeyType.INTEGER, 0x4244c80cf03f42cfL},
      {Long.MAX_VALUE, KeyType.INTEGER, 0xdad3ea97ec9376b9L},
      {Long.MIN_VALUE, KeyType.INTEGER, 0xe151fe0304d40b7bL},
      {new BigDecimal("1.5"), KeyType.INTEGER, 0x27151a648b2f6ba5L},
      {new BigDecimal("3.14"), KeyType.DECIMAL, 0xfdebb71df3d2183dL},
      {new BigDecimal("1E+30"), KeyType.DECIMAL, 0x538affac5bd3f26dL},
      {"", KeyType.TEXT, 0xfc650cbd69335d32L},
      {"alice", KeyType.TEXT, 0xaafd7e14744b5ec6L},
      {"seven-bytes", KeyType.TEXT, 0xa4b57288e3e34587L},
      {"\u00fcn\u00efc\u00f8d\u00e9 \u6771\u4eac", KeyType.TEXT, 0x44a3e9e24853c1c6L},
      {"a somewhat longer text key that spans blocks", KeyType.TEXT, 0xdc4e7c0c1d9da522L},
      {"123E4567-E89B-12D3-A456-426614174000", KeyType.UUID, 0x5958c2e7fa283e49L},
      {new byte[] {1, 2, 3, (byte) 0xff}, KeyType.BINARY, 0x35ad6416cf1f07f0L},
      {LocalDate.of(2024, 2, 29), KeyType.DATE, 0x7780681e2223b255L},
      {LocalDateTime.of(2024, 2, 29, 13, 45, 1), KeyType.TIMESTAMP, 0x64bc58c0c9eaea69L},
      {true, KeyType.BOOLEAN, 0x65eb2577cfe5e0ebL},
  };

  @Test
  void positionsAreThoseRecordedBeforeTheChange() throws SQLException {
    for (Object[] row : RECORDED) {
      assertThat(KeyHasher.hash((KeyType) row[1], row[0])).as("%s %s", row[1], row[0]).isEqualTo((long) row[2]);
      assertThat(KeyHasher.hash(new KeyType[] {(KeyType) row[1]}, new Object[] {row[0]})).isEqualTo((long) row[2]);
    }
    assertThat(KeyHasher.hash(new KeyType[] {KeyType.INTEGER, KeyType.TEXT}, new Object[] {7L, "x"}))
        .isEqualTo(0xb1c235a95827aee2L);
  }

  @Test
  void integerKeysHashTheSameHoweverTheyWereBound() throws SQLException {
    long expected = KeyHasher.hash(KeyType.INTEGER, 7L);
    for (Object v : new Object[] {7, (short) 7, (byte) 7, "7", " 7 ", new BigDecimal("7.00"), 7.0d}) {
      assertThat(KeyHasher.hash(KeyType.INTEGER, v)).as("%s (%s)", v, v.getClass()).isEqualTo(expected);
    }
  }

  @Property
  void integerKeysMatchGuava(@ForAll long key) throws SQLException {
    assertThat(KeyHasher.hash(KeyType.INTEGER, key)).isEqualTo(guava(KeyType.INTEGER, key));
  }

  @Property
  void textKeysMatchGuava(@ForAll @StringLength(max = 70) String key) throws SQLException {
    assertThat(KeyHasher.hash(KeyType.TEXT, key)).isEqualTo(guava(KeyType.TEXT, key));
  }

  @Property
  void compositeKeysMatchGuava(@ForAll long a, @ForAll @StringLength(max = 40) String b, @ForAll double c)
      throws SQLException {
    KeyType[] types = {KeyType.INTEGER, KeyType.TEXT, KeyType.DECIMAL};
    Object[] values = {a, b, Double.isFinite(c) ? c : 0.5};
    Hasher h = Hashing.murmur3_128().newHasher();
    for (int i = 0; i < types.length; i++) {
      putAsGuava(h, types[i], values[i]);
    }
    assertThat(KeyHasher.hash(types, values)).isEqualTo(h.hash().asLong());
  }

  @Test
  void murmurMatchesGuavaForEveryTailLength() {
    Random random = new Random(7);
    for (int length = 0; length <= 100; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      assertThat(Murmur3.hash64(bytes, length)).as("length %d", length)
          .isEqualTo(Hashing.murmur3_128().hashBytes(bytes).asLong());
    }
  }

  @Property
  void taggedLongMatchesTheBytesItStandsFor(@ForAll byte tag, @ForAll long value) {
    byte[] bytes = new byte[9];
    bytes[0] = tag;
    for (int i = 0; i < 8; i++) {
      bytes[1 + i] = (byte) (value >>> (8 * i));
    }
    assertThat(Murmur3.hashTagged(tag, value)).isEqualTo(Murmur3.hash64(bytes, 9));
  }

  private static long guava(KeyType type, Object value) throws SQLException {
    Hasher h = Hashing.murmur3_128().newHasher();
    putAsGuava(h, type, value);
    return h.hash().asLong();
  }

  /** The canonical bytes exactly as the Guava-based implementation fed them to its hasher. */
  private static void putAsGuava(Hasher h, KeyType type, Object value) throws SQLException {
    Object c = KeyHasher.canonical(type, value);
    if (c instanceof Long l) {
      h.putByte((byte) 'I').putLong(l);
    } else if (c instanceof BigDecimal d) {
      h.putByte((byte) 'D').putString(d.toPlainString(), StandardCharsets.UTF_8);
    } else if (c instanceof KeyHasher.ByteKey b) {
      h.putByte((byte) 'B').putInt(b.bytes().length).putBytes(b.bytes());
    } else if (c instanceof KeyHasher.TemporalKey t) {
      byte[] bytes = t.iso().getBytes(StandardCharsets.UTF_8);
      h.putByte((byte) 'T').putInt(bytes.length).putBytes(bytes);
    } else {
      byte[] bytes = ((String) c).getBytes(StandardCharsets.UTF_8);
      h.putByte((byte) 'S').putInt(bytes.length).putBytes(bytes);
    }
  }
}
