package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.UploadQueue;
import io.strata.cache.uploads.UploadState;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Writes accepted while the upstream is unreachable, read back at once, delivered in order later. */
class OfflineWritesTest {

  @TempDir Path dir;
  StrataHarness strata;

  @BeforeEach
  void start() throws Exception {
    strata = new StrataHarness(dir);
  }

  @AfterEach
  void stop() throws Exception {
    strata.close();
  }

  @Test
  void offlineWrites_readBack_thenDeliveredInOrder_withSameEtags() throws Exception {
    strata.put("keep/existing.bin", bytes(1000, 1));
    strata.put("gone/old.bin", bytes(1000, 2));
    S3Client s3 = strata.client();
    s3.listObjectsV2(b -> b.bucket("logs")); // Strata learns the bucket and its keys
    s3.headObject(b -> b.bucket("logs").key("gone/old.bin"));
    strata.network.cut();

    byte[] small = bytes(70_000, 3);
    String smallEtag = s3.putObject(b -> b.bucket("logs").key("new/small.bin").contentType("text/csv")
        .metadata(Map.of("curve", "GR")), RequestBody.fromBytes(small)).eTag();
    String emptyEtag = s3.putObject(b -> b.bucket("logs").key("new/empty.bin"), RequestBody.empty()).eTag();
    byte[] big = bytes(25 * 1024 * 1024 + 123, 4);
    String bigEtag = multipartPut(s3, "new/big.parquet", big, 8 * 1024 * 1024);
    s3.deleteObject(b -> b.bucket("logs").key("gone/old.bin"));
    // per key, later writes win and reach the upstream in order
    s3.putObject(b -> b.bucket("logs").key("order/k"), RequestBody.fromString("v1"));
    String v2Etag = s3.putObject(b -> b.bucket("logs").key("order/k"), RequestBody.fromString("v2")).eTag();
    s3.putObject(b -> b.bucket("logs").key("order/j"), RequestBody.fromString("j1"));
    s3.deleteObject(b -> b.bucket("logs").key("order/j"));

    // read-your-writes while offline
    assertThat(smallEtag).isEqualTo('"' + md5(small) + '"');
    assertThat(emptyEtag).isEqualTo('"' + md5(new byte[0]) + '"');
    assertThat(s3.getObjectAsBytes(b -> b.bucket("logs").key("new/small.bin")).asByteArray()).isEqualTo(small);
    var head = s3.headObject(b -> b.bucket("logs").key("new/small.bin"));
    assertThat(head.contentLength()).isEqualTo(small.length);
    assertThat(head.contentType()).isEqualTo("text/csv");
    assertThat(head.metadata()).containsEntry("curve", "GR");
    HttpResponse<byte[]> range = strata.raw("GET", "/logs/new/big.parquet", "Range", "bytes=10000000-10000099");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(big, 10_000_000, 10_000_100));
    // a multipart download of the queued upload: its parts are the ones the client sent
    HttpResponse<byte[]> part2 = strata.raw("GET", "/logs/new/big.parquet?partNumber=2");
    assertThat(part2.statusCode()).isEqualTo(206);
    assertThat(part2.headers().firstValue("x-amz-mp-parts-count")).hasValue("4");
    assertThat(part2.headers().firstValue("content-range")).hasValue("bytes 8388608-16777215/" + big.length);
    assertThat(part2.body()).isEqualTo(java.util.Arrays.copyOfRange(big, 8 << 20, 16 << 20));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("logs").key("order/k")).asUtf8String()).isEqualTo("v2");
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("logs").key("gone/old.bin")))
        .isInstanceOf(NoSuchKeyException.class);
    assertThat(keys(s3)).contains("new/small.bin", "new/empty.bin", "new/big.parquet", "keep/existing.bin", "order/k")
        .doesNotContain("gone/old.bin", "order/j");
    assertThat(strata.direct.listObjectsV2(b -> b.bucket("logs")).contents()).extracting(S3Object::key)
        .doesNotContain("new/small.bin");

    strata.network.restore();
    awaitQueueEmpty();

    S3Client up = strata.direct;
    assertThat(up.getObjectAsBytes(b -> b.bucket("logs").key("new/small.bin")).asByteArray()).isEqualTo(small);
    assertThat(up.headObject(b -> b.bucket("logs").key("new/small.bin")).eTag()).isEqualTo(smallEtag);
    assertThat(up.headObject(b -> b.bucket("logs").key("new/small.bin")).metadata()).containsEntry("curve", "GR");
    assertThat(up.headObject(b -> b.bucket("logs").key("new/empty.bin")).contentLength()).isZero();
    assertThat(up.headObject(b -> b.bucket("logs").key("new/big.parquet")).eTag()).isEqualTo(bigEtag);
    assertThat(up.getObjectAsBytes(b -> b.bucket("logs").key("new/big.parquet")).asByteArray()).isEqualTo(big);
    assertThat(up.getObjectAsBytes(b -> b.bucket("logs").key("order/k")).asUtf8String()).isEqualTo("v2");
    assertThat(up.headObject(b -> b.bucket("logs").key("order/k")).eTag()).isEqualTo(v2Etag);
    assertThatThrownBy(() -> up.headObject(b -> b.bucket("logs").key("order/j"))).isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> up.headObject(b -> b.bucket("logs").key("gone/old.bin"))).isInstanceOf(NoSuchKeyException.class);

    // delivered bytes became cache content: reading them back costs no upstream GET
    strata.network.clearRequests();
    assertThat(s3.getObjectAsBytes(b -> b.bucket("logs").key("new/big.parquet")).asByteArray()).isEqualTo(big);
    assertThat(strata.network.requests().stream().filter(r -> r.startsWith("GET ")).toList()).isEmpty();
  }

  @Test
  void conflict_upstreamChangedWhileOffline_isParkedNotOverwritten() throws Exception {
    strata.put("c/obj.bin", bytes(500, 5));
    S3Client s3 = strata.client();
    s3.headObject(b -> b.bucket("logs").key("c/obj.bin")); // the client's view: version A
    strata.network.cut();
    byte[] mine = bytes(600, 6);
    s3.putObject(b -> b.bucket("logs").key("c/obj.bin"), RequestBody.fromBytes(mine));
    byte[] theirs = bytes(700, 7);
    strata.put("c/obj.bin", theirs); // someone else writes version B upstream meanwhile
    String theirEtag = strata.direct.headObject(b -> b.bucket("logs").key("c/obj.bin")).eTag();

    strata.network.restore();
    UploadQueue queue = strata.bean(UploadQueue.class);
    PendingUpload parked = await(() -> queue.all().stream().filter(w -> w.state() == UploadState.CONFLICT).findFirst().orElse(null));

    assertThat(parked.key()).isEqualTo("c/obj.bin");
    assertThat(parked.conflictEtag()).isEqualTo(theirEtag);
    assertThat(strata.direct.getObjectAsBytes(b -> b.bucket("logs").key("c/obj.bin")).asByteArray()).isEqualTo(theirs);
    assertThat(java.nio.file.Files.readAllBytes(parked.dataFile())).isEqualTo(mine);
  }

  @Test
  void onlineWrite_isReadableAtOnce_andReachesUpstream() throws Exception {
    S3Client s3 = strata.client();
    byte[] data = bytes(3 * 1024 * 1024, 8);
    String etag = s3.putObject(b -> b.bucket("logs").key("live/a.bin"), RequestBody.fromBytes(data)).eTag();
    assertThat(s3.getObjectAsBytes(b -> b.bucket("logs").key("live/a.bin")).asByteArray()).isEqualTo(data);
    awaitQueueEmpty();
    assertThat(strata.direct.headObject(b -> b.bucket("logs").key("live/a.bin")).eTag()).isEqualTo(etag);
  }

  @Test
  void largeSinglePut_isDeliveredAsMultipart_andCacheTakesTheUpstreamEtag() throws Exception {
    strata.close();
    strata = new StrataHarness(dir.resolve("threshold"),
        Map.of("strata.uploads.multipart-threshold", "5MiB", "strata.uploads.multipart-part-size", "5MiB"));
    S3Client s3 = strata.client();
    byte[] data = bytes(12 * 1024 * 1024 + 5, 9);
    strata.network.cut();
    String acked = s3.putObject(b -> b.bucket("logs").key("big/single.bin"), RequestBody.fromBytes(data)).eTag();
    assertThat(acked).isEqualTo('"' + md5(data) + '"');

    strata.network.restore();
    awaitQueueEmpty();

    String upstreamEtag = strata.direct.headObject(b -> b.bucket("logs").key("big/single.bin")).eTag();
    assertThat(upstreamEtag).endsWith("-3\"");
    assertThat(strata.direct.getObjectAsBytes(b -> b.bucket("logs").key("big/single.bin")).asByteArray()).isEqualTo(data);
    assertThat(s3.headObject(b -> b.bucket("logs").key("big/single.bin")).eTag()).isEqualTo(upstreamEtag);
  }

  private String multipartPut(S3Client s3, String key, byte[] data, int partSize) {
    String uploadId = s3.createMultipartUpload(b -> b.bucket("logs").key(key)).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    for (int offset = 0, n = 1; offset < data.length; offset += partSize, n++) {
      int length = Math.min(partSize, data.length - offset);
      int partNumber = n;
      byte[] part = java.util.Arrays.copyOfRange(data, offset, offset + length);
      String etag = s3.uploadPart(b -> b.bucket("logs").key(key).uploadId(uploadId).partNumber(partNumber),
          RequestBody.fromBytes(part)).eTag();
      parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
    }
    assertThat(s3.listParts(b -> b.bucket("logs").key(key).uploadId(uploadId)).parts()).hasSize(parts.size());
    return s3.completeMultipartUpload(b -> b.bucket("logs").key(key).uploadId(uploadId)
        .multipartUpload(m -> m.parts(parts))).eTag();
  }

  private List<String> keys(S3Client s3) {
    List<String> keys = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket("logs").maxKeys(3)).contents().forEach(o -> keys.add(o.key()));
    return keys;
  }

  private void awaitQueueEmpty() throws Exception {
    UploadQueue queue = strata.bean(UploadQueue.class);
    await(() -> queue.all().isEmpty() ? Boolean.TRUE : null);
  }

  private static <T> T await(java.util.function.Supplier<T> probe) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
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
