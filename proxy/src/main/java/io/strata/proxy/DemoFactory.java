package io.strata.proxy;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.strata.proxy.config.CacheSettings;
import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.demo.WellLogDataset;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code --demo}: when no upstream is configured, an in-process S3 server under the cache
 * directory plays the upstream, seeded once with a sample well-log data set.
 */
@Factory
@Requires(property = "strata.demo", value = "true")
@Requires(missingProperty = "strata.upstream.endpoint")
final class DemoFactory {

  @Singleton
  @Bean(preDestroy = "close")
  DemoUpstream demoUpstream(CacheSettings settings) {
    Path dataDir = settings.directory().resolve("demo-upstream");
    DemoUpstream upstream;
    try {
      upstream = DemoUpstream.start(dataDir);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the demo upstream in " + dataDir + ": " + e.getMessage(), e);
    }
    try (S3Client client =
        S3Client.builder()
            .endpointOverride(upstream.endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(upstream.accessKey(), upstream.secretKey())))
            .build()) {
      WellLogDataset.standard().seed(client);
    } catch (IOException e) {
      upstream.close();
      throw new UncheckedIOException("cannot seed the demo data set", e);
    }
    return upstream;
  }
}
