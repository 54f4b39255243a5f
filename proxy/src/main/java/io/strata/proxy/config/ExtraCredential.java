package io.strata.proxy.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.core.annotation.Nullable;

/**
 * One entry of {@code strata.auth.credentials}: a further client key pair, for example one per
 * team or per tool, so a key can be withdrawn without touching the others.
 *
 * <pre>
 * strata.auth.credentials:
 *   - access-key: analytics
 *     secret-key-file: /run/secrets/analytics
 * </pre>
 */
@EachProperty(value = "strata.auth.credentials", list = true)
public record ExtraCredential(
    @Nullable String accessKey, @Nullable String secretKey, @Nullable String secretKeyFile) {

  @Override
  public String toString() {
    return "ExtraCredential[accessKey=" + accessKey + ", secretKeyFile=" + secretKeyFile + "]";
  }
}
