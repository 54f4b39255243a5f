package io.strata.proxy.s3.auth;

import static java.util.Objects.requireNonNull;

import io.strata.proxy.s3.auth.CanonicalRequest.Param;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;

/**
 * Verifies AWS Signature Version 4 on client requests, locally and without the upstream, so
 * Strata can keep authenticating while offline.
 *
 * <p>Both forms S3 accepts are handled: the {@code Authorization} header ("Authenticating
 * Requests: Using the Authorization Header (AWS Signature Version 4)") and presigned URLs
 * ("Authenticating Requests: Using Query Parameters"). The order of checks is: which mechanism
 * (anonymous, SigV2 and mixed mechanisms are refused), shape of the parameters, timestamp, key,
 * signature. Any region is accepted unless the verifier is built with an expected one, because
 * Strata answers for whatever region its clients are configured with.
 *
 * <p>The payload itself is not hashed here: the body has not arrived yet when headers are
 * verified. {@link SignatureDetail#payloadHash()} tells the body path what to check, and
 * {@link #chunkSignature} checks streaming chunks.
 */
public final class SigV4Verifier {
  /** Allowed difference between request time and server time ("RequestTimeTooSkewed"). */
  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  /** Payload hash of presigned URLs that do not send {@code x-amz-content-sha256}. */
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  /** SHA-256 of the empty string, part of every chunk's string to sign. */
  static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  /** ISO 8601 basic format of {@code x-amz-date} and the string to sign. */
  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Message for SigV2 requests; S3 itself answers them, Strata only speaks SigV4. */
  static final String SIGV2_MESSAGE =
      "Signature Version 2 is not supported; sign requests with AWS Signature Version 4";
  /** Message for requests without any authentication. */
  static final String ANONYMOUS_MESSAGE = "Anonymous access is not allowed";

  private final CredentialStore credentials;
  private final Clock clock;
  private final String expectedRegion;
  private final SigningKeys keys = new SigningKeys();

  /** A verifier that accepts any region in the credential scope. */
  public SigV4Verifier(CredentialStore credentials, Clock clock) {
    this(credentials, clock, null);
  }

  /** A verifier that also requires the credential scope's region to be {@code expectedRegion}. */
  public SigV4Verifier(CredentialStore credentials, Clock clock, String expectedRegion) {
    this.credentials = requireNonNull(credentials, "credentials");
    this.clock = requireNonNull(clock, "clock");
    this.expectedRegion = expectedRegion;
  }

