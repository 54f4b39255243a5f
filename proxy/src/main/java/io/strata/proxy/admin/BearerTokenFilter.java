package io.strata.proxy.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Set;

/**
 * With {@code strata.admin.token} set, every admin request needs {@code Authorization: Bearer
 * <token>}, except the health probes that Kubernetes and load balancers send without credentials.
 * Runs after {@link SameOriginFilter}, so a cross-site request learns nothing about the token.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Order(SameOriginFilter.ORDER + 1)
final class BearerTokenFilter {

  /**
   * Exact paths, not a prefix: a prefix such as {@code /health/} would also let through a path that
   * the router normalises elsewhere ({@code /health/../api/uploads}).
   */
  private static final Set<String> PROBES =
      Set.of("/health", "/health/liveness", "/health/readiness", "/health/ready");

  private final AdminAccess access;

  BearerTokenFilter(AdminAccess access) {
    this.access = access;
  }

  @RequestFilter
  @Nullable
  HttpResponse<?> requireToken(HttpRequest<?> request) {
    if (!access.tokenRequired() || isProbe(request)) {
      return null;
    }
    String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    if (access.accepts(authorization)) {
      return null;
    }
    // RFC 6750 §3: the challenge, with invalid_token when a token was sent but is wrong
    String challenge = authorization == null ? "Bearer realm=\"strata-admin\""
        : "Bearer realm=\"strata-admin\", error=\"invalid_token\"";
    String message = authorization == null
        ? "this admin server requires Authorization: Bearer <strata.admin.token>"
        : "the bearer token is not this admin server's strata.admin.token";
    return HttpResponse.unauthorized()
        .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
        .body(new Problem(message));
  }

  private static boolean isProbe(HttpRequest<?> request) {
    HttpMethod method = request.getMethod();
    return (method == HttpMethod.GET || method == HttpMethod.HEAD) && PROBES.contains(request.getPath());
  }
}
