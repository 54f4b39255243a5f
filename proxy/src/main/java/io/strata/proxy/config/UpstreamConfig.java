package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code strata.upstream.*}: where the real S3 service is and how to sign requests to it.
 *
 * @param endpoint the upstream's URL, e.g. {@code http://minio:9000}; unset only with {@code --demo}
 * @param pathStyle address buckets as {@code endpoint/bucket/key} (MinIO, s3proxy) rather than as
 *     a host name
 * @param connectTimeout how long a connection attempt may take before the upstream counts as offline
 * @param readTimeout how long a started response may stall before the request fails
 * @param probeInterval how often an offline upstream is probed for its return
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
    @Bindable(defaultValue = "64") int maxConnections) {}
