package io.strata.proxy.s3.body;

import static java.util.Objects.requireNonNull;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Wraps the payload stream: counts bytes, computes MD5 always and the requested x-amz-checksum
 * algorithm, and SHA-256 when asked; verifies at EOF.
 *
 * <p>The read that reaches EOF does the checks, in this order, and throws instead of returning -1
 * if one fails; a caller that saw -1 holds a verified body:
 *
 * <ol>
 *   <li>Length: fewer or more bytes than promised is {@code IncompleteBody} with {@code
 *       NumberBytesExpected}/{@code NumberBytesProvided}, which is what S3 answers both ways for
 *       {@code x-amz-decoded-content-length} (versity/versitygw#1684 shows S3's response for a
 *       longer body). A body longer than promised fails as soon as it overruns, so a hostile
 *       client cannot make us stage more than it declared; then NumberBytesProvided counts the
 *       bytes read so far.
 *   <li>{@code Content-MD5}: mismatch is {@code BadDigest}.
 *   <li>{@code x-amz-checksum-*} from the header, else from the trailers: mismatch is {@code
 *       BadDigest} "The CRC32C you specified did not match the calculated checksum."
 *   <li>{@code x-amz-content-sha256}: mismatch is {@code XAmzContentSHA256Mismatch}.
 * </ol>
 *
 * <p>Trailers: a checksum sent as an aws-chunked trailer is known only after the payload's last
 * byte. The three-argument constructor takes a supplier that is asked once, at EOF, for the
 * trailing headers ({@link BodyDecoder} wires it to {@link AwsChunkedInputStream#trailers()}).
 */
public final class VerifyingInputStream extends InputStream {

  private final InputStream payload;
  private final BodyExpectations expect;
  private final Supplier<Map<String, String>> trailers;
  private final PayloadChecksum algorithm;
  private final MessageDigest md5 = PayloadChecksum.digest("MD5");
  private final PayloadChecksum.Hasher checksum;
  private final MessageDigest sha256;

  private long count;
  private byte[] md5Value;
  private String checksumValue;
  private boolean verified;
  private S3Exception failure;

  public VerifyingInputStream(InputStream payload, BodyExpectations expect) {
    this(payload, expect, Map::of);
  }

  /**
   * @param trailers asked once at EOF for the trailing headers (lower-case names); a {@code
   *     x-amz-checksum-*} value there is verified when the header did not carry one
   */
  public VerifyingInputStream(
      InputStream payload, BodyExpectations expect, Supplier<Map<String, String>> trailers) {
    this.payload = requireNonNull(payload, "payload");
    this.expect = requireNonNull(expect, "expect");
    this.trailers = requireNonNull(trailers, "trailers");
    this.algorithm = expect.checksumAlgorithm() == null
        ? null
        : PayloadChecksum.valueOf(expect.checksumAlgorithm());
    this.checksum = algorithm == null ? null : algorithm.newHasher();
    this.sha256 = expect.sha256Hex() == null ? null : PayloadChecksum.digest("SHA-256");
  }

  /** Payload bytes read so far. */
  public long count() {
    return count;
  }

  /** Hex MD5 of everything read (valid after EOF). */
  public String md5Hex() {
    return HexFormat.of().formatHex(md5());
  }

  /** MD5 of everything read (valid after EOF). */
  public byte[] md5() {
    requireVerified("md5");
    return md5Value.clone();
  }

  /** e.g. "CRC32C" when a checksum was requested/sent; else null. */
  public String checksumAlgorithm() {
    return algorithm == null ? null : algorithm.name();
  }

  /** The computed checksum, base64 as S3 returns it (valid after EOF); null without algorithm. */
  public String checksumBase64() {
    if (algorithm == null) {
      return null;
    }
    requireVerified("checksumBase64");
    return checksumValue;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (failure != null) {
      throw failure; // the digests are spent; repeat the verdict
    }
    if (verified) {
      return -1;
    }
    int n = payload.read(b, off, len);
    if (n < 0) {
      try {
        verify();
      } catch (S3Exception e) {
        failure = e;
        throw e;
      }
      return -1;
    }
    count += n;
    md5.update(b, off, n);
    if (checksum != null) {
      checksum.update(b, off, n);
    }
    if (sha256 != null) {
      sha256.update(b, off, n);
    }
    if (expect.expectedLength() >= 0 && count > expect.expectedLength()) {
      failure = lengthMismatch();
      throw failure;
    }
    return n;
  }

  private void verify() {
    if (expect.expectedLength() >= 0 && count != expect.expectedLength()) {
      throw lengthMismatch();
    }
    // Asked even when no checksum is expected: BodyDecoder's supplier checks declared trailers.
    Map<String, String> trailing = trailers.get();
    byte[] md5Bytes = md5.digest();
    if (expect.contentMd5Base64() != null
        && !MessageDigest.isEqual(md5Bytes, BodyExpectations.decode(expect.contentMd5Base64(), 16))) {
      throw new S3Exception(S3ErrorCode.BAD_DIGEST);
    }
    if (checksum != null) {
      byte[] computed = checksum.finish();
      String sent = expect.checksumBase64();
      if (sent == null) {
        sent = trailing.get(algorithm.headerName());
      }
      if (sent != null) {
        byte[] sentBytes = BodyExpectations.decode(sent, algorithm.length());
        if (sentBytes == null) {
          throw BodyExpectations.invalidChecksumValue(algorithm, "trailing header");
        }
        if (!MessageDigest.isEqual(computed, sentBytes)) {
          throw new S3Exception(S3ErrorCode.BAD_DIGEST,
              "The " + algorithm.name() + " you specified did not match the calculated checksum.");
        }
      }
      checksumValue = Base64.getEncoder().encodeToString(computed);
    }
    if (sha256 != null
        && !HexFormat.of().formatHex(sha256.digest()).equals(expect.sha256Hex())) {
      throw new S3Exception(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH);
    }
    md5Value = md5Bytes;
    verified = true;
  }

  private S3Exception lengthMismatch() {
    return new S3Exception(S3ErrorCode.INCOMPLETE_BODY)
        .with("NumberBytesExpected", Long.toString(expect.expectedLength()))
        .with("NumberBytesProvided", Long.toString(count));
  }

  private void requireVerified(String what) {
    if (!verified) {
      throw new IllegalStateException(what + ": the body has not been read to a verified EOF");
    }
  }

  @Override
  public void close() throws IOException {
    payload.close();
  }
}
