package io.strata.proxy.s3.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {

  @Test
  void open_plain_passesBytesThrough() throws Exception {
    VerifyingInputStream in = BodyDecoder.open(raw("5\r\nhello\r\n0\r\n\r\n"),
        Map.of("content-length", "15", "x-amz-content-sha256", "UNSIGNED-PAYLOAD"));
    assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
        .isEqualTo("5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void open_awsChunkedEncodingWithUnsignedPayload_decodesUnsignedChunks() throws Exception {
    VerifyingInputStream in = BodyDecoder.open(
        raw("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n"),
        Map.of("content-encoding", "aws-chunked", "x-amz-content-sha256", "UNSIGNED-PAYLOAD",
            "x-amz-decoded-content-length", "5", "x-amz-trailer", "x-amz-checksum-crc32"));
    assertThat(in.readAllBytes()).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
    assertThat(in.checksumBase64()).isEqualTo("NhCmhg==");
  }

  @Test
  void open_madeUpStreamingMode_invalidArgument() {
    assertThatThrownBy(() -> BodyDecoder.open(raw(""), Map.of("x-amz-content-sha256", "STREAMING-X")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void open_sigV4aStreamingMode_notImplemented() {
    assertThatThrownBy(() -> BodyDecoder.open(raw(""),
        Map.of("x-amz-content-sha256", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.code()).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
          assertThat(e.getMessage()).contains("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD");
        });
  }

  @Test
  void open_declaredTrailerMissing_invalidRequest() {
    VerifyingInputStream in = BodyDecoder.open(raw("5\r\nhello\r\n0\r\n\r\n"),
        Map.of("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "x-amz-decoded-content-length", "5", "x-amz-trailer", "x-amz-checksum-crc32"));
    assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_REQUEST);
      assertThat(e.getMessage()).contains("x-amz-checksum-crc32");
    });
  }

  @Test
  void open_trailerChecksumWrong_badDigest() {
    VerifyingInputStream in = BodyDecoder.open(
        raw("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"),
        Map.of("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "x-amz-trailer", "x-amz-checksum-crc32"));
    assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(S3Exception.class,
        e -> assertThat(e.code()).isEqualTo(S3ErrorCode.BAD_DIGEST));
  }

  private static InputStream raw(String body) {
    return new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1));
  }
}
