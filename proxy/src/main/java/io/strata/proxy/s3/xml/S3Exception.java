package io.strata.proxy.s3.xml;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one exception a request handler throws to answer with an S3 error. {@link S3Xml#error}
 * renders it; the server adds {@link #headers()} and the request id.
 */
public final class S3Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Detail elements are written verbatim as XML element names, so keep them to plain names. */
  private static final Pattern ELEMENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

  private final S3ErrorCode code;
  // Insertion order is the order S3 writes them, e.g. <BucketName> then <Key>.
  private final LinkedHashMap<String, String> details = new LinkedHashMap<>();
  private final LinkedHashMap<String, String> headers = new LinkedHashMap<>();

  public S3Exception(S3ErrorCode code) {
    this(code, requireNonNull(code, "code").defaultMessage());
  }

  public S3Exception(S3ErrorCode code, String message) {
    super(requireNonNull(message, "message"));
    this.code = requireNonNull(code, "code");
  }

  public S3Exception(S3ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.code = requireNonNull(code, "code");
  }

  public S3ErrorCode code() {
    return code;
  }

  /**
   * Adds an element rendered inside {@code <Error>} after {@code <Message>} (e.g. "BucketName",
   * "Key", "RangeRequested"); returns this for chaining.
   */
  public S3Exception with(String element, String value) {
    requireNonNull(element, "element");
    requireNonNull(value, "value");
    if (!ELEMENT_NAME.matcher(element).matches()) {
      throw new IllegalArgumentException(
          "element: " + element + " (expected: [A-Za-z][A-Za-z0-9]*)");
    }
    if (element.equals("Code") || element.equals("Message") || element.equals("Resource")
        || element.equals("RequestId")) {
      throw new IllegalArgumentException(
          "element: " + element + " (expected: not a fixed element)");
    }
    details.put(element, value);
    return this;
  }

  /** Extra elements in insertion order. */
  public Map<String, String> details() {
    return Collections.unmodifiableMap(details);
  }

  /** Adds a response header sent with the error (e.g. Content-Range for 416); returns this. */
  public S3Exception withHeader(String name, String value) {
    headers.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
    return this;
  }

  /** Extra response headers in insertion order. */
  public Map<String, String> headers() {
    return Collections.unmodifiableMap(headers);
  }
}
