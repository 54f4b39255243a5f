package io.strata.proxy.s3.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.s3.body.SdkCaptures.Fixture;
import io.strata.proxy.s3.body.SdkCaptures.Scenario;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyExpectationsTest {

  @Test
  void fromHeaders_signedTrailerCapture_decodedLengthAndTrailerAlgorithm() {
    BodyExpectations expect = BodyExpectations.fromHeaders(
        Fixture.load(Scenario.SIGNED_TRAILER_CRC32C_LARGE).headers());
    assertThat(expect).isEqualTo(new BodyExpectations(140_000, null, "CRC32C", null, null));
  }

  @Test
  void fromHeaders_plainCapture_contentLengthChecksumAndSha256() {
    Map<String, String> headers = Fixture.load(Scenario.PLAIN_CRC32_HEADER).headers();
    BodyExpectations expect = BodyExpectations.fromHeaders(headers);
    assertThat(expect).isEqualTo(new BodyExpectations(27, null, "CRC32", "hCo1tQ==",
        headers.get("x-amz-content-sha256")));
  }

  @Test
  void fromHeaders_plainBodyWithDecodedLength_ignoresIt() {
    // S3 ignores x-amz-decoded-content-length on a body that is not aws-chunked.
    assertThat(BodyExpectations.fromHeaders(Map.of("content-length", "10",
        "x-amz-decoded-content-length", "99")).expectedLength()).isEqualTo(10);
  }

  @Test
  void fromHeaders_nothing_none() {
    assertThat(BodyExpectations.fromHeaders(Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD")))
        .isEqualTo(BodyExpectations.NONE);
  }

  @Test
  void fromHeaders_twoChecksumHeaders_invalidRequest() {
    assertInvalid(Map.of("x-amz-checksum-crc32", "hCo1tQ==", "x-amz-checksum-crc32c", "yWq4Tw=="),
        S3ErrorCode.INVALID_REQUEST, "Expecting a single x-amz-checksum- header.");
  }

  @Test
  void fromHeaders_checksumTypeHeader_notAnAlgorithm() {
    assertThat(BodyExpectations.fromHeaders(Map.of("x-amz-checksum-type", "FULL_OBJECT"))
        .checksumAlgorithm()).isNull();
  }

  @Test
  void fromHeaders_sdkAlgorithmDisagrees_invalidRequest() {
    assertInvalid(Map.of("x-amz-checksum-crc32", "hCo1tQ==", "x-amz-sdk-checksum-algorithm", "SHA1"),
        S3ErrorCode.INVALID_REQUEST, "Value for x-amz-sdk-checksum-algorithm header is invalid.");
    assertInvalid(Map.of("x-amz-sdk-checksum-algorithm", "MD5"),
        S3ErrorCode.INVALID_REQUEST, "Value for x-amz-sdk-checksum-algorithm header is invalid.");
  }

  @Test
  void fromHeaders_checksumValueWrongSize_invalidRequest() {
    assertInvalid(Map.of("x-amz-checksum-sha256", "hCo1tQ=="), S3ErrorCode.INVALID_REQUEST,
        "Value for x-amz-checksum-sha256 header is invalid.");
  }

  @Test
  void fromHeaders_unknownTrailerChecksum_invalidRequest() {
    assertInvalid(Map.of("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "x-amz-trailer", "x-amz-checksum-md5"), S3ErrorCode.INVALID_REQUEST, "x-amz-trailer");
  }

  @Test
  void fromHeaders_malformedContentSha256_invalidArgument() {
    assertInvalid(Map.of("x-amz-content-sha256", "abc"), S3ErrorCode.INVALID_ARGUMENT,
        "x-amz-content-sha256 must be");
  }

  @Test
  void fromHeaders_badLength_invalidArgument() {
    assertInvalid(Map.of("content-encoding", "aws-chunked", "x-amz-decoded-content-length", "-4"),
        S3ErrorCode.INVALID_ARGUMENT, "Invalid x-amz-decoded-content-length");
  }

  @Test
  void fromHeaders_awsChunkedWithHexSha256_notCheckedAgainstPayload() {
    // The hex digest would cover the framed bytes on the wire, not the decoded payload.
    assertThat(BodyExpectations.fromHeaders(Map.of("content-encoding", "gzip, aws-chunked",
        "x-amz-content-sha256", "a".repeat(64))).sha256Hex()).isNull();
  }

  private static void assertInvalid(Map<String, String> headers, S3ErrorCode code, String message) {
    assertThatThrownBy(() -> BodyExpectations.fromHeaders(headers))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.getMessage()).contains(message);
        });
  }
}
