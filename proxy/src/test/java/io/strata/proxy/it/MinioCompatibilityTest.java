package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.strata.proxy.s3.S3Server;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The core read path with MinIO as the upstream instead of s3proxy: a whole GET, ranges, HEAD and
 * a listing through Strata, compared with MinIO's own answers. Needs a Docker engine; reported
 * as skipped without one.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioCompatibilityTest {

  private static final String BUCKET = "logs";
  private static final String KEY = "wells/w1/logs.parquet";

  @Container
  static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2024-12-18T13-15-44Z");

  @TempDir static Path dir;
  static S3Client direct;
  static ApplicationContext strata;
  static S3Client client;
  static byte[] data;

  @BeforeAll
  static void start() {
    direct = clientFor(URI.create(MINIO.getS3URL()), MINIO.getUserName(), MINIO.getPassword());
    direct.createBucket(b -> b.bucket(BUCKET));
    data = new byte[3 * 1024 * 1024 + 555];
    new Random(42).nextBytes(data);
    direct.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromBytes(data));
    direct.putObject(b -> b.bucket(BUCKET).key("wells/w2/logs.parquet"), RequestBody.fromBytes(new byte[] {1, 2, 3}));

    strata =
        ApplicationContext.run(
            Map.of(
                "strata.upstream.endpoint", MINIO.getS3URL(),
                "strata.upstream.access-key", MINIO.getUserName(),
                "strata.upstream.secret-key", MINIO.getPassword(),
                "strata.upstream.connect-timeout", "1s",
                "strata.s3.port", 0,
                "strata.cache.dir", dir.toString(),
                "micronaut.server.port", -1));
    URI endpoint = URI.create("http://127.0.0.1:" + strata.getBean(S3Server.class).address().getPort());
    client = clientFor(endpoint, "client", "client-secret");
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (strata != null) strata.close();
    if (direct != null) direct.close();
  }

  @Test
  void getObject_whole_matchesMinio() {
    ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY));
    HeadObjectResponse upstream = direct.headObject(b -> b.bucket(BUCKET).key(KEY));
    assertThat(got.asByteArray()).isEqualTo(data);
    assertThat(got.response().eTag()).isEqualTo(upstream.eTag());
    assertThat(got.response().contentLength()).isEqualTo(data.length);
  }

  @Test
  void getObject_ranges_matchMinio() {
    int size = data.length;
    List<String> ranges = List.of("bytes=0-0", "bytes=0-99", "bytes=-8", "bytes=1048570-1048600", "bytes=" + (size - 10) + "-");
    for (String range : ranges) {
      ResponseBytes<GetObjectResponse> viaStrata = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).range(range));
      ResponseBytes<GetObjectResponse> fromMinio = direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).range(range));
      assertThat(viaStrata.asByteArray()).as(range).isEqualTo(fromMinio.asByteArray());
      assertThat(viaStrata.response().contentRange()).as(range).isEqualTo(fromMinio.response().contentRange());
    }
    byte[] tail = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).range("bytes=-8")).asByteArray();
    assertThat(tail).isEqualTo(Arrays.copyOfRange(data, size - 8, size));
  }

  @Test
  void headObject_contentLength_matchesMinio() {
    HeadObjectResponse viaStrata = client.headObject(b -> b.bucket(BUCKET).key(KEY));
    HeadObjectResponse fromMinio = direct.headObject(b -> b.bucket(BUCKET).key(KEY));
    assertThat(viaStrata.contentLength()).isEqualTo(data.length).isEqualTo(fromMinio.contentLength());
    assertThat(viaStrata.eTag()).isEqualTo(fromMinio.eTag());
  }

  @Test
  void listObjectsV2_prefix_matchesMinio() {
    List<String> viaStrata =
        client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("wells/")).contents().stream().map(S3Object::key).toList();
    List<String> fromMinio =
        direct.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("wells/")).contents().stream().map(S3Object::key).toList();
    assertThat(viaStrata).containsExactly("wells/w1/logs.parquet", "wells/w2/logs.parquet").isEqualTo(fromMinio);

    List<String> prefixes =
        client.listObjectsV2(b -> b.bucket(BUCKET).prefix("wells/").delimiter("/")).commonPrefixes().stream()
            .map(p -> p.prefix()).toList();
    assertThat(prefixes).containsExactly("wells/w1/", "wells/w2/");
  }

  private static S3Client clientFor(URI endpoint, String accessKey, String secretKey) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }
}
