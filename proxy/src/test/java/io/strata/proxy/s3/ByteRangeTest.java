package io.strata.proxy.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

  @Test
  void length_inclusiveBounds() {
    assertThat(new ByteRange(0, 0).length()).isEqualTo(1);
    assertThat(new ByteRange(3, 9).length()).isEqualTo(7);
  }

  @Test
  void whole_coversObject() {
    assertThat(ByteRange.whole(10)).isEqualTo(new ByteRange(0, 9));
    assertThat(ByteRange.whole(1).length()).isEqualTo(1);
  }

  @Test
  void whole_zeroSizeIsEmptyRange() {
    ByteRange empty = ByteRange.whole(0);
    assertThat(empty).isEqualTo(new ByteRange(0, -1));
    assertThat(empty.length()).isZero();
    assertThat(empty.isEmpty()).isTrue();
    assertThatThrownBy(() -> empty.contentRange(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void whole_negativeSizeRejected() {
    assertThatThrownBy(() -> ByteRange.whole(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size: -1");
  }

  @Test
  void new_invalidBoundsRejected() {
    assertThatThrownBy(() -> new ByteRange(-1, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteRange(5, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteRange(5, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contentRange_rfc9110Form() {
    assertThat(new ByteRange(0, 0).contentRange(10)).isEqualTo("bytes 0-0/10");
    assertThat(new ByteRange(7, 9).contentRange(10)).isEqualTo("bytes 7-9/10");
  }

  @Test
  void contentRange_pastSizeRejected() {
    assertThatThrownBy(() -> new ByteRange(0, 10).contentRange(10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unsatisfiedContentRange_starForm() {
    assertThat(ByteRange.unsatisfiedContentRange(10)).isEqualTo("bytes */10");
    assertThat(ByteRange.unsatisfiedContentRange(0)).isEqualTo("bytes */0");
  }
}
