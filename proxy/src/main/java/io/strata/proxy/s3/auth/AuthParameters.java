package io.strata.proxy.s3.auth;

import io.strata.proxy.s3.auth.CanonicalRequest.Param;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * The SigV4 parameters of one request, from the {@code Authorization} header ("Authenticating
 * Requests: Using the Authorization Header (AWS Signature Version 4)") or from the query string
 * ("Authenticating Requests: Using Query Parameters (AWS Signature Version 4)"), checked for
 * shape only; {@link SigV4Verifier} checks time, key and signature.
 *
 * @param accessKeyId from the credential
 * @param scopeDate the credential's {@code yyyyMMdd}
 * @param region the credential's region
 * @param service the credential's service
 * @param signedHeaders lower-case names in the order given
 * @param signature the signature provided
 * @param presigned whether these came from the query string
 * @param amzDate {@code X-Amz-Date} for presigned URLs, otherwise {@code null} (header auth reads
 *     the request's {@code x-amz-date} or {@code Date})
 * @param expiresSeconds {@code X-Amz-Expires} for presigned URLs, otherwise -1
 */
record AuthParameters(String accessKeyId, String scopeDate, String region, String service,
    List<String> signedHeaders, String signature, boolean presigned, String amzDate,
    long expiresSeconds) {

  /** The only algorithm accepted; SigV4a ({@code AWS4-ECDSA-P256-SHA256}) is not supported. */
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  /** Presigned URLs live at most seven days ("X-Amz-Expires", S3 query-auth docs). */
  static final long MAX_EXPIRES_SECONDS = 604_800;

  private static final DateTimeFormatter SCOPE_DATE = DateTimeFormatter.BASIC_ISO_DATE;

  /** Parses {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}. */
  static AuthParameters fromHeader(String authorization) {
    // SigV4Verifier checks the algorithm first; without this a shorter header was an
    // IndexOutOfBounds here (found by AuthParametersFuzzTest).
    if (!authorization.startsWith(ALGORITHM)) {
      throw malformed("the algorithm must be " + ALGORITHM);
    }
    String rest = authorization.substring(ALGORITHM.length());
    if (rest.isEmpty() || rest.charAt(0) != ' ') {
      throw malformed("the algorithm must be followed by a space");
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : rest.split(",")) {
      String p = part.strip();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw malformed("expected Credential=, SignedHeaders= and Signature=, got '" + p + "'");
      }
      String name = p.substring(0, eq);
      String value = p.substring(eq + 1);
      switch (name) {
        case "Credential" -> credential = once(credential, name, value);
        case "SignedHeaders" -> signedHeaders = once(signedHeaders, name, value);
        case "Signature" -> signature = once(signature, name, value);
        default -> throw malformed("unexpected component '" + name + "'");
      }
    }
    if (credential == null || signedHeaders == null || signature == null) {
      throw malformed("Credential, SignedHeaders and Signature are all required");
    }
    return of(credential, signedHeaders, signature, false, null, -1);
  }

  /** Parses the {@code X-Amz-*} parameters of a presigned URL. */
  static AuthParameters fromQuery(List<Param> query) {
    String algorithm = CanonicalRequest.first(query, "X-Amz-Algorithm");
    String credential = CanonicalRequest.first(query, "X-Amz-Credential");
    String date = CanonicalRequest.first(query, "X-Amz-Date");
    String expires = CanonicalRequest.first(query, "X-Amz-Expires");
    String signedHeaders = CanonicalRequest.first(query, "X-Amz-SignedHeaders");
    String signature = CanonicalRequest.first(query, "X-Amz-Signature");
    if (algorithm == null || credential == null || date == null || expires == null
        || signedHeaders == null || signature == null) {
      // Wording of S3's AuthorizationQueryParametersError.
      throw queryError("Query-string authentication version 4 requires the X-Amz-Algorithm,"
          + " X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and"
          + " X-Amz-Expires parameters.");
    }
    if (!algorithm.equals(ALGORITHM)) {
      throw queryError("X-Amz-Algorithm only supports \"" + ALGORITHM + "\"");
    }
    long seconds;
    try {
      seconds = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw queryError("X-Amz-Expires should be a number");
    }
    if (seconds < 0) {
      throw queryError("X-Amz-Expires must be non-negative");
    }
    if (seconds > MAX_EXPIRES_SECONDS) {
      throw queryError("X-Amz-Expires must be less than a week (in seconds) that is, the given"
          + " X-Amz-Expires must be less than 604800 seconds");
    }
    return of(credential, signedHeaders, signature, true, date, seconds);
  }

  private static AuthParameters of(String credential, String signedHeaders, String signature,
      boolean presigned, String amzDate, long expires) {
    // Credential = <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request
    String[] scope = credential.split("/", -1);
    if (scope.length != 5 || Arrays.stream(scope).anyMatch(String::isEmpty)) {
      throw malformed(presigned, "the Credential '" + credential + "' should be"
          + " <access key>/<yyyyMMdd>/<region>/s3/aws4_request");
    }
    try {
      LocalDate.parse(scope[1], SCOPE_DATE);
    } catch (DateTimeParseException e) {
      throw malformed(presigned, "invalid credential date '" + scope[1] + "' (expected: yyyyMMdd)");
    }
    if (!scope[3].equals("s3")) {
      throw malformed(presigned, "incorrect service '" + scope[3] + "'. This endpoint belongs to 's3'.");
    }
    if (!scope[4].equals("aws4_request")) {
      throw malformed(presigned, "incorrect terminal '" + scope[4] + "'. This endpoint uses 'aws4_request'.");
    }
    List<String> headers = List.of(signedHeaders.split(";", -1));
    for (String h : headers) {
      if (h.isEmpty() || !h.equals(h.toLowerCase(java.util.Locale.ROOT))) {
        throw malformed(presigned, "SignedHeaders '" + signedHeaders + "' must be lower-case names"
            + " separated by ';'");
      }
    }
    if (!headers.contains("host")) {
      // "The host header must be included as a signed header" (SigV4 docs).
      throw malformed(presigned, "SignedHeaders must include 'host'");
    }
    return new AuthParameters(scope[0], scope[1], scope[2], scope[3], headers, signature,
        presigned, amzDate, expires);
  }

  /** The credential scope: {@code yyyyMMdd/region/service/aws4_request}. */
  String scope() {
    return scopeDate + "/" + region + "/" + service + "/aws4_request";
  }

  private static String once(String previous, String name, String value) {
    if (previous != null) {
      throw malformed("'" + name + "' given twice");
    }
    return value;
  }

  /** S3's error for a malformed presigned URL (query parameters) or header. */
  static S3Exception malformed(boolean presigned, String why) {
    return presigned ? queryError(why) : malformed(why);
  }

  static S3Exception queryError(String why) {
    return new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, why);
  }

  static S3Exception malformed(String why) {
    return new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED,
        "The authorization header is malformed; " + why);
  }
}
