package io.strata.proxy.s3;

/**
 * An inclusive byte range [first, last] within an object.
 *
 * <p>The one empty range is {@code [0, -1]}, which only {@link #whole(long) whole(0)} produces: a
 * zero-byte object has no byte positions, yet "all of it" is still a meaningful read. It has no
 * {@code Content-Range} form (RFC 9110 §14.4 needs first-pos &lt;= last-pos), so
 * {@link #contentRange(long)} rejects it; {@link RangeResolver} never returns it as a
 * {@code Partial}.
 */
public record ByteRange(long first, long last) {
  public ByteRange {
    if (first < 0) {
      throw new IllegalArgumentException("first: " + first + " (expected: >= 0)");
    }
    if (last < first && !(first == 0 && last == -1)) {
      throw new IllegalArgumentException(
          "last: " + last + " (expected: >= first " + first + ", or [0, -1] for empty)");
    }
  }

  /** Number of bytes in the range; 0 only for the empty range. */
  public long length() {
    return last - first + 1;
  }

  /** All of an object of {@code size} bytes; {@code [0, -1]} (length 0) when size is 0. */
  public static ByteRange whole(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
    return new ByteRange(0, size - 1);
  }

  public boolean isEmpty() {
    return length() == 0;
  }

  /** The {@code Content-Range} value of a 206, {@code bytes first-last/size} (RFC 9110 §14.4). */
  public String contentRange(long size) {
    if (isEmpty()) {
      throw new IllegalStateException("an empty range has no Content-Range");
    }
    if (last >= size) {
      throw new IllegalArgumentException("size: " + size + " (expected: > last " + last + ")");
    }
    return "bytes " + first + "-" + last + "/" + size;
  }

  /** The {@code Content-Range} value of a 416, {@code bytes *}{@code /size} (RFC 9110 §14.4). */
  public static String unsatisfiedContentRange(long size) {
    return "bytes */" + size;
  }
}
