package io.strata.proxy.s3;

/**
 * Resolves a {@code Range} request header against an object's size, the way S3 GetObject does.
 *
 * <p>Grammar (RFC 9110 §14.1.2): {@code bytes=first-[last]} or {@code bytes=-suffix}, digits
 * only. The unit is matched case-insensitively (§14.1: range units are case-insensitive) and the
 * field value is trimmed of surrounding whitespace (field values exclude leading and trailing OWS,
 * §5.5); no whitespace is accepted inside the spec. What does not parse is ignored and the whole
 * object is served with 200, as §14.2 allows ("a server MAY ignore the Range header field") and
 * as S3 does: it answers 200 to garbage, to other units and to {@code last < first}.
 *
 * <p>Multiple ranges: S3 "doesn't support retrieving multiple ranges of data per GET request"
 * (GetObject API reference, Range) and serves the whole object with 200 rather than a
 * multipart/byteranges 206 or an error, so any {@code ,} in the set means Whole.
 *
 * <p>Satisfiability (§14.1.1): {@code first >= size} or a zero suffix is 416 InvalidRange with
 * {@code Content-Range: bytes *}{@code /size}; a {@code last} past the end is clipped; a suffix
 * longer than the object is the whole object, still as a 206. On a zero-byte object S3 answers
 * {@code bytes=0-} and {@code bytes=0-0} with 416 InvalidRange (minio/minio#6557,
 * minio/minio#17713, both checked against AWS), while a non-zero suffix such as {@code bytes=-1}
 * succeeds with an empty body (Trino's tail read of empty files passes against S3; §14.1.1: "the
 * only satisfiable form ... is a suffix-range with a non-zero suffix-length"). A 206 cannot
 * describe zero bytes, so that case is Whole: 200 with an empty body.
 *
 * <p>Numbers too large for a long saturate at {@link Long#MAX_VALUE}: an enormous last-pos is
 * clipped like any other past the end, an enormous first-pos is unsatisfiable, an enormous suffix
 * is the whole object. Nothing here throws for any header value.
 */
public final class RangeResolver {
  private RangeResolver() {}

  /** The outcome of a Range header against an object of a size. */
  public sealed interface Resolution permits Whole, Partial, Unsatisfiable {}

  /** No Range header, or one that is ignored: 200 with the whole object. */
  public record Whole() implements Resolution {}

  /** 206 with {@code Content-Range: }{@link ByteRange#contentRange(long)}. */
  public record Partial(ByteRange range) implements Resolution {}

  /** 416 InvalidRange with {@code Content-Range: }{@link ByteRange#unsatisfiedContentRange}. */
  public record Unsatisfiable() implements Resolution {}

  private static final Whole WHOLE = new Whole();
  private static final Unsatisfiable UNSATISFIABLE = new Unsatisfiable();
  private static final String UNIT = "bytes";
  private static final long ABSENT = -1;

  public static Resolution resolve(String rangeHeader, long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
    if (rangeHeader == null) {
      return WHOLE;
    }
    String value = rangeHeader.strip();
    int eq = value.indexOf('=');
    if (eq != UNIT.length() || !value.regionMatches(/* ignoreCase= */ true, 0, UNIT, 0, eq)) {
      return WHOLE;
    }
    String set = value.substring(eq + 1);
    int dash = set.indexOf('-');
    if (dash < 0 || set.indexOf(',') >= 0) {
      return WHOLE;
    }
    long first = parseDigits(set, 0, dash);
    long last = parseDigits(set, dash + 1, set.length());
    boolean firstPresent = dash > 0;
    boolean lastPresent = dash + 1 < set.length();
    if ((firstPresent && first == ABSENT) || (lastPresent && last == ABSENT)
        || (!firstPresent && !lastPresent)) {
      return WHOLE;
    }
    if (!firstPresent) {
      return suffix(last, size);
    }
    if (lastPresent && last < first) {
      return WHOLE; // §14.1.1: invalid, so ignored
    }
    if (first >= size) {
      return UNSATISFIABLE;
    }
    long clippedLast = lastPresent ? Math.min(last, size - 1) : size - 1;
    return new Partial(new ByteRange(first, clippedLast));
  }

  private static Resolution suffix(long length, long size) {
    if (length == 0) {
      return UNSATISFIABLE;
    }
    if (size == 0) {
      return WHOLE;
    }
    return new Partial(new ByteRange(size - Math.min(length, size), size - 1));
  }

  /** Non-negative decimal of {@code s[from, to)}, saturating; {@link #ABSENT} if not all digits. */
  private static long parseDigits(String s, int from, int to) {
    if (from >= to) {
      return ABSENT;
    }
    long n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return ABSENT;
      }
      int digit = c - '0';
      n = n > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : n * 10 + digit;
    }
    return n;
  }
}
