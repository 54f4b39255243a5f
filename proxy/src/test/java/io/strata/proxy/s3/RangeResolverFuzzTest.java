package io.strata.proxy.s3;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.proxy.s3.RangeResolver.Partial;
import io.strata.proxy.s3.RangeResolver.Resolution;
import io.strata.proxy.s3.RangeResolver.Unsatisfiable;
import io.strata.proxy.s3.RangeResolver.Whole;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes {@link RangeResolver#resolve} against a model of S3's rules written independently of it
 * (regular expression and {@link BigInteger}, so no overflow), and checks that every answer can be
 * put on the wire.
 *
 * <p>Input: the object size in decimal on the first line, the Range header value (ISO-8859-1, as
 * Netty decodes it) after it; no newline means no Range header. See
 * {@code RangeResolverFuzzTestInputs/resolve/} for examples.
 */
class RangeResolverFuzzTest {
  private static final Pattern SPEC = Pattern.compile("(?i)bytes=([0-9]*)-([0-9]*)");
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  @FuzzTest(maxDuration = "25s")
  void resolve(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    int newline = text.indexOf('\n');
    long size = size(newline < 0 ? text : text.substring(0, newline));
    String header = newline < 0 ? null : text.substring(newline + 1);

    Resolution actual = RangeResolver.resolve(header, size);

    Resolution expected = model(header, size);
    if (!actual.equals(expected)) {
      throw new AssertionError("Range '" + header + "' on " + size + " bytes: got " + actual
          + ", S3 answers " + expected);
    }
    if (actual instanceof Partial p) {
      ByteRange r = p.range();
      if (r.first() < 0 || r.first() > r.last() || r.last() >= size || r.length() <= 0) {
        throw new AssertionError("range " + r + " is not within " + size + " bytes");
      }
      String contentRange = r.contentRange(size); // must not throw for any Partial
      if (!contentRange.equals("bytes " + r.first() + "-" + r.last() + "/" + size)) {
        throw new AssertionError(contentRange);
      }
    }
  }

  /** Digits of the first line as a size, saturating; anything else in the line is ignored. */
  private static long size(String line) {
    BigInteger n = BigInteger.ZERO;
    for (char c : line.toCharArray()) {
      if (c >= '0' && c <= '9') {
        n = n.multiply(BigInteger.TEN).add(BigInteger.valueOf(c - '0')).min(LONG_MAX);
      }
    }
    return n.longValueExact();
  }

  /**
   * S3 GetObject's answer, as RangeResolver's Javadoc states it: unbounded integers, except that
   * numbers past {@link Long#MAX_VALUE} saturate there, as documented.
   */
  private static Resolution model(String header, long sizeLong) {
    if (header == null) {
      return new Whole();
    }
    Matcher m = SPEC.matcher(header.strip());
    if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
      return new Whole();
    }
    BigInteger size = BigInteger.valueOf(sizeLong);
    if (m.group(1).isEmpty()) {
      BigInteger suffix = saturated(m.group(2));
      if (suffix.signum() == 0) {
        return new Unsatisfiable();
      }
      if (size.signum() == 0) {
        return new Whole();
      }
      return partial(size.subtract(suffix.min(size)), size.subtract(BigInteger.ONE));
    }
    BigInteger first = saturated(m.group(1));
    BigInteger last = m.group(2).isEmpty() ? null : saturated(m.group(2));
    if (last != null && last.compareTo(first) < 0) {
      return new Whole();
    }
    if (first.compareTo(size) >= 0) {
      return new Unsatisfiable();
    }
    BigInteger end = size.subtract(BigInteger.ONE);
    return partial(first, last == null ? end : last.min(end));
  }

  private static BigInteger saturated(String digits) {
    return new BigInteger(digits).min(LONG_MAX);
  }

  private static Partial partial(BigInteger first, BigInteger last) {
    return new Partial(new ByteRange(first.longValueExact(), last.longValueExact()));
  }
}
