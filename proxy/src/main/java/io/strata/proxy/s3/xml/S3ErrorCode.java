package io.strata.proxy.s3.xml;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The S3 errors Strata can answer with: HTTP status, the S3 {@code <Code>} string and the default
 * {@code <Message>}.
 *
 * <p>Codes and messages follow the "Error responses" page of the Amazon S3 API reference
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). Where the page's wording
 * and what S3 actually puts on the wire differ, the wire wins, because clients and tests compare
 * against real responses (e.g. {@code PreconditionFailed} says "pre-conditions").
 */
public enum S3ErrorCode {
  /** Generic authorization failure. */
  ACCESS_DENIED(403, "AccessDenied", "Access Denied"),
  /** A CORS preflight or request from an origin (or with a method) that is not allowed. */
  ACCESS_FORBIDDEN(403, "AccessForbidden", "CORSResponse: This CORS request is not allowed."),
  /** SigV4 {@code Authorization} header has the wrong shape, region or service. */
  AUTHORIZATION_HEADER_MALFORMED(400, "AuthorizationHeaderMalformed",
      "The authorization header you provided is invalid."),
  /** {@code Content-MD5} did not match the body received. */
  /** A presigned URL's {@code X-Amz-*} parameters have the wrong shape, region or lifetime. */
  AUTHORIZATION_QUERY_PARAMETERS_ERROR(400, "AuthorizationQueryParametersError",
      "Error parsing the X-Amz-Credential parameter."),
  BAD_DIGEST(400, "BadDigest", "The Content-MD5 you specified did not match what we received."),
  /** CreateBucket on a bucket the caller already owns. */
  BUCKET_ALREADY_OWNED_BY_YOU(409, "BucketAlreadyOwnedByYou",
      "Your previous request to create the named bucket succeeded and you already own it."),
  /** DeleteBucket on a bucket that still holds objects. */
  BUCKET_NOT_EMPTY(409, "BucketNotEmpty", "The bucket you tried to delete is not empty."),
  /** Body larger than the maximum object (or part) size. */
  ENTITY_TOO_LARGE(400, "EntityTooLarge",
      "Your proposed upload exceeds the maximum allowed object size."),
  /** Multipart part smaller than the 5 MiB minimum. */
  ENTITY_TOO_SMALL(400, "EntityTooSmall",
      "Your proposed upload is smaller than the minimum allowed object size."),
  /** Temporary credentials have expired. */
  EXPIRED_TOKEN(400, "ExpiredToken", "The provided token has expired."),
  /** Fewer body bytes arrived than {@code Content-Length} promised. */
  INCOMPLETE_BODY(400, "IncompleteBody",
      "You did not provide the number of bytes specified by the Content-Length HTTP header."),
  /** Unexpected server-side failure; clients retry it. */
  INTERNAL_ERROR(500, "InternalError", "We encountered an internal error. Please try again."),
  /** The access key in the signature is not known. */
  INVALID_ACCESS_KEY_ID(403, "InvalidAccessKeyId",
      "The AWS Access Key Id you provided does not exist in our records."),
  /** A query parameter or header has an invalid value. */
  INVALID_ARGUMENT(400, "InvalidArgument", "Invalid Argument"),
  /** Bucket name breaks the naming rules. */
  INVALID_BUCKET_NAME(400, "InvalidBucketName", "The specified bucket is not valid."),
  /** {@code Content-MD5} is not valid base64 of 16 bytes. */
  INVALID_DIGEST(400, "InvalidDigest", "The Content-MD5 you specified is not valid."),
  /** CompleteMultipartUpload names a part that was not uploaded or whose ETag differs. */
  INVALID_PART(400, "InvalidPart",
      "One or more of the specified parts could not be found.  The part may not have been"
          + " uploaded, or the specified entity tag may not match the part's entity tag."),
  /** GET or HEAD {@code ?partNumber=} past the object's last part. */
  INVALID_PART_NUMBER(416, "InvalidPartNumber", "The requested partnumber is not satisfiable"),
  /** CompleteMultipartUpload parts are not in ascending order. */
  INVALID_PART_ORDER(400, "InvalidPartOrder",
      "The list of parts was not in ascending order. The parts list must be specified in order"
          + " by part number."),
  /** Range header whose first byte is at or past the end (RFC 9110 §15.5.17). */
  INVALID_RANGE(416, "InvalidRange", "The requested range is not satisfiable"),
  /** Request is well formed but not acceptable in this form. */
  INVALID_REQUEST(400, "InvalidRequest", "Invalid Request"),
  /** Object key longer than 1024 bytes of UTF-8. */
  KEY_TOO_LONG(400, "KeyTooLongError", "Your key is too long"),
  /** Request body XML is not well formed or not valid against the schema. */
  MALFORMED_XML(400, "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published"
          + " schema"),
  /** HTTP method not allowed on this resource. */
  METHOD_NOT_ALLOWED(405, "MethodNotAllowed",
      "The specified method is not allowed against this resource."),
  /** PUT without {@code Content-Length} (and not aws-chunked). */
  MISSING_CONTENT_LENGTH(411, "MissingContentLength",
      "You must provide the Content-Length HTTP header."),
  /** Bucket does not exist. */
  NO_SUCH_BUCKET(404, "NoSuchBucket", "The specified bucket does not exist"),
  /** Object does not exist. */
  NO_SUCH_KEY(404, "NoSuchKey", "The specified key does not exist."),
  /** Multipart upload id is unknown, aborted or completed. */
  NO_SUCH_UPLOAD(404, "NoSuchUpload",
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have"
          + " been aborted or completed."),
  /** Operation or header Strata (or S3) does not implement. */
  NOT_IMPLEMENTED(501, "NotImplemented",
      "A header you provided implies functionality that is not implemented"),
  /** Conditional GET/HEAD whose validators still match; sent with no body. */
  NOT_MODIFIED(304, "NotModified", "Not Modified"),
  /** If-Match / If-Unmodified-Since failed (RFC 9110 §13.2.2). */
  PRECONDITION_FAILED(412, "PreconditionFailed",
      "At least one of the pre-conditions you specified did not hold"),
  /** Request headers above Strata's limit (S3's own limit is 8 KiB; it answers 400 too). */
  REQUEST_HEADER_SECTION_TOO_LARGE(400, "RequestHeaderSectionTooLarge",
      "Your request header section exceeds the maximum allowed size."),
  /** The client stopped sending the body; S3 answers 400, not 408. */
  REQUEST_TIMEOUT(400, "RequestTimeout",
      "Your socket connection to the server was not read from or written to within the timeout"
          + " period."),
  /** {@code x-amz-date} too far (15 min) from the server clock. */
  REQUEST_TIME_TOO_SKEWED(403, "RequestTimeTooSkewed",
      "The difference between the request time and the current time is too large."),
  /** Request line above Strata's limit; not an S3 code (S3 has none), named after RFC 9110 §15.5.15. */
  REQUEST_URI_TOO_LONG(414, "RequestURITooLong", "The request line is too long."),
  /** Back-pressure; SDKs retry with backoff. Also used when upstream is unreachable. */
  SERVICE_UNAVAILABLE(503, "ServiceUnavailable", "Reduce your request rate."),
  /** The signature does not verify. */
  SIGNATURE_DOES_NOT_MATCH(403, "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check"
          + " your key and signing method."),
  /** Request-rate back-pressure; SDKs retry with backoff. */
  SLOW_DOWN(503, "SlowDown", "Please reduce your request rate."),
  /** {@code x-amz-content-sha256} does not match the body received. */
  X_AMZ_CONTENT_SHA256_MISMATCH(400, "XAmzContentSHA256Mismatch",
      "The provided 'x-amz-content-sha256' header does not match what was computed.");

  private static final Map<String, S3ErrorCode> BY_CODE =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(S3ErrorCode::code,
          Function.identity()));

  private final int status;
  private final String code;
  private final String defaultMessage;

  S3ErrorCode(int status, String code, String defaultMessage) {
    this.status = status;
    this.code = code;
    this.defaultMessage = defaultMessage;
  }

  /** The HTTP status code sent with this error. */
  public int status() {
    return status;
  }

  /** The S3 {@code <Code>} string, e.g. {@code NoSuchKey}. */
  public String code() {
    return code;
  }

  /** The {@code <Message>} used when the thrower gives none. */
  public String defaultMessage() {
    return defaultMessage;
  }

  /** Maps an S3 error code string (e.g. from the upstream) back to the enum, if known. */
  public static Optional<S3ErrorCode> fromCode(String code) {
    // Exact match: S3 codes are case-sensitive identifiers, and SDKs compare them exactly.
    return code == null ? Optional.empty() : Optional.ofNullable(BY_CODE.get(code));
  }
}
