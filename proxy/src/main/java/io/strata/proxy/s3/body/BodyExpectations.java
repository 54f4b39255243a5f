package io.strata.proxy.s3.body;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * What a request promises about its payload, checked by {@link VerifyingInputStream} at EOF.
 *
 * <p>The compact constructor validates the shape of every value, so a malformed header fails the
 * request before any body is read, as S3 does: a bad {@code Content-MD5} is {@code InvalidDigest}
 * (PutObject, "Errors"); a bad checksum value is {@code InvalidRequest} "Value for
 * x-amz-checksum-crc32 header is invalid."
 *
 * @param expectedLength payload bytes, or -1 if unknown
 * @param contentMd5Base64 {@code Content-MD5}, or null
 * @param checksumAlgorithm CRC32, CRC32C, CRC64NVME, SHA1 or SHA256 (normalised to upper case), or
 *     null
 * @param checksumBase64 the checksum value from the header, or null (none, or it comes in a
 *     trailer)
 * @param sha256Hex {@code x-amz-content-sha256} when it is a hex digest (lower case), else null
 */
public record BodyExpectations(
    long expectedLength,
    String contentMd5Base64,
    String checksumAlgorithm,
    String checksumBase64,
    String sha256Hex) {

  /** No promises: unknown length, no digests. */
  public static final BodyExpectations NONE = new BodyExpectations(-1, null, null, null, null);

  public BodyExpectations {
    if (expectedLength < -1) {
      throw new IllegalArgumentException("expectedLength: " + expectedLength + " (expected: >= -1)");
    }
    if (contentMd5Base64 != null && decode(contentMd5Base64, 16) == null) {
      throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
    }
    if (checksumAlgorithm != null) {
      PayloadChecksum algorithm = PayloadChecksum.named(checksumAlgorithm).orElseThrow(
          () -> new S3Exception(S3ErrorCode.INVALID_REQUEST,
              "Value for x-amz-sdk-checksum-algorithm header is invalid."));
      checksumAlgorithm = algorithm.name();
      if (checksumBase64 != null && decode(checksumBase64, algorithm.length()) == null) {
        throw invalidChecksumValue(algorithm, "header");
      }
    } else if (checksumBase64 != null) {
      throw new IllegalArgumentException("checksumBase64 without checksumAlgorithm");
    }
    if (sha256Hex != null) {
      sha256Hex = sha256Hex.toLowerCase(Locale.ROOT);
      if (!isSha256Hex(sha256Hex)) {
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-..., or a valid sha256 value.");
      }
    }
  }

  /**
   * Builds expectations from request headers (lower-case names): content-length /
   * x-amz-decoded-content-length, content-md5, x-amz-checksum-*, x-amz-sdk-checksum-algorithm,
   * x-amz-trailer, x-amz-content-sha256.
   *
   * <p>The length is {@code x-amz-decoded-content-length} for aws-chunked bodies and {@code
   * Content-Length} otherwise: S3 ignores the decoded length on plain bodies. The checksum
   * algorithm comes from an {@code x-amz-checksum-*} header (with its value), else from an {@code
   * x-amz-checksum-*} name in {@code x-amz-trailer} (value read at EOF), else from {@code
   * x-amz-sdk-checksum-algorithm} alone (computed, nothing to compare).
   */
  public static BodyExpectations fromHeaders(Map<String, String> headers) {
    String contentSha256 = headers.get("x-amz-content-sha256");
    boolean chunked = BodyDecoder.isAwsChunked(headers);
    long length = chunked
        ? parseLength(headers, "x-amz-decoded-content-length")
        : parseLength(headers, "content-length");

    PayloadChecksum algorithm = null;
    String value = null;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      PayloadChecksum named = PayloadChecksum.forHeader(header.getKey()).orElse(null);
      if (named != null) {
        algorithm = single(algorithm, named);
        value = header.getValue().strip();
      }
    }
    String trailer = headers.get("x-amz-trailer");
    if (trailer != null) {
      for (String name : trailer.split(",")) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("x-amz-checksum-")) {
          PayloadChecksum named = PayloadChecksum.forHeader(lower).orElseThrow(
              () -> new S3Exception(S3ErrorCode.INVALID_REQUEST,
                  "The value specified in the x-amz-trailer header is not supported"));
          algorithm = single(algorithm, named);
        }
      }
    }
    String sdkAlgorithm = headers.get("x-amz-sdk-checksum-algorithm");
    if (sdkAlgorithm != null) {
      PayloadChecksum named = PayloadChecksum.named(sdkAlgorithm).orElseThrow(
          () -> new S3Exception(S3ErrorCode.INVALID_REQUEST,
              "Value for x-amz-sdk-checksum-algorithm header is invalid."));
      if (algorithm != null && algorithm != named) {
        throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
            "Value for x-amz-sdk-checksum-algorithm header is invalid.");
      }
      algorithm = named;
    }
    // A hex x-amz-content-sha256 covers the bytes on the wire, which for aws-chunked include the
    // framing; only a plain body's payload can be checked against it. Malformed values are left
    // for the constructor to reject with S3's message.
    String sha256 = contentSha256 == null || chunked || contentSha256.equals("UNSIGNED-PAYLOAD")
        ? null
        : contentSha256.strip();
    return new BodyExpectations(length, headers.get("content-md5"),
        algorithm == null ? null : algorithm.name(), value, sha256);
  }

  private static PayloadChecksum single(PayloadChecksum seen, PayloadChecksum next) {
    if (seen != null && seen != next) {
      // S3's wording for two different x-amz-checksum-* headers.
      throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
          "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    }
    return next;
  }

  private static long parseLength(Map<String, String> headers, String name) {
    String value = headers.get(name);
    if (value == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(value.strip());
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid " + name + ": " + value);
  }

  static S3Exception invalidChecksumValue(PayloadChecksum algorithm, String where) {
    return new S3Exception(S3ErrorCode.INVALID_REQUEST,
        "Value for " + algorithm.headerName() + " " + where + " is invalid.");
  }

  /** Base64 of exactly {@code length} bytes, or null. */
  static byte[] decode(String base64, int length) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64.strip());
      return bytes.length == length ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isSha256Hex(String s) {
    return s.length() == 64 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
}
