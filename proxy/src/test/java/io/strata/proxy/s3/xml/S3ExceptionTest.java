package io.strata.proxy.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3ExceptionTest {

  @Test
  void new_defaultMessage() {
    S3Exception e = new S3Exception(S3ErrorCode.NO_SUCH_KEY);
    assertThat(e.code()).isEqualTo(S3ErrorCode.NO_SUCH_KEY);
    assertThat(e.getMessage()).isEqualTo("The specified key does not exist.");
  }

  @Test
  void new_customMessageAndCause() {
    IllegalStateException cause = new IllegalStateException("boom");
    S3Exception e = new S3Exception(S3ErrorCode.INTERNAL_ERROR, "disk gone", cause);
    assertThat(e.getMessage()).isEqualTo("disk gone");
    assertThat(e.getCause()).isSameAs(cause);
  }

  @Test
  void with_keepsInsertionOrderAndChains() {
    S3Exception e = new S3Exception(S3ErrorCode.NO_SUCH_KEY)
        .with("Key", "a/b")
        .with("BucketName", "bkt")
        .with("Key", "a/c");
    assertThat(e.details()).containsExactly(
        org.assertj.core.api.Assertions.entry("Key", "a/c"),
        org.assertj.core.api.Assertions.entry("BucketName", "bkt"));
  }

  @Test
  void with_rejectsNonNamesAndFixedElements() {
    S3Exception e = new S3Exception(S3ErrorCode.INVALID_ARGUMENT);
    assertThatThrownBy(() -> e.with("a b", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> e.with("<x>", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> e.with("Code", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> e.with("Key", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void withHeader_collectsHeaders() {
    S3Exception e = new S3Exception(S3ErrorCode.INVALID_RANGE)
        .withHeader("Content-Range", "bytes */10")
        .withHeader("x-strata-offline", "true");
    assertThat(e.headers()).containsExactly(
        org.assertj.core.api.Assertions.entry("Content-Range", "bytes */10"),
        org.assertj.core.api.Assertions.entry("x-strata-offline", "true"));
  }

  @Test
  void details_areUnmodifiable() {
    S3Exception e = new S3Exception(S3ErrorCode.INVALID_ARGUMENT).with("ArgumentName", "x");
    assertThatThrownBy(() -> e.details().put("a", "b"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> e.headers().put("a", "b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
