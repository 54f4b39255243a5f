package io.strata.proxy.s3.auth;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What {@link SigV4Verifier} needs from a request, exactly as it arrived on the wire.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param rawPath the request path still percent-encoded as sent (S3 signs it as received)
 * @param rawQuery the query string without {@code ?}, still percent-encoded, or {@code null}
 * @param headers the request headers with lower-case names; repeated headers joined with {@code ,}
 */
public record SignedRequest(String method, String rawPath, String rawQuery,
    Map<String, String> headers) {

  public SignedRequest {
    requireNonNull(method, "method");
    requireNonNull(rawPath, "rawPath");
    headers = Map.copyOf(requireNonNull(headers, "headers"));
  }

  /** The header's value, or {@code null}; {@code name} must be lower case. */
  String header(String name) {
    return headers.get(name);
  }
}
