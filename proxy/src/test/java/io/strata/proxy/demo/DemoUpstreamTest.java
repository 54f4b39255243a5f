package io.strata.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

class DemoUpstreamTest {

  /** Small enough to seed in well under a second, still two row groups per file. */
  private static final WellLogDataset SMALL = WellLogDataset.standard().withRows(3_000, 2_000);

  @TempDir
  Path dir;

  @Test
  void startInMemory_seedListAndSeedAgain_uploadsOnce() throws IOException {
    DemoUpstream upstream = DemoUpstream.startInMemory();
    try (S3Client client = sdkClient(upstream)) {
      assertThat(upstream.endpoint().getHost()).isEqualTo("127.0.0.1");
      assertThat(upstream.endpoint().getPort()).isPositive();

      List<String> progress = new ArrayList<>();
      WellLogDataset.SeedResult first = SMALL.seed(client, progress::add);

      assertThat(first.uploaded()).isEqualTo(8);
      assertThat(first.skipped()).isZero();
      assertThat(progress).hasSize(8)
          .first().asString().startsWith("seeding demo data: 1/8 wells/alder-1/logs.parquet");
      List<S3Object> listed = client.listObjectsV2(b -> b.bucket(WellLogDataset.BUCKET)
          .prefix("wells/")).contents();
      assertThat(listed).extracting(S3Object::key)
          .containsExactlyInAnyOrderElementsOf(SMALL.keys());
      assertThat(listed.stream().mapToLong(S3Object::size).sum())
          .isEqualTo(first.bytesUploaded());

      Path downloaded = dir.resolve("alder-1.parquet");
      client.getObject(b -> b.bucket(WellLogDataset.BUCKET)
          .key("wells/alder-1/logs.parquet"), downloaded);
      assertThat(ParquetReadBack.footer(downloaded).getBlocks()).hasSize(2);

      progress.clear();
      WellLogDataset.SeedResult second = SMALL.seed(client, progress::add);

      assertThat(second.uploaded()).isZero();
      assertThat(second.skipped()).isEqualTo(8);
      assertThat(progress).containsExactly("demo data already present: 8 objects in s3://well-logs");
    } finally {
      upstream.close();
    }
  }

  @Test
  void start_filesystem_dataSurvivesRestart() throws IOException {
    Path data = dir.resolve("upstream");
    DemoUpstream first = DemoUpstream.start(data);
    try (S3Client client = first.newClient()) {
      assertThat(SMALL.seed(client, line -> {}).uploaded()).isEqualTo(8);
    } finally {
      first.close();
    }
    assertThat(Files.isDirectory(data.resolve(WellLogDataset.BUCKET))).isTrue();

    DemoUpstream second = DemoUpstream.start(data);
    try (S3Client client = second.newClient()) {
      assertThat(SMALL.seed(client, line -> {}).uploaded()).isZero();
    } finally {
      second.close();
    }
  }

  @Test
  void start_wrongSecret_rejected() {
    DemoUpstream upstream = DemoUpstream.startInMemory();
    try (S3Client client = S3Client.builder()
        .endpointOverride(upstream.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(upstream.accessKey(), "wrong")))
        .build()) {
      assertThatThrownBy(client::listBuckets)
          .isInstanceOfSatisfying(S3Exception.class,
              e -> assertThat(e.statusCode()).isEqualTo(403));
    } finally {
      upstream.close();
    }
  }

  /** Built by hand, as an integration test would, rather than with {@link DemoUpstream#newClient}. */
  private static S3Client sdkClient(DemoUpstream upstream) {
    return S3Client.builder()
        .endpointOverride(upstream.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(upstream.accessKey(), upstream.secretKey())))
        .build();
  }
}
