package io.strata.proxy.admin;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.server.HttpServerConfiguration;
import io.strata.proxy.config.AdminSettings;
import io.strata.proxy.config.ConfigurationError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may use the admin port. Bound to loopback (the default) it is open to local processes; bound
 * anywhere else it requires {@code strata.admin.token}, and Strata refuses to start without one,
 * because the admin API can discard queued writes. A configured token is required on any bind.
 * Created eagerly so a missing token stops start-up before anything listens.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE) // checked before the cache is opened or the S3 port bound
final class AdminAccess {

  private final boolean loopbackBind;
  /** SHA-256 of the token: comparing digests takes the same time whatever the length or content guessed. */
  private final Optional<byte[]> tokenDigest;

  AdminAccess(AdminSettings settings, HttpServerConfiguration server) {
    Optional<String> token = settings.bearerToken();
    Optional<String> host = server.getHost();
    this.loopbackBind = host.map(AdminAccess::isLoopback).orElse(false);
    if (!loopbackBind && token.isEmpty()) {
      throw new ConfigurationError("invalid configuration: the admin port binds "
          + host.map(h -> "'" + h + "'").orElse("every interface") + " (micronaut.server.host), which is not"
          + " a loopback address, and strata.admin.token is not set (expected: a token via STRATA_ADMIN_TOKEN or"
          + " strata.admin.token-file, or micronaut.server.host=127.0.0.1)");
    }
    this.tokenDigest = token.map(AdminAccess::sha256);
  }

  /** Whether requests must carry the bearer token. */
  boolean tokenRequired() {
    return tokenDigest.isPresent();
  }

  /** Whether the admin port listens on loopback only. */
  boolean loopbackBind() {
    return loopbackBind;
  }

  /** Whether an {@code Authorization} header value carries the configured token. */
  boolean accepts(String authorization) {
    if (tokenDigest.isEmpty()) {
      return true;
    }
    // RFC 6750 §2.1: "Bearer" 1*SP b64token; the scheme name is case-insensitive (RFC 9110 §11.1)
    if (authorization == null || authorization.length() < 7
        || !authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return false;
    }
    byte[] presented = sha256(authorization.substring(7).strip());
    return MessageDigest.isEqual(presented, tokenDigest.get());
  }

  /**
   * Whether {@code host} is loopback. A host name counts only if every address it resolves to is
   * loopback; one that does not resolve does not (Micronaut would fail to bind it anyway).
   */
  static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      return false; // Micronaut binds every interface
    }
    String h = host.strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    try {
      InetAddress[] addresses = InetAddress.getAllByName(h);
      return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
