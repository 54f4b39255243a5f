package io.strata.proxy.s3.body;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the decoding chain for a request: plain, or aws-chunked per x-amz-content-sha256 /
 * Content-Encoding.
 *
 * <p>The {@code x-amz-content-sha256} values are those of "Authenticating Requests: Using the
 * Authorization Header" (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html):
 *
 * <pre>
 *   STREAMING-AWS4-HMAC-SHA256-PAYLOAD          signed chunks, no trailer
 *   STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER  signed chunks, signed trailer
 *   STREAMING-UNSIGNED-PAYLOAD-TRAILER          unsigned chunks, trailer
 *   STREAMING-AWS4-ECDSA-P256-SHA256-* (SigV4a) 501 NotImplemented
 *   any other STREAMING-*                       400 InvalidArgument
 * </pre>
 *
 * A body with {@code Content-Encoding: aws-chunked} but a non-streaming {@code
 * x-amz-content-sha256} (some SDK versions send UNSIGNED-PAYLOAD) is decoded as unsigned chunks,
 * with trailers if {@code x-amz-trailer} is present.
 */
public final class BodyDecoder {

  private BodyDecoder() {}

  /** The verifying payload stream of a body whose chunk signatures, if any, go unchecked. */
  public static VerifyingInputStream open(InputStream raw, Map<String, String> headers) {
    return open(raw, headers, null);
  }

  /**
   * @param chunkSignatures checks the chunk signatures of a signed streaming body as it is read;
   *     null leaves them unchecked
   * @return the verifying payload stream for this request's body
   */
  public static VerifyingInputStream open(InputStream raw, Map<String, String> headers,
      ChunkSignatures chunkSignatures) {
    BodyExpectations expect = BodyExpectations.fromHeaders(headers);
    String contentSha256 = headers.get("x-amz-content-sha256");
    boolean signed;
    boolean trailer;
    if (contentSha256 != null && contentSha256.startsWith("STREAMING-")) {
      switch (contentSha256) {
        case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" -> {
          signed = true;
          trailer = false;
        }
        case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" -> {
          signed = true;
          trailer = true;
        }
        case "STREAMING-UNSIGNED-PAYLOAD-TRAILER" -> {
          signed = false;
          trailer = true;
        }
        case "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
            "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER" ->
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                "x-amz-content-sha256 " + contentSha256 + " (SigV4a) is not supported; use"
                    + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] or"
                    + " STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        // S3's answer to a value it does not know.
        default -> throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-..., or a valid sha256 value.");
      }
    } else if (hasAwsChunkedEncoding(headers)) {
      signed = false;
      trailer = headers.containsKey("x-amz-trailer");
    } else {
      return new VerifyingInputStream(raw, expect);
    }
    AwsChunkedInputStream chunked = new AwsChunkedInputStream(raw, signed, trailer, chunkSignatures);
    List<String> declared = declaredTrailers(headers);
    return new VerifyingInputStream(chunked, expect, () -> {
      Map<String, String> received = chunked.trailers();
      for (String name : declared) {
        if (!received.containsKey(name)) {
          throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
              "The x-amz-trailer header named " + name + " but the body did not carry that"
                  + " trailing header");
        }
      }
      return received;
    });
  }

  /** Whether the body is aws-chunked framed. */
  static boolean isAwsChunked(Map<String, String> headers) {
    String contentSha256 = headers.get("x-amz-content-sha256");
    return (contentSha256 != null && contentSha256.startsWith("STREAMING-"))
        || hasAwsChunkedEncoding(headers);
  }

  private static boolean hasAwsChunkedEncoding(Map<String, String> headers) {
    String encoding = headers.get("content-encoding");
    if (encoding == null) {
      return false;
    }
    for (String coding : encoding.split(",")) {
      if (coding.strip().equalsIgnoreCase("aws-chunked")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> declaredTrailers(Map<String, String> headers) {
    String trailer = headers.get("x-amz-trailer");
    List<String> names = new ArrayList<>();
    if (trailer != null) {
      for (String name : trailer.split(",")) {
        if (!name.isBlank()) {
          names.add(name.strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }
}
