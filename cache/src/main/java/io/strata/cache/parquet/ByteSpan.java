package io.strata.cache.parquet;

/**
 * A run of bytes in an object: {@code length} bytes from {@code offset}.
 *
 * @param offset first byte
 * @param length number of bytes, at least 1
 */
public record ByteSpan(long offset, long length) implements Comparable<ByteSpan> {

  public ByteSpan {
    if (offset < 0 || length <= 0) {
      throw new IllegalArgumentException("offset " + offset + ", length " + length);
    }
  }

  /** The last byte, inclusive (as in an HTTP {@code Range}). */
  public long last() {
    return offset + length - 1;
  }

  /** The byte after the span. */
  public long end() {
    return offset + length;
  }

  @Override
  public int compareTo(ByteSpan other) {
    int byOffset = Long.compare(offset, other.offset);
    return byOffset != 0 ? byOffset : Long.compare(length, other.length);
  }
}
