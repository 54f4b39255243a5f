package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code strata.auth.*}: who may use the S3 endpoint. Strata holds the upstream's credentials and
 * signs upstream requests with them, so its clients authenticate to Strata with a key pair of
 * their own (AWS Signature Version 4, checked locally, also offline).
 *
 * @param accessKey the client access key id ({@code STRATA_AUTH_ACCESS_KEY})
 * @param secretKey its secret ({@code STRATA_AUTH_SECRET_KEY}); prefer {@code secretKeyFile}
 * @param secretKeyFile a file holding the secret (a mounted Kubernetes secret, say); surrounding
 *     whitespace is ignored
 * @param anonymous whether requests without any signature are served; signed requests are still
 *     verified. Off unless set explicitly.
 * @param region the region clients must sign for; unset accepts any, since clients come
 *     configured with all sorts of regions and Strata answers for all of them
 */
@ConfigurationProperties("strata.auth")
public record AuthSettings(
    @Nullable String accessKey,
    @Nullable String secretKey,
    @Nullable String secretKeyFile,
    @Bindable(defaultValue = "false") boolean anonymous,
    @Nullable String region) {

  @Override
  public String toString() {
    // Never print a secret, not even in a debug log of the configuration.
    return "AuthSettings[accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? null : "****")
        + ", secretKeyFile=" + secretKeyFile + ", anonymous=" + anonymous + ", region=" + region + "]";
  }
}
