package io.strata.proxy.s3;

import io.strata.proxy.s3.auth.Authentication;
import java.util.Map;

/**
 * One parsed S3 request.
 *
 * @param bucket decoded bucket name, or null for service-level requests (ListBuckets)
 * @param key decoded object key, or null for bucket-level requests
 * @param query decoded query parameters (a parameter without a value maps to "")
 * @param headers request headers with lower-case names (a repeated header's values joined with commas)
 * @param unsupportedReason for {@link S3Operation#UNSUPPORTED}, what the client asked for
 * @param authentication who sent the request, verified before it was parsed
 */
public record S3Request(
    S3Operation operation,
    String method,
    String bucket,
    String key,
    Map<String, String> query,
    Map<String, String> headers,
    String requestId,
    String unsupportedReason,
    Authentication authentication) {

  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  public String param(String name) {
    return query.get(name);
  }

  public boolean isHead() {
    return "HEAD".equals(method);
  }

  /** The resource named in error responses: {@code /bucket/key}. */
  public String resource() {
    if (bucket == null) {
      return "/";
    }
    return key == null ? "/" + bucket : "/" + bucket + "/" + key;
  }
}
