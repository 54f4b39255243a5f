package io.strata.proxy.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps web pages out of the admin API. A page the operator happens to visit can make the browser
 * send requests to {@code http://127.0.0.1:9101}; the admin port is then only as safe as what the
 * browser attaches. Two checks:
 *
 * <ul>
 *   <li><b>Cross-site writes</b> (POST, PUT, PATCH, DELETE) are refused when their {@code Origin}
 *       is not this server's own origin as the browser addressed it (scheme and {@code Host}), or,
 *       without {@code Origin}, when {@code Sec-Fetch-Site} says another site sent them. A form
 *       post needs no CORS preflight, so CORS alone would not stop it. Requests without either
 *       header (curl, scripts) pass: they do not come from a page.
 *   <li><b>DNS rebinding</b>: a page can re-point its own host name at 127.0.0.1 and so be "same
 *       origin" with the admin port. On a loopback bind without a token, requests must therefore
 *       name a loopback host ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}). With a token
 *       this is unnecessary (the page does not have it), and a reverse proxy may use its own name.
 * </ul>
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Order(SameOriginFilter.ORDER)
final class SameOriginFilter {

  /** Before {@link BearerTokenFilter}. */
  static final int ORDER = 0;

  private static final Set<HttpMethod> STATE_CHANGING =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final AdminAccess access;

  SameOriginFilter(AdminAccess access) {
    this.access = access;
  }

  @RequestFilter
  @Nullable
  HttpResponse<?> refuseOtherSites(HttpRequest<?> request) {
    String host = request.getHeaders().get(HttpHeaders.HOST);
    if (access.loopbackBind() && !access.tokenRequired() && host != null && !namesLoopback(host)) {
      return forbidden("Host '" + host + "' is not a loopback name; this admin server answers only requests to"
          + " localhost or 127.0.0.1 unless strata.admin.token is set");
    }
    if (!STATE_CHANGING.contains(request.getMethod())) {
      return null;
    }
    String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
    if (origin != null) {
      String own = (request.isSecure() ? "https" : "http") + "://" + host;
      return sameOrigin(origin, own) ? null
          : forbidden("cross-site request refused: Origin " + origin + " is not this admin server (" + own + ")");
    }
    // Fetch Metadata (https://www.w3.org/TR/fetch-metadata/): "same-site" is refused too, because
    // every port on 127.0.0.1 is the same site, including another local web application's.
    String site = request.getHeaders().get("Sec-Fetch-Site");
    if ("cross-site".equalsIgnoreCase(site) || "same-site".equalsIgnoreCase(site)) {
      return forbidden("cross-site request refused: Sec-Fetch-Site: " + site);
    }
    return null;
  }

  /** RFC 6454 §5: same scheme, host and port, with the scheme's default port filled in. */
  static boolean sameOrigin(String origin, String own) {
    try {
      URI a = new URI(origin.strip());
      URI b = new URI(own);
      return a.getScheme() != null && a.getHost() != null && b.getHost() != null
          && a.getScheme().equalsIgnoreCase(b.getScheme())
          && a.getHost().equalsIgnoreCase(b.getHost())
          && port(a) == port(b)
          && (a.getRawPath() == null || a.getRawPath().isEmpty());
    } catch (URISyntaxException e) {
      return false; // "null" (sandboxed frames, file: pages) and anything unparsable
    }
  }

  /**
   * Whether a Host header names this machine's loopback: {@code localhost} and its subdomains
   * (RFC 6761 §6.3, browsers never resolve them through DNS), or a loopback address literal. Names
   * are never resolved here: resolving is exactly what a rebinding attacker controls.
   */
  static boolean namesLoopback(String hostHeader) {
    String host = hostHeader.strip().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      String literal = end > 0 ? host.substring(1, end) : "";
      // only hex digits and colons: InetAddress parses it as an IPv6 literal, without a lookup
      return literal.matches("[0-9a-f:]*:[0-9a-f:]*") && isLoopbackLiteral(literal);
    }
    int colon = host.indexOf(':');
    if (colon >= 0) {
      host = host.substring(0, colon);
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return true;
    }
    return IPV4.matcher(host).matches() && host.startsWith("127.");
  }

  private static boolean isLoopbackLiteral(String literal) {
    try {
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static HttpResponse<?> forbidden(String message) {
    return HttpResponse.status(HttpStatus.FORBIDDEN).body(new Problem(message));
  }
}
