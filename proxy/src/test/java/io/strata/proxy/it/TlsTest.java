package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.s3.S3Server;
import io.strata.proxy.testing.TestCertificates;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 port with {@code strata.s3.tls.*}: an unmodified AWS SDK client over https that trusts
 * only the test certificate, through every way bytes leave Strata (upstream fill, cached blocks,
 * queued writes; the last two are file regions on plain HTTP and must be copied under TLS).
 */
class TlsTest {

  @TempDir static Path dir;
  static DemoUpstream upstream;
  static TcpFaultProxy network;
  static ApplicationContext strata;
  static TestCertificates.Pem pem;
  static S3Client client;
  static byte[] big;

  @BeforeAll
  static void start() throws Exception {
    upstream = DemoUpstream.startInMemory();
    network = new TcpFaultProxy(upstream.endpoint());
    big = new byte[5 * 1024 * 1024 + 4321];
    new Random(11).nextBytes(big);
    try (S3Client direct = upstream.newClient()) {
      direct.createBucket(b -> b.bucket("logs"));
      direct.putObject(b -> b.bucket("logs").key("big.bin"), RequestBody.fromBytes(big));
    }
    pem = TestCertificates.selfSigned(dir, "strata");
    Map<String, Object> props = new HashMap<>();
    props.put("strata.upstream.endpoint", network.endpoint().toString());
    props.put("strata.upstream.access-key", upstream.accessKey());
    props.put("strata.upstream.secret-key", upstream.secretKey());
    props.put("strata.upstream.connect-timeout", "1s");
    props.put("strata.upstream.probe-interval", "200ms");
    props.put("strata.s3.port", 0);
    props.put("strata.s3.tls.cert", pem.certFile().toString());
    props.put("strata.s3.tls.key", pem.keyFile().toString());
    props.put("strata.cache.dir", dir.resolve("cache").toString());
    props.put("micronaut.server.port", -1);
    // client authentication (strata.auth.*): the keys this test's client signs with
    props.put("strata.auth.access-key", "client");
    props.put("strata.auth.secret-key", "client-secret");
    strata = ApplicationContext.run(props);
    client = S3Client.builder()
        .endpointOverride(endpoint("https"))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("client", "client-secret")))
        .httpClient(ApacheHttpClient.builder().tlsTrustManagersProvider(pem::trustManagers).build())
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) client.close();
    if (strata != null) strata.close();
    network.close();
    upstream.close();
  }

  static URI endpoint(String scheme) {
    return URI.create(scheme + "://127.0.0.1:" + strata.getBean(S3Server.class).address().getPort());
  }

  @Test
  void getObject_overHttps_missThenCachedBlocks_sameBytes() {
    assertThat(strata.getBean(S3Server.class).scheme()).isEqualTo("https");
    ResponseBytes<GetObjectResponse> first = client.getObjectAsBytes(b -> b.bucket("logs").key("big.bin"));
    assertThat(first.asByteArray()).isEqualTo(big);
    assertThat(cacheHeader(first)).isEqualTo("miss");

    // every block is on disk now: the cached path, which is sendfile on plain HTTP
    ResponseBytes<GetObjectResponse> second = client.getObjectAsBytes(b -> b.bucket("logs").key("big.bin"));
    assertThat(cacheHeader(second)).isEqualTo("hit");
    assertThat(second.asByteArray()).isEqualTo(big);

    ResponseBytes<GetObjectResponse> range =
        client.getObjectAsBytes(b -> b.bucket("logs").key("big.bin").range("bytes=1000000-3500000"));
    assertThat(cacheHeader(range)).isEqualTo("hit");
    assertThat(range.response().contentRange()).isEqualTo("bytes 1000000-3500000/" + big.length);
    assertThat(range.asByteArray()).isEqualTo(Arrays.copyOfRange(big, 1_000_000, 3_500_001));
  }

  @Test
  void queuedWrite_readBackOverHttps_whileOffline() throws Exception {
    client.listObjectsV2(b -> b.bucket("logs")); // Strata learns the bucket before the network goes
    network.cut();
    try {
      byte[] written = new byte[3 * 1024 * 1024 + 17];
      new Random(12).nextBytes(written);
      client.putObject(b -> b.bucket("logs").key("queued.bin"), RequestBody.fromBytes(written));
      ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket("logs").key("queued.bin"));
      assertThat(cacheHeader(got)).isEqualTo("pending");
      assertThat(got.asByteArray()).isEqualTo(written);
      ResponseBytes<GetObjectResponse> tail =
          client.getObjectAsBytes(b -> b.bucket("logs").key("queued.bin").range("bytes=-100000"));
      assertThat(tail.asByteArray()).isEqualTo(Arrays.copyOfRange(written, written.length - 100_000, written.length));
    } finally {
      network.restore();
    }
  }

  @Test
  void plainHttpToTheTlsPort_getsA400SayingHttps() throws Exception {
    RawHttp.Response raw = RawHttp.send(endpoint("http"), "GET", "/logs/big.bin", "127.0.0.1");
    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.headers()).containsEntry("connection", "close").containsKey("x-amz-request-id");
    assertThat(raw.text()).contains("<Code>InvalidRequest</Code>").contains("only HTTPS");

    try (S3Client plain = S3Client.builder()
        .endpointOverride(endpoint("http"))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("client", "client-secret")))
        .build()) {
      assertThatThrownBy(() -> plain.headObject(b -> b.bucket("logs").key("big.bin")))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
      assertThatThrownBy(() -> plain.getObjectAsBytes(b -> b.bucket("logs").key("big.bin")))
          .isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
          });
    }
  }

  private static String cacheHeader(ResponseBytes<GetObjectResponse> r) {
    return r.response().sdkHttpResponse().firstMatchingHeader("x-strata-cache").orElse(null);
  }
}
