package io.strata.proxy.s3.auth;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.time.Clock;
import java.util.Map;

/**
 * The first step of every S3 request: establish who sent it. A signed request is verified with
 * {@link SigV4Verifier} against the configured client keys, which needs nothing but the request
 * itself, so authentication works the same while the upstream is offline. An unsigned request is
 * served only when anonymous access was switched on.
 */
public final class RequestAuthenticator {

  private final SigV4Verifier verifier;
  private final boolean anonymousAllowed;

  /**
   * @param credentials the client key pairs; may be empty when only anonymous access is wanted
   * @param anonymousAllowed whether requests without any signature are served
   * @param region the region requests must be signed for, or null for any
   */
  public RequestAuthenticator(CredentialStore credentials, Clock clock, boolean anonymousAllowed,
      String region) {
    this.verifier = new SigV4Verifier(credentials, clock, region);
    this.anonymousAllowed = anonymousAllowed;
  }

  /**
   * @param uri the request target as received (path and query still percent-encoded)
   * @param headers request headers, lower-case names, repeated headers joined with {@code ,}
   * @throws S3Exception as S3 answers: {@code AccessDenied}, {@code SignatureDoesNotMatch},
   *     {@code InvalidAccessKeyId}, {@code RequestTimeTooSkewed}, ...
   */
  public Authentication authenticate(String method, String uri, Map<String, String> headers) {
    SignedRequest request = signedRequest(method, uri, headers);
    if (SigV4Verifier.isAnonymous(request)) {
      if (!anonymousAllowed) {
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, SigV4Verifier.ANONYMOUS_MESSAGE
            + "; sign requests with AWS Signature Version 4 using a key pair configured in Strata");
      }
      String contentSha256 = headers.get("x-amz-content-sha256");
      if (contentSha256 != null && contentSha256.startsWith("STREAMING-AWS4-HMAC-SHA256")) {
        // Chunk signatures chain from the request's signature; without one there is nothing to
        // check them against.
        throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
            "x-amz-content-sha256 " + contentSha256 + " requires a signed request");
      }
      return Authentication.ANONYMOUS;
    }
    return new Authentication(verifier.verify(request));
  }

  /** Splits the request target as sent; an absolute-form target keeps only its path and query. */
  static SignedRequest signedRequest(String method, String uri, Map<String, String> headers) {
    String target = uri;
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? null : target.substring(q + 1);
    return new SignedRequest(method, rawPath, rawQuery, headers);
  }
}
