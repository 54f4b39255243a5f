package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.strata.proxy.demo.WellLogDataset;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The admin API against a running Strata with a real upstream: status, objects with block maps,
 * eviction, upload actions, metrics and readiness, including bad input answered with a JSON
 * message.
 */
class AdminApiTest {

  @TempDir static Path dir;
  static StrataHarness strata;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir, Map.of("strata.cache.block-size", "64KiB"));
    strata.bean(EmbeddedServer.class).start();
    byte[] data = new byte[600_000];
    new Random(5).nextBytes(data);
    strata.put("admin/data.bin", data);
    WellLogDataset.standard().withRows(20_000, 5_000).seed(strata.direct, line -> {});
  }

  @AfterAll
  static void stop() throws Exception {
    strata.close();
  }

  @Test
  void status_objects_blockMap_footer_andEviction() throws Exception {
    strata.client().getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key("admin/data.bin").range("bytes=0-99"));
    String parquetKey = WellLogDataset.standard().withRows(20_000, 5_000).keys().stream()
        .filter(k -> k.endsWith(".parquet")).findFirst().orElseThrow();
    strata.client().getObjectAsBytes(b -> b.bucket(WellLogDataset.BUCKET).key(parquetKey).range("bytes=-1000"));
    strata.assertCacheConsistent();

    HttpResponse<String> status = get("/api/status");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"online\":true").contains("\"maxBytes\":" + (10L << 30))
        .contains("\"uploads\":{\"count\":0,\"bytes\":0}").containsPattern("\"served\":\\{\"fromCache\":\\d+,\"fromUpstream\":[1-9]").contains("\"upstream\":\"http://127.0.0.1:");

    HttpResponse<String> objects = get("/api/objects?bucket=logs&prefix=admin/");
    assertThat(objects.statusCode()).isEqualTo(200);
    assertThat(objects.body()).contains("\"key\":\"admin/data.bin\"").contains("\"first\":0,\"last\":65535,\"cached\":true")
        .contains("\"cached\":false").contains("\"footer\":null").contains("\"lastAccess\":");

    // the footer of a Parquet object is read in the background after the first touch
    long deadline = System.nanoTime() + 10_000_000_000L;
    String parquet;
    do {
      parquet = get("/api/objects?bucket=" + WellLogDataset.BUCKET + "&prefix=" + parquetKey).body();
    } while (parquet.contains("\"footer\":null") && System.nanoTime() < deadline && pause());
    assertThat(parquet).contains("\"footer\":{\"first\":").contains("\"priority\":10");

    HttpResponse<String> evicted = post("/api/objects/evict", "{\"bucket\":\"logs\",\"prefix\":\"admin/\"}");
    assertThat(evicted.statusCode()).as(evicted.body()).isEqualTo(200);
    assertThat(evicted.body()).contains("\"objects\":1");
    assertThat(get("/api/objects?bucket=logs&prefix=admin/").body()).doesNotContain("\"cached\":true")
        .as("still known, so still listed offline").contains("admin/data.bin");

    assertThat(get("/api/objects?limit=0").statusCode()).isEqualTo(400);
    assertThat(post("/api/objects/evict", "{\"bucket\":\"logs\"}").body()).contains("\"message\"");
  }

  @Test
  void uploads_retryAndDiscard_unknownAndWrongState() throws Exception {
    assertThat(post("/api/uploads/999/retry", "").statusCode()).isEqualTo(404);
    assertThat(delete("/api/uploads/999").statusCode()).isEqualTo(404);

    strata.network.cut();
    try {
      strata.client().putObject(b -> b.bucket(StrataHarness.BUCKET).key("admin/queued.txt"), RequestBody.fromString("q"));
      String queue = get("/api/uploads").body();
      String id = queue.replaceAll("(?s).*\"id\":(\\d+).*", "$1");
      assertThat(post("/api/uploads/" + id + "/retry", "").statusCode()).isEqualTo(200);
      HttpResponse<String> discard = delete("/api/uploads/" + id);
      assertThat(discard.statusCode()).as("an acknowledged write that is no conflict is never dropped").isEqualTo(409);
      assertThat(discard.body()).contains("\"message\"");
    } finally {
      strata.network.restore();
    }
  }

  @Test
  void metrics_areInPrometheusFormat_withRequestsByOperationAndStatus() throws Exception {
    strata.client().headObject(b -> b.bucket(StrataHarness.BUCKET).key("admin/data.bin"));
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(metrics.body()).contains("strata_cache_bytes").contains("strata_cache_block_hits_total")
        .contains("strata_uploads_queued").contains("strata_upstream_online")
        .contains("strata_upstream_fetch_seconds_count").contains("strata_upstream_fetched_bytes_total")
        .contains("strata_s3_requests_total{operation=\"HEAD_OBJECT\",status=\"200\"}");
  }

  @Test
  void readiness_andBadJson() throws Exception {
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"status\":\"UP\"");
    HttpResponse<String> bad = post("/api/prefetch", "{not json");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("message");
  }

  private static boolean pause() throws InterruptedException {
    Thread.sleep(50);
    return true;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(admin(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> delete(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(admin(path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(admin(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI admin(String path) {
    return URI.create("http://127.0.0.1:" + strata.bean(EmbeddedServer.class).getPort() + path);
  }
}
