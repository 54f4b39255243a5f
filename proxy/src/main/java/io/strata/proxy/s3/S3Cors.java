package io.strata.proxy.s3;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.strata.proxy.config.S3CorsConfig;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * S3 CORS for browser clients: answers preflights ({@code OPTIONS}, which browsers send without
 * credentials, so before authentication) and adds the CORS headers to answers for an allowed
 * {@code Origin}, errors included, so a browser can read an S3 error too.
 */
@Singleton
final class S3Cors {

  private static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "DELETE");
  /** What browser code may read of an S3 answer: what S3 clients use. */
  private static final String EXPOSED = "ETag, Content-Length, Content-Range, Content-Type, Last-Modified,"
      + " Accept-Ranges, x-amz-mp-parts-count, x-amz-request-id, x-amz-id-2, x-amz-version-id, x-strata-cache,"
      + " x-strata-offline";

  private final List<String> allowed;

  S3Cors(S3CorsConfig config) {
    this.allowed = config.allowedOrigins() == null ? List.of()
        : config.allowedOrigins().stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
  }

  /** The CORS headers for an answer to a request from {@code origin} (none if not allowed). */
  Map<String, String> headersFor(String origin) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (origin != null && isAllowed(origin)) {
      headers.put("Access-Control-Allow-Origin", allowed.contains("*") ? "*" : origin);
      headers.put("Access-Control-Expose-Headers", EXPOSED);
      headers.put("Vary", "Origin");
    }
    return headers;
  }

  /** Answers a preflight: allowed origin and method, or S3's 403 {@code AccessForbidden}. */
  void preflight(Map<String, String> headers, NettyResponse response) {
    String origin = headers.get("origin");
    String method = headers.get("access-control-request-method");
    if (origin == null || method == null) {
      throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
          "Insufficient information. Origin request header needed.");
    }
    if (!isAllowed(origin) || !METHODS.contains(method.strip().toUpperCase(Locale.ROOT))) {
      throw new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN).with("Method", method);
    }
    Map<String, String> answer = headersFor(origin);
    answer.put("Access-Control-Allow-Methods", String.join(", ", List.of("GET", "HEAD", "PUT", "POST", "DELETE")));
    String requested = headers.get("access-control-request-headers");
    if (requested != null && !requested.isBlank()) {
      answer.put("Access-Control-Allow-Headers", requested); // S3 echoes what an AllowedHeader "*" permits
    }
    answer.put("Access-Control-Max-Age", "3000");
    response.sendFull(HttpResponseStatus.OK, "application/xml", new byte[0], answer, true);
  }

  private boolean isAllowed(String origin) {
    return allowed.contains("*") || allowed.contains(origin);
  }
}
