package io.strata.proxy.s3.body;

import io.strata.proxy.testing.CaptureServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.s3.body.SdkCaptures.Fixture;
import io.strata.proxy.s3.body.SdkCaptures.Scenario;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Decodes bodies the real AWS SDK for Java v2 sent: stored fixtures (see {@link SdkCaptures#main})
 * and fresh captures, plus corrupted variants of them.
 */
class AwsSdkCaptureTest {

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void open_fixture_decodesPayloadAndVerifies(Scenario scenario) throws Exception {
    Fixture fixture = Fixture.load(scenario);

    VerifyingInputStream payload = BodyDecoder.open(new ByteArrayInputStream(fixture.body()),
        fixture.headers());

    assertThat(payload.readAllBytes()).isEqualTo(scenario.payload);
    assertThat(payload.count()).isEqualTo(scenario.payload.length);
    assertThat(payload.md5Hex()).isEqualTo(md5Hex(scenario.payload));
    String algorithm = fixture.headers().get("x-amz-sdk-checksum-algorithm");
    assertThat(payload.checksumAlgorithm()).isEqualTo(algorithm);
    if (algorithm != null) {
      assertThat(payload.checksumBase64()).isEqualTo(sentChecksum(fixture, algorithm));
    }
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void open_liveSdkRequest_decodesPayload(Scenario scenario) throws Exception {
    CaptureServer.Captured captured = SdkCaptures.capture(scenario);

    VerifyingInputStream payload = BodyDecoder.open(new ByteArrayInputStream(captured.body()),
        captured.headers());

    assertThat(payload.readAllBytes()).isEqualTo(scenario.payload);
    assertThat(payload.md5Hex()).isEqualTo(md5Hex(scenario.payload));
  }

  @Test
  void chunkSignatures_signedTrailer_collectedInOrderWithTrailer() throws IOException {
    Fixture fixture = Fixture.load(Scenario.SIGNED_TRAILER_CRC32C_LARGE);
    AwsChunkedInputStream chunked = new AwsChunkedInputStream(
        new ByteArrayInputStream(fixture.body()), /* signedChunks= */ true, /* hasTrailer= */ true);

    assertThat(chunked.readAllBytes()).isEqualTo(SdkCaptures.LARGE);
    String text = new String(fixture.body(), StandardCharsets.ISO_8859_1);
    assertThat(chunked.chunkSignatures()).hasSize(3)
        .allSatisfy(s -> assertThat(text).contains("chunk-signature=" + s));
    assertThat(chunked.trailers()).containsOnlyKeys("x-amz-checksum-crc32c");
    assertThat(chunked.trailerSignature()).hasSize(64);
    assertThat(text).contains("x-amz-trailer-signature:" + chunked.trailerSignature() + "\r\n");
  }

  @Test
  void chunkSignatures_unsignedTrailer_none() throws IOException {
    Fixture fixture = Fixture.load(Scenario.UNSIGNED_TRAILER_CRC32);
    AwsChunkedInputStream chunked = new AwsChunkedInputStream(
        new ByteArrayInputStream(fixture.body()), /* signedChunks= */ false, /* hasTrailer= */ true);

    assertThat(chunked.readAllBytes()).isEqualTo(SdkCaptures.SMALL);
    assertThat(chunked.chunkSignatures()).isEmpty();
    assertThat(chunked.trailers()).containsExactly(Map.entry("x-amz-checksum-crc32", "hCo1tQ=="));
    assertThat(chunked.trailerSignature()).isNull();
  }

  @ParameterizedTest
  @EnumSource(value = Scenario.class, names = {"SIGNED_TRAILER_CRC32", "SIGNED_TRAILER_CRC32C_LARGE",
      "SIGNED_TRAILER_UNKNOWN_LENGTH", "UNSIGNED_TRAILER_CRC32", "UNSIGNED_TRAILER_SHA256_LARGE",
      "PLAIN_CRC32_HEADER"})
  void open_payloadByteFlipped_badDigest(Scenario scenario) {
    Fixture fixture = Fixture.load(scenario);
    byte[] body = fixture.body().clone();
    int at = indexOf(body, Arrays.copyOfRange(scenario.payload, 5, 20)) + 5;
    body[at] ^= 0x01;

    assertThatThrownBy(() -> BodyDecoder.open(new ByteArrayInputStream(body), fixture.headers())
        .readAllBytes())
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.code()).isEqualTo(S3ErrorCode.BAD_DIGEST);
          assertThat(e.getMessage()).isEqualTo("The "
              + fixture.headers().get("x-amz-sdk-checksum-algorithm")
              + " you specified did not match the calculated checksum.");
        });
  }

  @Test
  void open_payloadByteFlippedWithoutChecksum_passesUntilSignaturesAreVerified() throws IOException {
    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD without a checksum is protected only by the chunk
    // signatures, which SigV4 verification checks, not this package.
    Fixture fixture = Fixture.load(Scenario.SIGNED_NO_TRAILER);
    byte[] body = fixture.body().clone();
    body[indexOf(body, Arrays.copyOfRange(SdkCaptures.LARGE, 5, 20))] ^= 0x01;

    byte[] decoded = BodyDecoder.open(new ByteArrayInputStream(body), fixture.headers())
        .readAllBytes();

    assertThat(decoded).hasSize(SdkCaptures.LARGE.length).isNotEqualTo(SdkCaptures.LARGE);
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void open_truncatedInPayload_incompleteBody(Scenario scenario) {
    Fixture fixture = Fixture.load(scenario);
    int cut = indexOf(fixture.body(), Arrays.copyOfRange(scenario.payload, 5, 20)) + 5;
    byte[] body = Arrays.copyOf(fixture.body(), cut);

    assertThatThrownBy(() -> BodyDecoder.open(new ByteArrayInputStream(body), fixture.headers())
        .readAllBytes())
        .isInstanceOfSatisfying(S3Exception.class,
            e -> assertThat(e.code()).isEqualTo(S3ErrorCode.INCOMPLETE_BODY));
  }

  @ParameterizedTest
  @EnumSource(value = Scenario.class, names = "PLAIN_CRC32_HEADER", mode = EnumSource.Mode.EXCLUDE)
  void open_truncatedAnywhereInFraming_incompleteBody(Scenario scenario) {
    Fixture fixture = Fixture.load(scenario);
    // Every cut inside the final chunk line and the trailers, where no payload byte is missing.
    int lastChunk = lastIndexOf(fixture.body(), "\r\n0".getBytes(StandardCharsets.US_ASCII)) + 2;
    int end = lastIndexOf(fixture.body(), "\r\n".getBytes(StandardCharsets.US_ASCII));
    for (int cut = lastChunk; cut < end; cut++) {
      byte[] body = Arrays.copyOf(fixture.body(), cut);
      assertThatThrownBy(() -> BodyDecoder.open(new ByteArrayInputStream(body), fixture.headers())
          .readAllBytes())
          .as("cut at %d of %d", cut, fixture.body().length)
          .isInstanceOfSatisfying(S3Exception.class,
              e -> assertThat(e.code()).isIn(S3ErrorCode.INCOMPLETE_BODY,
                  S3ErrorCode.INVALID_REQUEST));
    }
  }

  @ParameterizedTest
  @EnumSource(value = Scenario.class, names = "PLAIN_CRC32_HEADER", mode = EnumSource.Mode.EXCLUDE)
  void open_chunkHeaderDamaged_invalidRequest(Scenario scenario) {
    Fixture fixture = Fixture.load(scenario);
    byte[] body = fixture.body().clone();
    body[0] = 'g'; // not a hex digit

    assertThatThrownBy(() -> BodyDecoder.open(new ByteArrayInputStream(body), fixture.headers())
        .readAllBytes())
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_REQUEST);
          assertThat(e.code().status()).isEqualTo(400);
          assertThat(e.getMessage()).startsWith("Malformed aws-chunked body: Invalid chunk size");
        });
  }

  @ParameterizedTest
  @EnumSource(value = Scenario.class, names = "PLAIN_CRC32_HEADER", mode = EnumSource.Mode.EXCLUDE)
  void open_garbageAfterLastChunk_invalidRequest(Scenario scenario) {
    Fixture fixture = Fixture.load(scenario);
    byte[] garbage = "x-amz-extra:1\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] body = Arrays.copyOf(fixture.body(), fixture.body().length + garbage.length);
    System.arraycopy(garbage, 0, body, fixture.body().length, garbage.length);

    assertThatThrownBy(() -> BodyDecoder.open(new ByteArrayInputStream(body), fixture.headers())
        .readAllBytes())
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("after the final chunk");
        });
  }

  @Test
  void open_decodedLengthUnderstated_incompleteBodyWithCounts() {
    Fixture fixture = Fixture.load(Scenario.SIGNED_NO_TRAILER);
    Map<String, String> headers = new java.util.TreeMap<>(fixture.headers());
    headers.put("x-amz-decoded-content-length", "1000");

    assertThatThrownBy(() -> BodyDecoder.open(new ByteArrayInputStream(fixture.body()), headers)
        .readAllBytes())
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.code()).isEqualTo(S3ErrorCode.INCOMPLETE_BODY);
          assertThat(e.details()).containsEntry("NumberBytesExpected", "1000");
        });
  }

  private static String sentChecksum(Fixture fixture, String algorithm) {
    String header = "x-amz-checksum-" + algorithm.toLowerCase(java.util.Locale.ROOT);
    String value = fixture.headers().get(header);
    if (value != null) {
      return value;
    }
    String text = new String(fixture.body(), StandardCharsets.ISO_8859_1);
    int at = text.indexOf(header + ":") + header.length() + 1;
    return text.substring(at, text.indexOf("\r\n", at));
  }

  static String md5Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("needle not found");
  }

  static int lastIndexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = haystack.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("needle not found");
  }
}
