package io.strata.proxy.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "abc", "logs", "my-bucket", "my.bucket.name", "a1b", "123", "0-0", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "192.168.5.4x", "1.2.3", "1.2.3.4.5", "xn-bucket", "sthree", "my-ap-abc123-s3alias", "base--usw2-az1--x-s3",
      // legacy us-east-1 names, accepted by MinIO and s3proxy alike
      "MyBucket", "my_bucket"})
  void isValid_acceptsNamesS3Allows(String name) {
    assertThat(BucketNames.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "a", "ab", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "-abc", "abc-", ".abc", "abc.", "_abc", "abc_", "a..b", "a.-b", "a-.b",
      "192.168.5.4", "1.2.3.4", "xn--abc", "XN--abc", "sthree-abc", "..", "...", "../etc", "a/b", "a\\b",
      "a b", "a\u0000b", "a%2fb", "a:b", "ümlaut", "a\tb"})
  void isValid_refusesNamesNoBucketCanHave(String name) {
    assertThat(BucketNames.isValid(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "a..b"})
  void requireValid_namesTheBucket(String name) {
    assertThatThrownBy(() -> BucketNames.requireValid(name))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_BUCKET_NAME);
          assertThat(e.code().status()).isEqualTo(400);
          assertThat(e.details()).containsEntry("BucketName", name);
        });
  }
}
