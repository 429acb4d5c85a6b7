package org.collegedb.internal.value;

/**
 * MurmurHash3 x64 128 with seed 0, reduced to its first 64 bits ({@code h1}): the same number as Guava's
 * {@code Hashing.murmur3_128().hashBytes(bytes).asLong()}, computed without allocating. Placement depends on it, so
 * it must never change (see {@link KeyHasher}).
 */
final class Murmur3 {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Murmur3() {
  }

  /** The first 64 bits of the hash of {@code bytes[0..length)}. */
  static long hash64(byte[] bytes, int length) {
    long h1 = 0;
    long h2 = 0;
    int blocks = length & ~15;
    for (int i = 0; i < blocks; i += 16) {
      h1 ^= mixK1(littleEndian(bytes, i, 8));
      h1 = Long.rotateLeft(h1, 27);
      h1 += h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(littleEndian(bytes, i + 8, 8));
      h2 = Long.rotateLeft(h2, 31);
      h2 += h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int tail = length - blocks;
    if (tail > 0) {
      h1 ^= mixK1(littleEndian(bytes, blocks, Math.min(tail, 8)));
      if (tail > 8) {
        h2 ^= mixK2(littleEndian(bytes, blocks + 8, tail - 8));
      }
    }
    return finish(h1, h2, length);
  }

  /**
   * The first 64 bits of the hash of 9 bytes: {@code tag}, then {@code value} little-endian. The same number as
   * {@link #hash64} over those bytes, without writing them anywhere.
   */
  static long hashTagged(byte tag, long value) {
    long h1 = mixK1((tag & 0xffL) | (value << 8));
    long h2 = mixK2(value >>> 56);
    return finish(h1, h2, 9);
  }

  private static long finish(long h1, long h2, int length) {
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    return h1 + h2;
  }

  /** Up to 8 bytes from {@code offset}, little-endian. */
  private static long littleEndian(byte[] bytes, int offset, int count) {
    long k = 0;
    for (int i = count - 1; i >= 0; i--) {
      k = (k << 8) | (bytes[offset + i] & 0xffL);
    }
    return k;
  }

  private static long mixK1(long k1) {
    k1 *= C1;
    k1 = Long.rotateLeft(k1, 31);
    return k1 * C2;
  }

  private static long mixK2(long k2) {
    k2 *= C2;
    k2 = Long.rotateLeft(k2, 33);
    return k2 * C1;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
