package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.Optional;

/**
 * {@code strata.admin.*}: access to the admin port ({@code micronaut.server.*}).
 *
 * @param token the bearer token every admin request but the health probes must carry; required
 *     when the admin port binds a non-loopback address
 * @param tokenFile a file holding the token instead (a mounted secret), trimmed
 */
@ConfigurationProperties("strata.admin")
public record AdminSettings(@Nullable String token, @Nullable String tokenFile) {

  /** The configured token, read from the file if that is how it was given; empty when none. */
  public Optional<String> bearerToken() {
    Optional<String> secret = Secrets.inlineOrFile("strata.admin.token", token, "strata.admin.token-file", tokenFile);
    secret.ifPresent(t -> {
      // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
      if (!t.matches("[A-Za-z0-9._~+/-]+=*")) {
        throw new ConfigurationError("invalid configuration: strata.admin.token is not a valid bearer token"
            + " (expected: letters, digits and -._~+/ only, e.g. from `openssl rand -hex 32`; value not shown)");
      }
    });
    return secret;
  }

  @Override
  public String toString() {
    return "AdminSettings[token=" + Secrets.mask(token) + ", tokenFile=" + tokenFile + "]";
  }
}
