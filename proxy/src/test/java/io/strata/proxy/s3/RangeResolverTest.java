package io.strata.proxy.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.s3.RangeResolver.Partial;
import io.strata.proxy.s3.RangeResolver.Resolution;
import io.strata.proxy.s3.RangeResolver.Unsatisfiable;
import io.strata.proxy.s3.RangeResolver.Whole;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RangeResolverTest {
  private static final long MIB = 1024 * 1024;
  private static final Resolution WHOLE = new Whole();
  private static final Resolution UNSAT = new Unsatisfiable();

  private static Resolution partial(long first, long last) {
    return new Partial(new ByteRange(first, last));
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // size 0: only a non-zero suffix is satisfiable, and it is served as a 200 empty body.
        Arguments.of(null, 0L, WHOLE),
        Arguments.of("bytes=0-0", 0L, UNSAT),
        Arguments.of("bytes=0-", 0L, UNSAT),
        Arguments.of("bytes=0-999999999999999999999", 0L, UNSAT),
        Arguments.of("bytes=9-", 0L, UNSAT),
        Arguments.of("bytes=-3", 0L, WHOLE),
        Arguments.of("bytes=-0", 0L, UNSAT),
        Arguments.of("bytes=5-2", 0L, WHOLE),
        // size 1
        Arguments.of("bytes=0-0", 1L, partial(0, 0)),
        Arguments.of("bytes=0-", 1L, partial(0, 0)),
        Arguments.of("bytes=-3", 1L, partial(0, 0)),
        Arguments.of("bytes=-1", 1L, partial(0, 0)),
        Arguments.of("bytes=1-", 1L, UNSAT),
        Arguments.of("bytes=9-", 1L, UNSAT),
        Arguments.of("bytes=-0", 1L, UNSAT),
        Arguments.of("bytes=0-999999999999999999999", 1L, partial(0, 0)),
        // size 10
        Arguments.of("bytes=0-0", 10L, partial(0, 0)),
        Arguments.of("bytes=0-9", 10L, partial(0, 9)),
        Arguments.of("bytes=0-", 10L, partial(0, 9)),
        Arguments.of("bytes=2-5", 10L, partial(2, 5)),
        Arguments.of("bytes=5-5", 10L, partial(5, 5)),
        Arguments.of("bytes=5-100", 10L, partial(5, 9)),
        Arguments.of("bytes=-3", 10L, partial(7, 9)),
        Arguments.of("bytes=-10", 10L, partial(0, 9)),
        Arguments.of("bytes=-11", 10L, partial(0, 9)),
        Arguments.of("bytes=9-", 10L, partial(9, 9)),
        Arguments.of("bytes=10-", 10L, UNSAT),
        Arguments.of("bytes=10-20", 10L, UNSAT),
        Arguments.of("bytes=0-999999999999999999999", 10L, partial(0, 9)),
        Arguments.of("bytes=999999999999999999999-", 10L, UNSAT),
        Arguments.of("bytes=-999999999999999999999", 10L, partial(0, 9)),
        Arguments.of("bytes=9223372036854775807-", 10L, UNSAT),
        Arguments.of("bytes=0-9223372036854775807", 10L, partial(0, 9)),
        Arguments.of("bytes=-0", 10L, UNSAT),
        Arguments.of("bytes=-00", 10L, UNSAT),
        Arguments.of("bytes=003-004", 10L, partial(3, 4)),
        Arguments.of("BYTES=2-5", 10L, partial(2, 5)),
        Arguments.of(" bytes=2-5 ", 10L, partial(2, 5)),
        // size 1 MiB
        Arguments.of("bytes=0-0", MIB, partial(0, 0)),
        Arguments.of("bytes=-3", MIB, partial(MIB - 3, MIB - 1)),
        Arguments.of("bytes=9-", MIB, partial(9, MIB - 1)),
        Arguments.of("bytes=10-", MIB, partial(10, MIB - 1)),
        Arguments.of("bytes=0-999999999999999999999", MIB, partial(0, MIB - 1)),
        Arguments.of("bytes=-0", MIB, UNSAT),
        Arguments.of("bytes=1048575-", MIB, partial(MIB - 1, MIB - 1)),
        Arguments.of("bytes=1048576-", MIB, UNSAT),
        Arguments.of("bytes=524288-1048575", MIB, partial(MIB / 2, MIB - 1)));
  }

  @ParameterizedTest(name = "[{index}] {0} on {1} bytes")
  @MethodSource("table")
  void resolve_table(String header, long size, Resolution expected) {
    assertThat(RangeResolver.resolve(header, size)).isEqualTo(expected);
  }

  static Stream<String> ignoredHeaders() {
    return Stream.of(
        "", " ", "garbage", "bytes", "bytes=", "bytes=-", "bytes=5-2", "bytes=9-0",
        "bytes=a-b", "bytes=1-b", "bytes=a-", "bytes=-a", "bytes=--5", "bytes=1--5",
        "bytes=1-2-3", "bytes=+1-2", "bytes=1-+2", "bytes=0x1-2", "bytes=1.0-2",
        "bytes=0-1,4-5", "bytes=0-1, 4-5", "bytes=-1,0-0", "bytes=0-1,", ",bytes=0-1",
        "bytes= 0-1", "bytes=0 -1", "bytes=0- 1", "bytes =0-1", "items=0-1", "byte=0-1",
        "bytesx=0-1", "=0-1", "bytes=٣-٥" /* Arabic-Indic digits are not DIGIT */,
        "bytes=99999999999999999999-5");
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("ignoredHeaders")
  void resolve_invalidHeaderIgnored(String header) {
    for (long size : new long[] {0, 1, 10, MIB}) {
      assertThat(RangeResolver.resolve(header, size)).as("size %d", size).isEqualTo(WHOLE);
    }
  }

  @Test
  void resolve_negativeSizeRejected() {
    assertThatThrownBy(() -> RangeResolver.resolve("bytes=0-1", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resolve_partialAlwaysInsideObject_randomHeaders() {
    Random random = new Random(42);
    String alphabet = "0123456789-=,bytes ";
    for (int i = 0; i < 20_000; i++) {
      long size = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(50);
      StringBuilder header = new StringBuilder(random.nextBoolean() ? "bytes=" : "");
      int len = random.nextInt(8);
      for (int j = 0; j < len; j++) {
        header.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      Resolution r = RangeResolver.resolve(header.toString(), size);
      if (r instanceof Partial p) {
        assertThat(p.range().first()).as(header.toString()).isBetween(0L, size - 1);
        assertThat(p.range().last()).as(header.toString()).isBetween(p.range().first(), size - 1);
        assertThat(p.range().contentRange(size)).startsWith("bytes ");
      }
    }
  }

  @Test
  void resolve_partialContentRangeMatchesRange() {
    Partial p = (Partial) RangeResolver.resolve("bytes=-3", 10);
    assertThat(p.range().contentRange(10)).isEqualTo("bytes 7-9/10");
    assertThat(p.range().length()).isEqualTo(3);
  }
}
