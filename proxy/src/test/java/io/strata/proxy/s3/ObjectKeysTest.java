package io.strata.proxy.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "a", "a/b/c.parquet", "dir/", "a//b", "...", "a/.../b", ".hidden", "a/.b", "a/b.", "..a", "a..",
      "a/..b/c", "x%2e%2e", "with space", "plus+sign", "ключ/значение", "emoji\uD83D\uDE00", "tab-free",
      "a\\b"})
  void problem_noneForKeysS3AndMinioServe(String key) {
    assertThat(ObjectKeys.problem(key)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      ".", "..", "../etc/passwd", "../../etc/passwd", "a/../b", "a/./b", "a/..", "a/.", "./a", " .. /x",
      "a/ . /b", "..\\windows", "a\\..\\b", "/etc/passwd", "/", "a\u0000b", "\u0000", "a\u0001", "a\nb", "a\rb",
      "a\tb", "a\u001fb", "a\u007fb", "lone\uD800surrogate", "\uDC00"})
  void problem_invalidArgumentForHostileKeys(String key) {
    S3Exception problem = ObjectKeys.problem(key);
    assertThat(problem).isNotNull();
    assertThat(problem.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
    assertThat(problem.code().status()).isEqualTo(400);
    assertThat(problem.details()).containsKey("Key");
  }

  @Test
  void problem_keyTooLongAbove1024Utf8Bytes() {
    assertThat(ObjectKeys.problem("k".repeat(1024))).isNull();
    assertThat(ObjectKeys.problem("k".repeat(1025)).code()).isEqualTo(S3ErrorCode.KEY_TOO_LONG);
    // 512 two-byte characters are 1,024 bytes; one more is too long
    assertThat(ObjectKeys.problem("é".repeat(512))).isNull();
    S3Exception tooLong = ObjectKeys.problem("é".repeat(513));
    assertThat(tooLong.code()).isEqualTo(S3ErrorCode.KEY_TOO_LONG);
    assertThat(tooLong.details().get("Key")).hasSize(64 + 3).endsWith("...");
  }

  @Test
  void abbreviate_neverSplitsASurrogatePair() {
    String key = "a".repeat(63) + "\uD83D\uDE00" + "b".repeat(100);
    assertThat(ObjectKeys.abbreviate(key)).isEqualTo("a".repeat(63) + "...");
  }
}
