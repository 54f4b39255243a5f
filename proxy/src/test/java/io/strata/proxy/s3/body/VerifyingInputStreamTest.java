package io.strata.proxy.s3.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VerifyingInputStreamTest {

  private static final byte[] DATA = "The quick brown fox".getBytes(StandardCharsets.US_ASCII);

  @Test
  void read_noExpectations_countsAndHashes() throws Exception {
    VerifyingInputStream in = open(BodyExpectations.NONE);
    assertThat(in.readAllBytes()).isEqualTo(DATA);
    assertThat(in.count()).isEqualTo(DATA.length);
    assertThat(in.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(DATA));
    assertThat(in.md5Hex()).isEqualTo(AwsSdkCaptureTest.md5Hex(DATA));
    assertThat(in.checksumAlgorithm()).isNull();
    assertThat(in.checksumBase64()).isNull();
  }

  @Test
  void md5Hex_beforeEof_illegalState() throws Exception {
    VerifyingInputStream in = open(BodyExpectations.NONE);
    in.read(new byte[3]);
    assertThatThrownBy(in::md5Hex).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void read_contentMd5Matches_eof() throws Exception {
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(DATA));
    assertThat(open(new BodyExpectations(DATA.length, md5, null, null, null)).readAllBytes())
        .isEqualTo(DATA);
  }

  @Test
  void read_contentMd5Differs_badDigest() throws Exception {
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1]));
    VerifyingInputStream in = open(new BodyExpectations(-1, md5, null, null, null));
    assertCode(in, S3ErrorCode.BAD_DIGEST,
        "The Content-MD5 you specified did not match what we received.");
    // The verdict sticks: a second read does not recompute spent digests.
    assertCode(in, S3ErrorCode.BAD_DIGEST, null);
  }

  @Test
  void constructor_contentMd5Malformed_invalidDigest() {
    for (String bad : new String[] {"not base64!", "AAAA", Base64.getEncoder().encodeToString(new byte[17])}) {
      assertThatThrownBy(() -> new BodyExpectations(-1, bad, null, null, null))
          .isInstanceOfSatisfying(S3Exception.class,
              e -> assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_DIGEST));
    }
  }

  @Test
  void read_shorterThanExpected_incompleteBodyWithCounts() {
    VerifyingInputStream in = open(new BodyExpectations(DATA.length + 5, null, null, null, null));
    assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.code()).isEqualTo(S3ErrorCode.INCOMPLETE_BODY);
      assertThat(e.details()).containsExactly(
          Map.entry("NumberBytesExpected", String.valueOf(DATA.length + 5)),
          Map.entry("NumberBytesProvided", String.valueOf(DATA.length)));
    });
  }

  @Test
  void read_longerThanExpected_failsAtOverrun() throws Exception {
    VerifyingInputStream in = open(new BodyExpectations(4, null, null, null, null));
    assertThat(in.read(new byte[4])).isEqualTo(4);
    assertThatThrownBy(() -> in.read(new byte[4])).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.code()).isEqualTo(S3ErrorCode.INCOMPLETE_BODY);
      assertThat(e.details()).containsEntry("NumberBytesExpected", "4")
          .containsEntry("NumberBytesProvided", "8");
    });
  }

  @ParameterizedTest
  @EnumSource(PayloadChecksum.class)
  void read_checksumHeaderMatches_exposesValue(PayloadChecksum algorithm) throws Exception {
    String expected = reference(algorithm, DATA);
    VerifyingInputStream in = open(new BodyExpectations(-1, null, algorithm.name(), expected, null));
    assertThat(in.readAllBytes()).isEqualTo(DATA);
    assertThat(in.checksumAlgorithm()).isEqualTo(algorithm.name());
    assertThat(in.checksumBase64()).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(PayloadChecksum.class)
  void read_checksumHeaderDiffers_badDigestNamingAlgorithm(PayloadChecksum algorithm) throws Exception {
    String other = reference(algorithm, new byte[] {1, 2, 3});
    VerifyingInputStream in = open(new BodyExpectations(-1, null, algorithm.name(), other, null));
    assertCode(in, S3ErrorCode.BAD_DIGEST,
        "The " + algorithm.name() + " you specified did not match the calculated checksum.");
  }

  @Test
  void read_checksumFromTrailer_verified() throws Exception {
    String crc = reference(PayloadChecksum.CRC32C, DATA);
    BodyExpectations expect = new BodyExpectations(-1, null, "crc32c", null, null);

    VerifyingInputStream good = new VerifyingInputStream(new ByteArrayInputStream(DATA), expect,
        () -> Map.of("x-amz-checksum-crc32c", crc));
    assertThat(good.readAllBytes()).isEqualTo(DATA);
    assertThat(good.checksumBase64()).isEqualTo(crc);

    String wrong = reference(PayloadChecksum.CRC32C, new byte[1]);
    VerifyingInputStream bad = new VerifyingInputStream(new ByteArrayInputStream(DATA), expect,
        () -> Map.of("x-amz-checksum-crc32c", wrong));
    assertCode(bad, S3ErrorCode.BAD_DIGEST, "The CRC32C you specified did not match the calculated checksum.");

    VerifyingInputStream malformed = new VerifyingInputStream(new ByteArrayInputStream(DATA), expect,
        () -> Map.of("x-amz-checksum-crc32c", "!!"));
    assertCode(malformed, S3ErrorCode.INVALID_REQUEST,
        "Value for x-amz-checksum-crc32c trailing header is invalid.");
  }

  @Test
  void read_algorithmWithoutValue_computesOnly() throws Exception {
    VerifyingInputStream in = open(new BodyExpectations(-1, null, "SHA1", null, null));
    in.readAllBytes();
    assertThat(in.checksumBase64()).isEqualTo(reference(PayloadChecksum.SHA1, DATA));
  }

  @Test
  void read_sha256Matches_eof() throws Exception {
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(DATA));
    assertThat(open(new BodyExpectations(-1, null, null, null, hex.toUpperCase())).readAllBytes())
        .isEqualTo(DATA);
  }

  @Test
  void read_sha256Differs_contentSha256Mismatch() throws Exception {
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[0]));
    assertCode(open(new BodyExpectations(-1, null, null, null, hex)),
        S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH,
        "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  private static VerifyingInputStream open(BodyExpectations expect) {
    return new VerifyingInputStream(new ByteArrayInputStream(DATA), expect);
  }

  /** The checksum computed with the JDK (or the known-answer-tested CRC64NVME), in base64. */
  static String reference(PayloadChecksum algorithm, byte[] data) throws Exception {
    byte[] value = switch (algorithm) {
      case CRC32 -> {
        CRC32 crc = new CRC32();
        crc.update(data);
        yield ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
      }
      case CRC32C -> {
        CRC32C crc = new CRC32C();
        crc.update(data);
        yield ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
      }
      case CRC64NVME -> {
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(data, 0, data.length);
        yield ByteBuffer.allocate(8).putLong(crc.getValue()).array();
      }
      case SHA1 -> MessageDigest.getInstance("SHA-1").digest(data);
      case SHA256 -> MessageDigest.getInstance("SHA-256").digest(data);
    };
    return Base64.getEncoder().encodeToString(value);
  }

  private static void assertCode(VerifyingInputStream in, S3ErrorCode code, String message) {
    assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      if (message != null) {
        assertThat(e.getMessage()).isEqualTo(message);
      }
    });
  }
}
