package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cache.uploads.UploadQueue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/** The acknowledgement modes, the queue's byte limit, batch deletes, and multipart bookkeeping. */
class WriteModesAndLimitsTest {

  private static final int KIB = 1024;
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  StrataHarness strata;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (strata != null) strata.close();
  }

  @Test
  void writeThrough_online_upstreamHasItWhenAcknowledged_offline_fallsBackToWriteBack() throws Exception {
    strata = new StrataHarness(dir, Map.of("strata.uploads.mode", "write-through"));
    S3Client s3 = strata.client();
    UploadQueue queue = strata.bean(UploadQueue.class);
    byte[] online = bytes(200 * KIB, 1);

    String etag = s3.putObject(b -> b.bucket("logs").key("wt/online.bin"), RequestBody.fromBytes(online)).eTag();

    // no polling: the acknowledgement means the upstream already has it
    assertThat(strata.direct.headObject(b -> b.bucket("logs").key("wt/online.bin")).eTag()).isEqualTo(etag);
    assertThat(etag).isEqualTo('"' + md5(online) + '"');
    assertThat(queue.all()).isEmpty();
    assertThat(files("data")).isEmpty();

    strata.network.cut();
    byte[] offline = bytes(100 * KIB, 2);
    String offlineEtag = s3.putObject(b -> b.bucket("logs").key("wt/offline.bin"), RequestBody.fromBytes(offline)).eTag();
    assertThat(offlineEtag).isEqualTo('"' + md5(offline) + '"');
    assertThat(queue.all()).extracting(w -> w.key()).containsExactly("wt/offline.bin");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("logs").key("wt/offline.bin")).asByteArray()).isEqualTo(offline);
    assertThatThrownBy(() -> strata.direct.headObject(b -> b.bucket("logs").key("wt/offline.bin")))
        .isInstanceOf(NoSuchKeyException.class);

    strata.network.restore();
    awaitQueueEmpty();
    assertThat(strata.direct.getObjectAsBytes(b -> b.bucket("logs").key("wt/offline.bin")).asByteArray()).isEqualTo(offline);
  }

  @Test
  void maxPendingBytes_offline_writeThatDoesNotFit_isSlowDown_nothingHalfStored() throws Exception {
    strata = new StrataHarness(dir, Map.of("strata.uploads.max-pending-bytes", "1MiB"));
    UploadQueue queue = strata.bean(UploadQueue.class);
    strata.network.cut();
    assertThat(put("lim/1.bin", bytes(400 * KIB, 1)).statusCode()).isEqualTo(200);
    assertThat(put("lim/2.bin", bytes(400 * KIB, 2)).statusCode()).isEqualTo(200);
    long pending = queue.pendingBytes();
    List<Path> data = files("data");
    assertThat(pending).isEqualTo(800 * KIB);

    HttpResponse<String> full = put("lim/3.bin", bytes(400 * KIB, 3));

    assertThat(full.statusCode()).as(full.body()).isEqualTo(503);
    assertThat(full.body()).contains("<Code>SlowDown</Code>").contains("strata.uploads.max-pending-bytes")
        .contains(String.valueOf(MIB));
    assertThat(queue.pendingBytes()).isEqualTo(pending);
    assertThat(queue.all()).extracting(w -> w.key()).containsExactly("lim/1.bin", "lim/2.bin");
    assertThat(files("data")).containsExactlyInAnyOrderElementsOf(data);
    assertThat(files("staging")).isEmpty();
    assertThat(put("lim/small.bin", bytes(200 * KIB, 5)).statusCode()).as("a write that fits is still accepted").isEqualTo(200);

    strata.network.restore();
    awaitQueueEmpty();
    assertThat(put("lim/3.bin", bytes(400 * KIB, 3)).statusCode()).isEqualTo(200);
    awaitQueueEmpty();
    assertThat(strata.direct.headObject(b -> b.bucket("logs").key("lim/3.bin")).eTag()).isEqualTo('"' + md5(bytes(400 * KIB, 3)) + '"');
  }

  @Test
  void maxPendingBytes_sdkAwsChunkedPut_getsSlowDown() throws Exception {
    strata = new StrataHarness(dir, Map.of("strata.uploads.max-pending-bytes", "1MiB"));
    strata.network.cut();
    assertThat(put("lim/1.bin", bytes(800 * KIB, 1)).statusCode()).isEqualTo(200);
    for (int i = 0; i < 20; i++) {
      // through the SDK's aws-chunked upload, where the length is x-amz-decoded-content-length
      try (S3Client noRetries = noRetryClient()) {
        assertThatThrownBy(() -> noRetries.putObject(b -> b.bucket("logs").key("lim/4.bin"), RequestBody.fromBytes(bytes(4 * MIB, 4))))
            .isInstanceOfSatisfying(AwsServiceException.class, e -> {
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
            });
      }
    }
  }

  @Test
  void deleteObjects_offline_allDeleted_readsAre404_upstreamDeletedAfterRestore() throws Exception {
    strata = new StrataHarness(dir);
    strata.put("del/a.txt", "a".getBytes(StandardCharsets.UTF_8));
    strata.put("del/b.txt", "b".getBytes(StandardCharsets.UTF_8));
    S3Client s3 = strata.client();
    s3.headObject(b -> b.bucket("logs").key("del/a.txt"));
    s3.headObject(b -> b.bucket("logs").key("del/b.txt"));
    strata.network.cut();

    DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket("logs").delete(d -> d.objects(
        ObjectIdentifier.builder().key("del/a.txt").build(),
        ObjectIdentifier.builder().key("del/b.txt").build(),
        ObjectIdentifier.builder().key("del/never.txt").build())));

    assertThat(r.errors()).isEmpty();
    assertThat(r.deleted()).extracting(DeletedObject::key).containsExactlyInAnyOrder("del/a.txt", "del/b.txt", "del/never.txt");
    for (String key : List.of("del/a.txt", "del/b.txt")) {
      assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("logs").key(key))).isInstanceOf(NoSuchKeyException.class);
    }
    assertThat(s3.listObjectsV2(b -> b.bucket("logs").prefix("del/")).contents()).isEmpty();
    assertThat(strata.direct.headObject(b -> b.bucket("logs").key("del/a.txt")).contentLength()).as("still upstream").isEqualTo(1);

    strata.network.restore();
    awaitQueueEmpty();
    for (String key : List.of("del/a.txt", "del/b.txt", "del/never.txt")) {
      assertThatThrownBy(() -> strata.direct.headObject(b -> b.bucket("logs").key(key))).as(key).isInstanceOf(NoSuchKeyException.class);
    }
  }

  @Test
  void multipart_listAbort_noSuchUpload_invalidPart_entityTooSmall() throws Exception {
    strata = new StrataHarness(dir);
    S3Client s3 = strata.client();
    String one = s3.createMultipartUpload(b -> b.bucket("logs").key("mp/one.bin")).uploadId();
    String two = s3.createMultipartUpload(b -> b.bucket("logs").key("mp/two.bin")).uploadId();

    assertThat(s3.listMultipartUploads(b -> b.bucket("logs")).uploads()).extracting(MultipartUpload::uploadId)
        .containsExactlyInAnyOrder(one, two);
    s3.abortMultipartUpload(b -> b.bucket("logs").key("mp/one.bin").uploadId(one));
    assertThat(s3.listMultipartUploads(b -> b.bucket("logs")).uploads()).extracting(MultipartUpload::uploadId)
        .containsExactly(two);
    assertThatThrownBy(() -> s3.uploadPart(b -> b.bucket("logs").key("mp/one.bin").uploadId(one).partNumber(1),
        RequestBody.fromBytes(bytes(KIB, 1)))).isInstanceOf(NoSuchUploadException.class);

    byte[] part1 = bytes(100 * KIB, 2);
    byte[] part2 = bytes(100 * KIB, 3);
    String etag1 = s3.uploadPart(b -> b.bucket("logs").key("mp/two.bin").uploadId(two).partNumber(1), RequestBody.fromBytes(part1)).eTag();
    String etag2 = s3.uploadPart(b -> b.bucket("logs").key("mp/two.bin").uploadId(two).partNumber(2), RequestBody.fromBytes(part2)).eTag();
    assertThat(etag1).isEqualTo('"' + md5(part1) + '"');

    String wrong = '"' + md5(part2) + '"';
    assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("logs").key("mp/two.bin").uploadId(two)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(wrong).build()))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPart"));
    assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("logs").key("mp/two.bin").uploadId(two)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
            CompletedPart.builder().partNumber(2).eTag(etag2).build()))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EntityTooSmall"));

    // the failed completions changed nothing: the upload and its parts are still there
    assertThat(s3.listParts(b -> b.bucket("logs").key("mp/two.bin").uploadId(two)).parts()).hasSize(2);
    assertThat(strata.bean(UploadQueue.class).all()).isEmpty();
    // a single small part is also the last part, which may be small
    String etag = s3.completeMultipartUpload(b -> b.bucket("logs").key("mp/two.bin").uploadId(two)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build()))).eTag();
    assertThat(etag).endsWith("-1\"");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("logs").key("mp/two.bin")).asByteArray()).isEqualTo(part1);
    assertThat(s3.listMultipartUploads(b -> b.bucket("logs")).uploads()).isEmpty();
    assertThat(files("parts")).isEmpty();
  }

  private HttpResponse<String> put(String key, byte[] body) throws Exception {
    URI uri = URI.create(strata.endpoint() + "/logs/" + key);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(30))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    io.strata.proxy.testing.TestSigner.HARNESS.sign("PUT", uri, Map.of()).forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private S3Client noRetryClient() {
    return S3Client.builder()
        .endpointOverride(strata.endpoint())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                io.strata.proxy.testing.TestSigner.HARNESS.accessKey(), io.strata.proxy.testing.TestSigner.HARNESS.secretKey())))
        .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private List<Path> files(String sub) throws Exception {
    Path d = dir.resolve("uploads").resolve(sub);
    if (!Files.isDirectory(d)) return List.of();
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  private void awaitQueueEmpty() throws Exception {
    UploadQueue queue = strata.bean(UploadQueue.class);
    await(() -> queue.all().isEmpty() ? Boolean.TRUE : null);
  }

  private static <T> T await(Supplier<T> probe) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) return value;
      Thread.sleep(50);
    }
    throw new AssertionError("condition not reached within 30 s");
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }
}
