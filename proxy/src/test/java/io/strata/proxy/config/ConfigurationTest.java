package io.strata.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The defaults every key has, the mapping of keys to records, and the parsing of sizes and durations. */
class ConfigurationTest {

  @TempDir Path dir;

  @Test
  void defaults_areAsDocumented() {
    try (ApplicationContext ctx =
        ApplicationContext.run(
            Map.of("strata.upstream.endpoint", "http://127.0.0.1:1", "strata.s3.port", 0, "strata.cache.dir", dir.toString(),
                "strata.auth.access-key", "client", "strata.auth.secret-key", "client-secret"))) {
      UpstreamConfig upstream = ctx.getBean(UpstreamConfig.class);
      assertThat(upstream.region()).isEqualTo("us-east-1");
      assertThat(upstream.pathStyle()).isTrue();
      assertThat(upstream.accessKey()).isNull();
      assertThat(upstream.connectTimeout()).isEqualTo("2s");
      assertThat(upstream.readTimeout()).isEqualTo("30s");
      assertThat(upstream.probeInterval()).isEqualTo("1s");
      assertThat(upstream.maxConnections()).isEqualTo(64);

      S3ServerConfig s3 = ctx.getBean(S3ServerConfig.class);
      assertThat(s3.bind()).isEqualTo("127.0.0.1");
      assertThat(s3.domains()).containsExactly("localhost");
      assertThat(s3.workerThreads()).isEqualTo(64);
      assertThat(s3.headerTimeoutDuration()).isEqualTo(Duration.ofSeconds(30));
      assertThat(s3.idleTimeoutDuration()).isEqualTo(Duration.ofSeconds(60));
      assertThat(s3.bodyTimeoutDuration()).isEqualTo(Duration.ofSeconds(60));
      assertThat(s3.writeTimeoutDuration()).isEqualTo(Duration.ofSeconds(60));

      CacheSettings cache = ctx.getBean(CacheSettings.class);
      assertThat(cache.maxBytes()).isEqualTo(10L << 30);
      assertThat(cache.blockBytes()).isEqualTo(1L << 20);
      assertThat(cache.revalidateAfterDuration()).isEqualTo(Duration.ofMinutes(5));
      assertThat(cache.projectMaxBytes()).isEqualTo(2L << 30);
      assertThat(cache.projectDepthValue()).isEqualTo(1);
      assertThat(cache.warnRatioValue()).isEqualTo(0.8);
      assertThat(ctx.getProperty("micronaut.server.port", Integer.class)).hasValue(9101);

      UploadSettings uploads = ctx.getBean(UploadSettings.class);
      assertThat(uploads.modeValue()).isEqualTo(UploadSettings.Mode.WRITE_BACK);
      assertThat(uploads.maxPendingBytesValue()).isEqualTo(5L << 30);
      assertThat(uploads.retryIntervalDuration()).isEqualTo(Duration.ofSeconds(30));
      assertThat(uploads.maxBackoffDuration()).isEqualTo(Duration.ofMinutes(5));
      assertThat(uploads.flushThreadsValue()).isEqualTo(2);
      assertThat(uploads.multipartThresholdValue()).isEqualTo(256L << 20);
      assertThat(uploads.multipartPartSizeValue()).isEqualTo(64L << 20);

      AuthSettings auth = ctx.getBean(AuthSettings.class);
      assertThat(auth.anonymous()).as("unsigned access is off unless enabled").isFalse();
      assertThat(ctx.getBean(ClientKeys.class).secretsByAccessKey()).containsOnlyKeys("client");
      assertThat(ctx.getBean(BucketAllowList.class).allows("any-bucket")).isTrue();
    }
    try (ApplicationContext ctx = ApplicationContext.builder().build()) {
      // the shipped application.yml sets the documented S3 port (read without starting any bean)
      ctx.getEnvironment().start();
      assertThat(ctx.getEnvironment().getProperty("strata.s3.port", Integer.class)).hasValue(9100);
    }
  }

