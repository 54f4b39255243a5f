package io.strata.cache.meta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyRangeTest {

  /** Code points around the interesting edges: ASCII, 2- and 3-byte UTF-8, surrogates, the top. */
  private static final int[] ALPHABET = {
    'a', 'b', '%', '_', 0x7f, 0x80, 0xff, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff
  };

  @Test
  void prefixEnd_randomStrings_boundsExactlyThePrefixedOnes() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      String prefix = randomString(random, 3);
      String key = random.nextBoolean() ? prefix + randomString(random, 3) : randomString(random, 5);
      String end = KeyRange.prefixEnd(prefix);
      boolean inRange = compareUtf8(key, prefix) >= 0 && (end == null || compareUtf8(key, end) < 0);
      assertThat(inRange).as("key %s, prefix %s, end %s", escape(key), escape(prefix), escape(end))
          .isEqualTo(key.startsWith(prefix));
    }
  }

  @Test
  void prefixEnd_edges() {
    assertThat(KeyRange.prefixEnd("")).isNull();
    assertThat(KeyRange.prefixEnd("ab")).isEqualTo("ac");
    assertThat(KeyRange.prefixEnd("a%")).isEqualTo("a&");
    assertThat(KeyRange.prefixEnd("a\uD7FF")).isEqualTo("a\uE000");
    assertThat(KeyRange.prefixEnd("a\uDBFF\uDFFF")).isEqualTo("b");
    assertThat(KeyRange.prefixEnd("\uDBFF\uDFFF")).isNull();
  }

  private static String randomString(Random random, int maxLength) {
    StringBuilder s = new StringBuilder();
    for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
      s.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return s.toString();
  }

  private static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8));
  }

  private static String escape(String s) {
    return s == null ? "null" : s.codePoints().mapToObj(Integer::toHexString).toList().toString();
  }
}
