package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.Optional;

/**
 * {@code strata.upstream.*}: where the real S3 service is and how to sign requests to it.
 *
 * @param endpoint the upstream's URL, e.g. {@code http://minio:9000}; unset only with {@code --demo}
 * @param accessKey with {@code secretKey}: static credentials; without both, the AWS default
 *     credential chain (see {@code UpstreamFactory})
 * @param pathStyle address buckets as {@code endpoint/bucket/key} (MinIO, s3proxy) rather than as
 *     a host name
 * @param connectTimeout how long a connection attempt may take before the upstream counts as offline
 * @param readTimeout how long a started response may stall before the request fails
 * @param probeInterval how often an offline upstream is probed for its return
 * @param secretKeyFile a file holding the secret key instead of {@code secretKey} (a mounted secret)
 */
@ConfigurationProperties("strata.upstream")
public record UpstreamConfig(
    @Nullable String endpoint,
    @Bindable(defaultValue = "us-east-1") String region,
    @Nullable String accessKey,
    @Nullable String secretKey,
    @Bindable(defaultValue = "true") boolean pathStyle,
    @Bindable(defaultValue = "2s") String connectTimeout,
    @Bindable(defaultValue = "30s") String readTimeout,
    @Bindable(defaultValue = "1s") String probeInterval,
    @Bindable(defaultValue = "64") int maxConnections,
    @Nullable String secretKeyFile) {

  /** The secret key, inline or read from {@link #secretKeyFile}; empty when neither is set. */
  public Optional<String> secretKeyValue() {
    return Secrets.inlineOrFile("strata.upstream.secret-key", secretKey, "strata.upstream.secret-key-file", secretKeyFile);
  }

  // The generated toString would print the secret key into any log or error that shows the record.
  @Override
  public String toString() {
    return "UpstreamConfig[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
        + ", secretKey=" + Secrets.mask(secretKey) + ", pathStyle=" + pathStyle + ", connectTimeout=" + connectTimeout
        + ", readTimeout=" + readTimeout + ", probeInterval=" + probeInterval + ", maxConnections=" + maxConnections
        + ", secretKeyFile=" + secretKeyFile + "]";
  }
}