  @Test
  void everyKey_bindsToItsRecord() {
    Map<String, Object> props =
        Map.ofEntries(
            Map.entry("strata.upstream.endpoint", "http://127.0.0.1:9000"),
            Map.entry("strata.upstream.region", "eu-west-1"),
            Map.entry("strata.upstream.access-key", "ak"),
            Map.entry("strata.upstream.secret-key", "sk"),
            Map.entry("strata.upstream.path-style", "false"),
            Map.entry("strata.upstream.connect-timeout", "3s"),
            Map.entry("strata.upstream.read-timeout", "1m"),
            Map.entry("strata.upstream.probe-interval", "500ms"),
            Map.entry("strata.upstream.max-connections", "8"),
            Map.entry("strata.s3.port", 0),
            Map.entry("strata.s3.bind", "127.0.0.1"),
            Map.entry("strata.s3.domains", List.of("s3.local", "localhost")),
            Map.entry("strata.s3.worker-threads", "4"),
            Map.entry("strata.s3.header-timeout", "5s"),
            Map.entry("strata.s3.idle-timeout", "2m"),
            Map.entry("strata.s3.body-timeout", "45s"),
            Map.entry("strata.s3.write-timeout", "90s"),
            Map.entry("strata.cache.dir", dir.toString()),
            Map.entry("strata.cache.max-size", "2GiB"),
            Map.entry("strata.cache.block-size", "4MiB"),
            Map.entry("strata.cache.revalidate-after", "30s"),
            Map.entry("strata.cache.project-max-size", "512MiB"),
            Map.entry("strata.cache.project-depth", "3"),
            Map.entry("strata.cache.warn-ratio", "0.75"),
            Map.entry("strata.auth.access-key", "main"),
            Map.entry("strata.auth.secret-key", "main-secret"),
            Map.entry("strata.auth.anonymous", "true"),
            Map.entry("strata.auth.credentials", List.of(
                Map.of("access-key", "team-a", "secret-key", "a-secret"),
                Map.of("access-key", "team-b", "secret-key", "b-secret"))),
            Map.entry("strata.buckets", "logs,cores"));
    try (ApplicationContext ctx = ApplicationContext.run(props)) {
      UpstreamConfig upstream = ctx.getBean(UpstreamConfig.class);
      assertThat(upstream)
          .isEqualTo(new UpstreamConfig("http://127.0.0.1:9000", "eu-west-1", "ak", "sk", false, "3s", "1m", "500ms", 8, null));
      assertThat(ctx.getBean(S3ServerConfig.class)).isEqualTo(new S3ServerConfig(0, "127.0.0.1", List.of("s3.local", "localhost"), 4, "5s", "2m", "45s", "90s"));
      CacheSettings cache = ctx.getBean(CacheSettings.class);
      assertThat(cache.directory()).isEqualTo(dir.toAbsolutePath());
      assertThat(cache.maxBytes()).isEqualTo(2L << 30);
      assertThat(cache.blockBytes()).isEqualTo(4L << 20);
      assertThat(cache.revalidateAfterDuration()).isEqualTo(Duration.ofSeconds(30));
      assertThat(cache.projectMaxBytes()).isEqualTo(512L << 20);
      assertThat(cache.projectDepthValue()).isEqualTo(3);
      assertThat(cache.warnRatioValue()).isEqualTo(0.75);
      ClientKeys keys = ctx.getBean(ClientKeys.class);
      assertThat(keys.secretsByAccessKey()).containsExactlyInAnyOrderEntriesOf(
          Map.of("main", "main-secret", "team-a", "a-secret", "team-b", "b-secret"));
      assertThat(keys.anonymous()).isTrue();
      assertThat(keys.toString()).doesNotContain("secret");
      BucketAllowList buckets = ctx.getBean(BucketAllowList.class);
      assertThat(buckets.names()).containsExactlyInAnyOrder("logs", "cores");
      assertThat(buckets.allows("other")).isFalse();
    }
  }

  @Test
  void clientKeys_secretFromFile_andHalfConfiguredPairsRefused() throws Exception {
    java.nio.file.Path file = dir.resolve("secret");
    java.nio.file.Files.writeString(file, "  from-file\n");
    assertThat(ClientKeys.from(new AuthSettings("k", null, file.toString(), false, null), List.of()).secretsByAccessKey())
        .containsEntry("k", "from-file");
    assertThatThrownBy(() -> ClientKeys.from(new AuthSettings("k", "s", file.toString(), false, null), List.of()))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("exactly one of secret-key and secret-key-file");
    assertThatThrownBy(() -> ClientKeys.from(new AuthSettings(null, "s", null, false, null), List.of()))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("strata.auth.access-key is not set");
    assertThatThrownBy(() -> ClientKeys.from(new AuthSettings("k", "s", null, false, null),
            List.of(new ExtraCredential("k", "other", null))))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("configured twice");
    assertThat(ClientKeys.from(new AuthSettings(null, null, null, true, null), List.of()).secretsByAccessKey()).isEmpty();
    assertThat(new AuthSettings("k", "very-secret", null, false, null).toString()).doesNotContain("very-secret");
  }

