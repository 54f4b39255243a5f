package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code strata.s3.tls.*}: HTTPS on the S3 port, for clients that insist on it. Set both or
 * neither; with both set the port speaks only HTTPS.
 *
 * @param cert PEM file with the server certificate, followed by any intermediate certificates
 * @param key PEM file with the certificate's private key, unencrypted PKCS#8
 *     ({@code -----BEGIN PRIVATE KEY-----})
 */
@ConfigurationProperties("strata.s3.tls")
public record S3TlsConfig(@Nullable String cert, @Nullable String key) {

  /** Whether TLS is configured; fails when only one of the two files is. */
  public boolean enabled() {
    boolean hasCert = cert != null && !cert.isBlank();
    boolean hasKey = key != null && !key.isBlank();
    if (hasCert != hasKey) {
      throw new ConfigurationError("invalid configuration: " + (hasCert ? "strata.s3.tls.key" : "strata.s3.tls.cert")
          + " is not set (expected: both strata.s3.tls.cert and strata.s3.tls.key, or neither)");
    }
    return hasCert;
  }
}
