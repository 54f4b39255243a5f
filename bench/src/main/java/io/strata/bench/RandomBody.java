package io.strata.bench;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * {@code length} pseudo-random bytes from a seed, produced as they are read: objects of hundreds
 * of MiB are uploaded without being held in memory, and the same seed gives the same bytes.
 */
final class RandomBody extends InputStream {

  private final SplittableRandom random;
  private long left;

  RandomBody(long seed, long length) {
    this.random = new SplittableRandom(seed);
    this.left = length;
  }

  @Override
  public int read() {
    if (left <= 0) {
      return -1;
    }
    left--;
    return random.nextInt(256);
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (left <= 0) {
      return -1;
    }
    int n = (int) Math.min(length, left);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long v = random.nextLong();
      for (int b = 0; b < 8; b++) {
        buffer[offset + i + b] = (byte) (v >>> (8 * b));
      }
    }
    for (; i < n; i++) {
      buffer[offset + i] = (byte) random.nextInt(256);
    }
    left -= n;
    return n;
  }
}