  @Test
  void uploadMode_rejectsUnknownValues() {
    assertThatThrownBy(() -> new UploadSettings("write-around", "5GiB", "30s", "5m", 2, "256MiB", "64MiB").modeValue())
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("strata.uploads.mode").hasMessageContaining("write-back or write-through");
    assertThat(new UploadSettings("write-through", "5GiB", "30s", "5m", 2, "256MiB", "64MiB").modeValue())
        .isEqualTo(UploadSettings.Mode.WRITE_THROUGH);
  }

  @Test
  void s3Timeouts_mustBePositiveDurations() {
    assertThatThrownBy(() -> new S3ServerConfig(0, "127.0.0.1", List.of(), 1, "0s", "60s", "60s", "60s").headerTimeoutDuration())
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("strata.s3.header-timeout");
    assertThatThrownBy(() -> new S3ServerConfig(0, "127.0.0.1", List.of(), 1, "30s", "later", "60s", "60s").idleTimeoutDuration())
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("strata.s3.idle-timeout");
  }

  @Test
  void sizes_parseBinaryAndDecimalSuffixes() {
    assertThat(ConfigValues.size("k", "1048576")).isEqualTo(1L << 20);
    assertThat(ConfigValues.size("k", "64KiB")).isEqualTo(64L << 10);
    assertThat(ConfigValues.size("k", "10 GiB")).isEqualTo(10L << 30);
    assertThat(ConfigValues.size("k", "10g")).isEqualTo(10L << 30);
    assertThat(ConfigValues.size("k", "1GB")).isEqualTo(1_000_000_000L);
    assertThatThrownBy(() -> ConfigValues.size("strata.cache.max-size", "ten gigs"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessage("invalid configuration: strata.cache.max-size: 'ten gigs' (expected: a size such as 10GiB, 512MiB, 1048576 (suffixes B, KiB, MiB, GiB, TiB, KB, MB, GB, TB))");
    assertThatThrownBy(() -> ConfigValues.size("k", "99999999999TiB")).isInstanceOf(ConfigurationError.class);
  }

  @Test
  void durations_parseShortAndIsoForms() {
    assertThat(ConfigValues.duration("k", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ConfigValues.duration("k", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigValues.duration("k", "2d")).isEqualTo(Duration.ofDays(2));
    assertThat(ConfigValues.duration("k", "PT1H")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> ConfigValues.duration("strata.cache.revalidate-after", "soon"))
        .hasMessageContaining("strata.cache.revalidate-after: 'soon'");
  }

  @Test
  void blockSize_mustBeAPowerOfTwoInRange() {
    assertThatThrownBy(() -> cache("10GiB", "1000000", "2GiB", "1", "0.8").blockBytes())
        .hasMessageContaining("strata.cache.block-size").hasMessageContaining("power of two");
    assertThatThrownBy(() -> cache("1MiB", "1MiB", "2GiB", "1", "0.8").maxBytes())
        .hasMessageContaining("strata.cache.max-size");
  }

  @Test
  void evictionKeys_areValidatedWithOneLine() {
    assertThatThrownBy(() -> cache("10GiB", "1MiB", "1MiB", "1", "0.8").projectMaxBytes())
        .isInstanceOf(ConfigurationError.class)
        .hasMessage("invalid configuration: strata.cache.project-max-size: '1MiB' (expected: at least 16 blocks"
            + " of strata.cache.block-size, 16777216 bytes)");
    assertThatThrownBy(() -> cache("10GiB", "1MiB", "2GiB", "0", "0.8").projectDepthValue())
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("strata.cache.project-depth: '0'");
    assertThatThrownBy(() -> cache("10GiB", "1MiB", "2GiB", "two", "0.8").projectDepthValue())
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("strata.cache.project-depth: 'two'");
    for (String bad : new String[] {"0", "1.5", "-0.1", "80%", "NaN"}) {
      assertThatThrownBy(() -> cache("10GiB", "1MiB", "2GiB", "1", bad).warnRatioValue())
          .isInstanceOf(ConfigurationError.class)
          .hasMessage("invalid configuration: strata.cache.warn-ratio: '" + bad
              + "' (expected: a fraction above 0 and at most 1, such as 0.8)");
    }
    assertThat(cache("10GiB", "1MiB", "2GiB", "1", "1").warnRatioValue()).isEqualTo(1.0);
  }

  private static CacheSettings cache(
      String maxSize, String blockSize, String projectMaxSize, String projectDepth, String warnRatio) {
    return new CacheSettings("d", maxSize, blockSize, "5m", projectMaxSize, projectDepth, warnRatio);
  }
}
