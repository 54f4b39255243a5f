package io.strata.proxy.upstream;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.strata.proxy.config.ConfigValues;
import io.strata.proxy.config.ConfigurationError;
import io.strata.proxy.config.UpstreamConfig;
import io.strata.proxy.demo.DemoUpstream;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/** Builds the upstream client from {@code strata.upstream.*} (or the demo upstream). */
@Factory
final class UpstreamFactory {

  /** Where the upstream is and how to sign for it, after demo mode and validation. */
  record ResolvedUpstream(URI endpoint, AwsCredentialsProvider credentials) implements AutoCloseable {

    /** The S3 client does not close a provider it was given; the default chain holds a refresh thread. */
    @Override
    public void close() {
      if (credentials instanceof SdkAutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  @Singleton
  @Bean(preDestroy = "close")
  ResolvedUpstream resolvedUpstream(UpstreamConfig config, Optional<DemoUpstream> demo, Clock clock) {
    if (demo.isPresent() && (config.endpoint() == null || config.endpoint().isBlank())) {
      DemoUpstream upstream = demo.get();
      return new ResolvedUpstream(
          upstream.endpoint(),
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(upstream.accessKey(), upstream.secretKey())));
    }
    if (config.endpoint() == null || config.endpoint().isBlank()) {
      throw new ConfigurationError(
          "invalid configuration: strata.upstream.endpoint is not set (expected: the upstream's URL,"
              + " e.g. http://127.0.0.1:9000, via STRATA_UPSTREAM_ENDPOINT; or run with --demo)");
    }
    URI endpoint;
    try {
      endpoint = URI.create(config.endpoint().trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationError("strata.upstream.endpoint", config.endpoint(), "a URL such as http://127.0.0.1:9000");
    }
    ConfigValues.require(
        ("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())) && endpoint.getHost() != null,
        "strata.upstream.endpoint", config.endpoint(), "an http:// or https:// URL with a host");
    return new ResolvedUpstream(endpoint, credentials(config, clock));
  }

  /**
   * Static credentials when {@code strata.upstream.access-key} and a secret key are configured;
   * otherwise the AWS default chain, or anonymous access when the chain finds nothing.
   */
  static AwsCredentialsProvider credentials(UpstreamConfig config, Clock clock) {
    boolean hasKey = config.accessKey() != null && !config.accessKey().isBlank();
    Optional<String> secret = config.secretKeyValue();
    ConfigValues.require(hasKey == secret.isPresent(), hasKey ? "strata.upstream.secret-key" : "strata.upstream.access-key",
        "", "both strata.upstream.access-key and strata.upstream.secret-key (or secret-key-file), or neither"
            + " (AWS default chain)");
    if (hasKey) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey().trim(), secret.get()));
    }
    return new DefaultChainOrAnonymous(DefaultCredentialsProvider.builder().build(), clock);
  }

  @Singleton
  @Bean(preDestroy = "close")
  S3Client s3Client(UpstreamConfig config, ResolvedUpstream upstream) {
    Duration connectTimeout = ConfigValues.duration("strata.upstream.connect-timeout", config.connectTimeout());
    Duration readTimeout = ConfigValues.duration("strata.upstream.read-timeout", config.readTimeout());
    ConfigValues.require(config.maxConnections() > 0, "strata.upstream.max-connections", config.maxConnections(), "> 0");
    return S3Client.builder()
        .endpointOverride(upstream.endpoint())
        .region(Region.of(config.region()))
        .credentialsProvider(upstream.credentials())
        .forcePathStyle(config.pathStyle())
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        // Bodies are verified when they reach Strata; a second checksum pass on upload is waste.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        // One retry: a pooled connection the upstream closed while idle must not count as an
        // outage. More would make clients wait on an upstream that is gone.
        .overrideConfiguration(
            c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build()))
        .httpClientBuilder(
            ApacheHttpClient.builder()
                .connectionTimeout(connectTimeout)
                .socketTimeout(readTimeout)
                .maxConnections(config.maxConnections())
                .tcpKeepAlive(true))
        .build();
  }

  @Singleton
  @Bean(preDestroy = "close")
  UpstreamHealth upstreamHealth(UpstreamConfig config, ResolvedUpstream upstream, Clock clock) {
    Duration interval = ConfigValues.duration("strata.upstream.probe-interval", config.probeInterval());
    ConfigValues.require(!interval.isZero() && !interval.isNegative(), "strata.upstream.probe-interval",
        config.probeInterval(), "a positive duration such as 1s");
    Duration probeTimeout = ConfigValues.duration("strata.upstream.connect-timeout", config.connectTimeout());
    return new UpstreamHealth(upstream.endpoint(), interval, probeTimeout, clock);
  }

  @Singleton
  UpstreamStore upstreamStore(S3Client s3, UpstreamHealth health, Clock clock,
      io.micrometer.core.instrument.MeterRegistry registry) {
    return new HealthCheckedUpstream(new SdkUpstreamStore(s3, clock), health, registry);
  }
}