  /**
   * Verifies header or presigned-URL authentication and returns what was signed.
   *
   * @throws S3Exception {@code AccessDenied}, {@code AuthorizationHeaderMalformed},
   *     {@code InvalidAccessKeyId}, {@code RequestTimeTooSkewed}, {@code SignatureDoesNotMatch},
   *     {@code InvalidArgument} or {@code InvalidRequest}, as S3 would answer
   */
  public SignatureDetail verify(SignedRequest request) {
    requireNonNull(request, "request");
    List<Param> query = CanonicalRequest.parseQuery(request.rawQuery());
    AuthParameters auth = parameters(request, query);
    Instant date = requestTime(request, auth);
    if (!auth.scopeDate().equals(AMZ_DATE.format(date).substring(0, 8))) {
      throw AuthParameters.malformed(auth.presigned(), "Invalid credential date. Date is not the"
          + " same as X-Amz-Date.");
    }
    if (expectedRegion != null && !expectedRegion.equals(auth.region())) {
      throw AuthParameters.malformed(auth.presigned(), "the region '" + auth.region()
          + "' is wrong; expecting '" + expectedRegion + "'").with("Region", expectedRegion);
    }
    checkTime(auth, date);
    String secret = credentials.secretFor(auth.accessKeyId()).orElseThrow(() ->
        new S3Exception(S3ErrorCode.INVALID_ACCESS_KEY_ID).with("AWSAccessKeyId",
            auth.accessKeyId()));
    String payloadHash = payloadHash(request, auth);

    List<Param> signedQuery = auth.presigned()
        ? query.stream().filter(p -> !p.name().equals("X-Amz-Signature")).toList()
        : query;
    String canonical = CanonicalRequest.build(request, signedQuery, auth.signedHeaders(),
        payloadHash);
    String stringToSign = AuthParameters.ALGORITHM + "\n" + AMZ_DATE.format(date) + "\n"
        + auth.scope() + "\n"
        + SigningKeys.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
    byte[] signingKey = keys.signingKey(secret, auth.scopeDate(), auth.region(), auth.service());
    String expected = SigningKeys.hmacHex(signingKey, stringToSign);
    // Constant time, so response timing does not reveal how many leading characters matched.
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        auth.signature().getBytes(StandardCharsets.UTF_8))) {
      throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH)
          .with("AWSAccessKeyId", auth.accessKeyId())
          .with("StringToSign", stringToSign)
          .with("SignatureProvided", auth.signature())
          .with("CanonicalRequest", canonical);
    }
    return new SignatureDetail(auth.accessKeyId(), date, auth.region(), auth.service(),
        auth.signature(), auth.signedHeaders(), payloadHash, signingKey, auth.scope());
  }

  /**
   * The expected signature of one chunk of a {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} upload
   * ("Signature Calculations for the Authorization Header: Transferring Payload in Multiple
   * Chunks"): the first chunk chains from {@code seed.signature()}, each next one from the
   * previous chunk's signature; the final zero-length chunk is signed the same way.
   */
  public static String chunkSignature(SignatureDetail seed, String previousSignature,
      byte[] chunkSha256) {
    requireNonNull(seed, "seed");
    requireNonNull(previousSignature, "previousSignature");
    requireNonNull(chunkSha256, "chunkSha256");
    String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + AMZ_DATE.format(seed.date()) + "\n"
        + seed.scope() + "\n" + previousSignature + "\n" + EMPTY_SHA256 + "\n"
        + HexFormat.of().formatHex(chunkSha256);
    return SigningKeys.hmacHex(seed.signingKey(), stringToSign);
  }

  /**
   * The expected {@code x-amz-trailer-signature} of a {@code
   * STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER} upload ("Signature Calculations for Trailing
   * Headers"): it chains from the final (zero-length) chunk's signature.
   *
   * @param trailersSha256 SHA-256 of the trailing headers as {@code name:value\n} lines
   */
  public static String trailerSignature(SignatureDetail seed, String finalChunkSignature,
      byte[] trailersSha256) {
    requireNonNull(seed, "seed");
    requireNonNull(finalChunkSignature, "finalChunkSignature");
    requireNonNull(trailersSha256, "trailersSha256");
    String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + AMZ_DATE.format(seed.date()) + "\n"
        + seed.scope() + "\n" + finalChunkSignature + "\n"
        + HexFormat.of().formatHex(trailersSha256);
    return SigningKeys.hmacHex(seed.signingKey(), stringToSign);
  }

  /**
   * Whether the request carries any authentication at all (an {@code Authorization} header, or
   * SigV4 or SigV2 query parameters); one without is anonymous.
   */
  public static boolean isAnonymous(SignedRequest request) {
    if (request.header("authorization") != null) {
      return false;
    }
    List<Param> query = CanonicalRequest.parseQuery(request.rawQuery());
    return CanonicalRequest.first(query, "X-Amz-Algorithm") == null
        && CanonicalRequest.first(query, "X-Amz-Signature") == null
        && CanonicalRequest.first(query, "X-Amz-Credential") == null
        && CanonicalRequest.first(query, "Signature") == null
        && CanonicalRequest.first(query, "AWSAccessKeyId") == null;
  }

  private static boolean hasBody(SignedRequest request) {
    String length = request.header("content-length");
    return request.header("transfer-encoding") != null
        || (length != null && !length.strip().equals("0"));
  }

  /** Picks the mechanism and parses its parameters, refusing what Strata does not accept. */
  private static AuthParameters parameters(SignedRequest request, List<Param> query) {
    String authorization = request.header("authorization");
    boolean queryV4 = CanonicalRequest.first(query, "X-Amz-Algorithm") != null
        || CanonicalRequest.first(query, "X-Amz-Signature") != null
        || CanonicalRequest.first(query, "X-Amz-Credential") != null;
    boolean queryV2 = CanonicalRequest.first(query, "Signature") != null
        && CanonicalRequest.first(query, "AWSAccessKeyId") != null;
    if (authorization != null && (queryV4 || queryV2)) {
      // S3's wording for the same mistake.
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Only one auth mechanism allowed; only"
          + " the X-Amz-Algorithm query parameter, Signature query string parameter or the"
          + " Authorization header should be specified").with("ArgumentName", "Authorization");
    }
    if (authorization != null) {
      if (authorization.startsWith("AWS ")) {
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, SIGV2_MESSAGE);
      }
      if (!authorization.startsWith(AuthParameters.ALGORITHM)) {
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unsupported Authorization Type")
            .with("ArgumentName", "Authorization");
      }
      return AuthParameters.fromHeader(authorization);
    }
    if (queryV4) {
      return AuthParameters.fromQuery(query);
    }
    if (queryV2) {
      throw new S3Exception(S3ErrorCode.ACCESS_DENIED, SIGV2_MESSAGE);
    }
    throw new S3Exception(S3ErrorCode.ACCESS_DENIED, ANONYMOUS_MESSAGE);
  }

  /** {@code X-Amz-Date} (presigned), else {@code x-amz-date}, else {@code Date} (RFC 1123). */
  private static Instant requestTime(SignedRequest request, AuthParameters auth) {
    if (auth.presigned()) {
      try {
        return Instant.from(AMZ_DATE.parse(auth.amzDate()));
      } catch (DateTimeParseException e) {
        throw AuthParameters.queryError("X-Amz-Date must be in the ISO8601 Long Format"
            + " \"yyyyMMdd'T'HHmmss'Z'\"");
      }
    }
    String amzDate = request.header("x-amz-date");
    String httpDate = request.header("date");
    try {
      if (amzDate != null) {
        return Instant.from(AMZ_DATE.parse(amzDate.strip()));
      }
      if (httpDate != null) {
        return ZonedDateTime.parse(httpDate.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant();
      }
    } catch (DateTimeParseException e) {
      // Falls through to S3's answer for a missing or unreadable date.
    }
    throw new S3Exception(S3ErrorCode.ACCESS_DENIED,
        "AWS authentication requires a valid Date or x-amz-date header");
  }

  private void checkTime(AuthParameters auth, Instant date) {
    Instant now = clock.instant();
    if (auth.presigned() && now.isAfter(date.plusSeconds(auth.expiresSeconds()))) {
      throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired")
          .with("XAmzExpires", Long.toString(auth.expiresSeconds()))
          .with("Expires", date.plusSeconds(auth.expiresSeconds()).toString())
          .with("ServerTime", now.toString());
    }
    // A presigned URL may be used long after signing, but not before it (minus the skew).
    boolean skewed = auth.presigned()
        ? date.isAfter(now.plus(MAX_SKEW))
        : Duration.between(date, now).abs().compareTo(MAX_SKEW) > 0;
    if (skewed) {
      throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED)
          .with("RequestTime", date.toString())
          .with("ServerTime", now.toString())
          .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
    }
  }

  private static String payloadHash(SignedRequest request, AuthParameters auth) {
    String header = request.header("x-amz-content-sha256");
    if (header != null) {
      return header.strip();
    }
    if (auth.presigned()) {
      return UNSIGNED_PAYLOAD;
    }
    if (!hasBody(request)) {
      // S3 requires the header with Authorization-header SigV4 ("Common Request Headers"), but
      // clients such as curl's --aws-sigv4 sign a bodiless request with the empty payload's hash
      // and do not send it; MinIO accepts that, and nothing unsigned can hide in an empty body.
      return EMPTY_SHA256;
    }
    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
        "Missing required header for this request: x-amz-content-sha256");
  }
}
