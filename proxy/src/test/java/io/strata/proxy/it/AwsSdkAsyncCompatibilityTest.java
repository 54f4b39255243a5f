package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.proxy.testing.TestSigner;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * The AWS SDK v2's asynchronous client (Netty) and the S3 Transfer Manager through Strata: ranged
 * and whole reads, a listing, a PUT, and a Transfer Manager upload (multipart, through Strata's
 * upload queue) and parallel download by part number, online and offline, read back byte for byte.
 */
class AwsSdkAsyncCompatibilityTest {

  @TempDir static Path dir;
  static StrataHarness strata;
  static S3AsyncClient async;

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir.resolve("cache"));
    async = S3AsyncClient.builder()
        .endpointOverride(strata.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey())))
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    async.close();
    strata.close();
  }

  @Test
  void asyncClient_readsRangesWholeAndLists_andWrites() throws Exception {
    byte[] data = bytes(3 << 20, 1);
    strata.put("async/a.bin", data);
    byte[] range = async.getObject(b -> b.bucket(StrataHarness.BUCKET).key("async/a.bin").range("bytes=1000-1999"),
        AsyncResponseTransformer.toBytes()).get().asByteArray();
    assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 2000));
    assertThat(async.getObject(b -> b.bucket(StrataHarness.BUCKET).key("async/a.bin"), AsyncResponseTransformer.toBytes())
        .get().asByteArray()).isEqualTo(data);
    assertThat(async.listObjectsV2(b -> b.bucket(StrataHarness.BUCKET).prefix("async/")).get().contents())
        .extracting(o -> o.key()).contains("async/a.bin");
    byte[] written = bytes(200_000, 2);
    async.putObject(b -> b.bucket(StrataHarness.BUCKET).key("async/w.bin"), AsyncRequestBody.fromBytes(written)).get();
    assertThat(strata.client().getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key("async/w.bin")).asByteArray())
        .isEqualTo(written);
  }

  @Test
  void transferManager_uploadsMultipart_andDownloadsByParts_onlineAndOffline() throws Exception {
    Path source = dir.resolve("source.bin");
    byte[] data = bytes(20 << 20, 3); // above the Transfer Manager's 8 MiB multipart threshold
    Files.write(source, data);
    try (S3AsyncClient multipart = S3AsyncClient.builder()
            .endpointOverride(strata.endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey())))
            .multipartEnabled(true)
            .build();
        S3TransferManager transfers = S3TransferManager.builder().s3Client(multipart).build()) {
      transfers.uploadFile(u -> u.source(source).putObjectRequest(p -> p.bucket(StrataHarness.BUCKET).key("tm/big.bin")))
          .completionFuture().get();
      long deadline = System.nanoTime() + 30_000_000_000L; // write-back: delivered in the background
      while (!strata.bean(io.strata.cache.uploads.UploadQueue.class).all().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      String etag = strata.direct.headObject(h -> h.bucket(StrataHarness.BUCKET).key("tm/big.bin")).eTag();
      assertThat(etag).as("delivered upstream as a multipart upload").matches("\"[0-9a-f]{32}-\\d+\"");

      // The multipart client downloads by part number: GET ?partNumber=1, then the other parts
      // in parallel, as many as x-amz-mp-parts-count says.
      strata.network.clearRequests();
      Path online = dir.resolve("online.bin");
      transfers.downloadFile(d -> d.destination(online)
          .getObjectRequest(g -> g.bucket(StrataHarness.BUCKET).key("tm/big.bin"))).completionFuture().get();
      assertThat(Files.readAllBytes(online)).isEqualTo(data);

      HttpResponse<byte[]> first = strata.raw("GET", "/logs/tm/big.bin?partNumber=1");
      String partsCount = first.headers().firstValue("x-amz-mp-parts-count").orElseThrow();
      int parts = Integer.parseInt(partsCount);
      long firstLength = first.body().length;
      assertThat(first.statusCode()).isEqualTo(206);
      assertThat(first.headers().firstValue("content-range")).hasValue("bytes 0-" + (firstLength - 1) + "/" + data.length);
      assertThat(first.headers().firstValue("etag")).hasValue(etag);
      HttpResponse<byte[]> head = strata.raw("HEAD", "/logs/tm/big.bin?partNumber=" + parts);
      assertThat(head.statusCode()).isEqualTo(206);
      assertThat(head.headers().firstValue("content-range")).get().asString().endsWith("-" + (data.length - 1) + "/" + data.length);
      assertThat(strata.raw("GET", "/logs/tm/big.bin?partNumber=" + (parts + 1)).statusCode()).isEqualTo(416);

      // Offline: the part boundaries were kept with the version, the bytes are cached.
      strata.assertCacheConsistent();
      strata.network.cut();
      try {
        Path offline = dir.resolve("offline.bin");
        transfers.downloadFile(d -> d.destination(offline)
            .getObjectRequest(g -> g.bucket(StrataHarness.BUCKET).key("tm/big.bin"))).completionFuture().get();
        assertThat(Files.readAllBytes(offline)).isEqualTo(data);
      } finally {
        strata.network.restore();
      }
    }
  }

  @Test
  void partNumber_ofAnObjectNotUploadedInParts_isTheWholeObject_asA206() throws Exception {
    byte[] data = bytes(300_000, 4);
    strata.direct.putObject(b -> b.bucket(StrataHarness.BUCKET).key("parts/single.bin"), RequestBody.fromBytes(data));

    HttpResponse<byte[]> part1 = strata.raw("GET", "/logs/parts/single.bin?partNumber=1");
    assertThat(part1.statusCode()).isEqualTo(206);
    assertThat(part1.headers().firstValue("content-range")).hasValue("bytes 0-299999/300000");
    assertThat(part1.headers().firstValue("x-amz-mp-parts-count")).isEmpty();
    assertThat(part1.body()).isEqualTo(data);

    HttpResponse<byte[]> part2 = strata.raw("GET", "/logs/parts/single.bin?partNumber=2");
    assertThat(part2.statusCode()).isEqualTo(416);
    assertThat(new String(part2.body(), StandardCharsets.UTF_8)).contains("<Code>InvalidPartNumber</Code>");

    HttpResponse<byte[]> zero = strata.raw("GET", "/logs/parts/single.bin?partNumber=0");
    assertThat(zero.statusCode()).isEqualTo(400);
    assertThat(new String(zero.body(), StandardCharsets.UTF_8)).contains("<Code>InvalidArgument</Code>");
    HttpResponse<byte[]> withRange = strata.raw("GET", "/logs/parts/single.bin?partNumber=1", "Range", "bytes=0-9");
    assertThat(withRange.statusCode()).isEqualTo(400);
    assertThat(new String(withRange.body(), StandardCharsets.UTF_8))
        .contains("Cannot specify both Range header and partNumber query parameter");

    // the SDK's own call, as a client would make it
    assertThat(strata.client().getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key("parts/single.bin").partNumber(1))
        .asByteArray()).isEqualTo(data);
  }

  private static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
