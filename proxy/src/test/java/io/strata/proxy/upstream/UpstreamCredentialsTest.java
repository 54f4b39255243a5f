package io.strata.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.config.ConfigurationError;
import io.strata.proxy.config.UpstreamConfig;
import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.testing.CaptureServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where upstream credentials come from: configuration, the AWS default chain, or nowhere (then
 * requests go unsigned). Nothing here reaches the instance metadata endpoint: the chain is either
 * a stand-in or stops at system properties, its first link.
 */
class UpstreamCredentialsTest {

  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();

  @Test
  void explicitKeys_areUsedAsGiven_secretInlineOrFromFile() throws Exception {
    AwsCredentials inline = UpstreamFactory.credentials(config("AKIDEXAMPLE", "inline-secret", null), clock)
        .resolveCredentials();
    assertThat(inline.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(inline.secretAccessKey()).isEqualTo("inline-secret");

    Path file = Files.writeString(dir.resolve("secret"), "file-secret\n");
    AwsCredentials fromFile = UpstreamFactory.credentials(config("AKIDEXAMPLE", null, file.toString()), clock)
        .resolveCredentials();
    assertThat(fromFile.secretAccessKey()).isEqualTo("file-secret");
  }

  @Test
  void halfConfiguredKeys_failStartup_withoutShowingTheSecret() {
    assertThatThrownBy(() -> UpstreamFactory.credentials(config("AKIDEXAMPLE", null, null), clock))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("strata.upstream.secret-key");
    assertThatThrownBy(() -> UpstreamFactory.credentials(config(null, "lonely-secret", null), clock))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("strata.upstream.access-key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("lonely-secret"));
  }

  @Test
  void noKeys_useTheDefaultChain_systemProperties() {
    String[] props = {"aws.accessKeyId", "aws.secretAccessKey", "aws.disableEc2Metadata"};
    String[] saved = new String[props.length];
    for (int i = 0; i < props.length; i++) saved[i] = System.getProperty(props[i]);
    System.setProperty("aws.accessKeyId", DemoUpstream.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", DemoUpstream.SECRET_KEY);
    System.setProperty("aws.disableEc2Metadata", "true");
    AwsCredentialsProvider chain = UpstreamFactory.credentials(config(null, null, null), clock);
    try (DemoUpstream upstream = DemoUpstream.startInMemory();
        S3Client s3 = client(URI.create(upstream.endpoint().toString()), chain)) {
      assertThat(chain).isInstanceOf(DefaultChainOrAnonymous.class);
      AwsCredentials resolved = chain.resolveCredentials();
      assertThat(resolved.accessKeyId()).isEqualTo(DemoUpstream.ACCESS_KEY);
      assertThat(resolved.secretAccessKey()).isEqualTo(DemoUpstream.SECRET_KEY);
      // s3proxy checks the signature: these are the keys it was signed with
      s3.createBucket(b -> b.bucket("chain"));
      assertThat(s3.listBuckets().buckets()).anySatisfy(b -> assertThat(b.name()).isEqualTo("chain"));
    } finally {
      ((DefaultChainOrAnonymous) chain).close();
      for (int i = 0; i < props.length; i++) {
        if (saved[i] == null) System.clearProperty(props[i]); else System.setProperty(props[i], saved[i]);
      }
    }
  }

  @Test
  void chainFindsNothing_requestsGoUnsigned_andTheChainIsAskedAgainLater() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    AwsCredentialsProvider empty = () -> {
      asked.incrementAndGet();
      throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    };
    MutableClock time = new MutableClock();
    DefaultChainOrAnonymous credentials = new DefaultChainOrAnonymous(empty, time);
    assertThat(credentials.resolveCredentials().accessKeyId()).isNull();
    assertThat(credentials.resolveCredentials().accessKeyId()).isNull();
    assertThat(asked).as("a miss is remembered").hasValue(1);
    time.advance(DefaultChainOrAnonymous.RECHECK);
    credentials.resolveCredentials();
    assertThat(asked).hasValue(2);

    try (CaptureServer wire = new CaptureServer(); S3Client s3 = client(URI.create(wire.endpoint()), credentials)) {
      s3.listObjectsV2(b -> b.bucket("public-bucket"));
      CaptureServer.Captured request = wire.take();
      assertThat(request.headers()).doesNotContainKey("authorization");
      assertThat(request.target()).startsWith("/public-bucket");
    }
  }

  @Test
  void credentialsAppearingLater_areUsed() {
    AwsBasicCredentials later = AwsBasicCredentials.create("AKIDLATER", "later-secret");
    AtomicInteger calls = new AtomicInteger();
    AwsCredentialsProvider chain = () -> {
      if (calls.incrementAndGet() == 1) throw SdkClientException.create("nothing yet");
      return later;
    };
    MutableClock time = new MutableClock();
    DefaultChainOrAnonymous credentials = new DefaultChainOrAnonymous(chain, time);
    assertThat(credentials.resolveCredentials().accessKeyId()).isNull();
    time.advance(DefaultChainOrAnonymous.RECHECK.plusSeconds(1));
    assertThat(credentials.resolveCredentials()).isEqualTo(later);
    assertThat(credentials.resolveCredentials()).isEqualTo(later);
  }

  private static UpstreamConfig config(String accessKey, String secretKey, String secretKeyFile) {
    return new UpstreamConfig("http://127.0.0.1:1", "us-east-1", accessKey, secretKey, true, "2s", "30s", "1s", 64,
        secretKeyFile);
  }

  private static S3Client client(URI endpoint, AwsCredentialsProvider credentials) {
    return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(credentials).build();
  }

  /** A clock tests move by hand. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
