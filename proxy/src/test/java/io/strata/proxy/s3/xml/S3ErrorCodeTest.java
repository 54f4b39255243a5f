package io.strata.proxy.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class S3ErrorCodeTest {

  @ParameterizedTest
  @EnumSource(S3ErrorCode.class)
  void fromCode_roundTrips(S3ErrorCode code) {
    assertThat(S3ErrorCode.fromCode(code.code())).contains(code);
  }

  @ParameterizedTest
  @EnumSource(S3ErrorCode.class)
  void values_haveStatusAndMessage(S3ErrorCode code) {
    assertThat(code.status()).isBetween(300, 599);
    assertThat(code.code()).matches("[A-Z][A-Za-z0-9]+");
    assertThat(code.defaultMessage()).isNotBlank();
  }

  @Test
  void fromCode_unknownOrNullIsEmpty() {
    assertThat(S3ErrorCode.fromCode("NoSuchThing")).isEmpty();
    assertThat(S3ErrorCode.fromCode("nosuchkey")).isEmpty();
    assertThat(S3ErrorCode.fromCode(null)).isEmpty();
  }

  @Test
  void codes_areUnique() {
    assertThat(Arrays.stream(S3ErrorCode.values()).map(S3ErrorCode::code)
        .collect(Collectors.toSet())).hasSize(S3ErrorCode.values().length);
  }

  @Test
  void values_matchAwsForTheOnesClientsBranchOn() {
    assertThat(S3ErrorCode.NO_SUCH_KEY.status()).isEqualTo(404);
    assertThat(S3ErrorCode.INVALID_RANGE.status()).isEqualTo(416);
    assertThat(S3ErrorCode.INVALID_RANGE.defaultMessage())
        .isEqualTo("The requested range is not satisfiable");
    assertThat(S3ErrorCode.PRECONDITION_FAILED.status()).isEqualTo(412);
    assertThat(S3ErrorCode.PRECONDITION_FAILED.defaultMessage())
        .isEqualTo("At least one of the pre-conditions you specified did not hold");
    assertThat(S3ErrorCode.NOT_MODIFIED.status()).isEqualTo(304);
    assertThat(S3ErrorCode.KEY_TOO_LONG.code()).isEqualTo("KeyTooLongError");
    assertThat(S3ErrorCode.REQUEST_TIMEOUT.status()).isEqualTo(400);
    assertThat(S3ErrorCode.MISSING_CONTENT_LENGTH.status()).isEqualTo(411);
    assertThat(S3ErrorCode.SLOW_DOWN.status()).isEqualTo(503);
    assertThat(S3ErrorCode.NOT_IMPLEMENTED.defaultMessage())
        .isEqualTo("A header you provided implies functionality that is not implemented");
  }
}
