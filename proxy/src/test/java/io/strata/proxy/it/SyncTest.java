package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.strata.cache.meta.SyncLog;
import io.strata.proxy.parquet.BackgroundSync;
import io.strata.proxy.parquet.KeptSelections;
import io.strata.proxy.parquet.Pins;
import io.strata.proxy.parquet.PrefetchRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync cycle keeps a pinned prefix fresh: a changed object and a new one under the prefix are
 * fetched by the next run, which is recorded, so both read correctly with the upstream gone.
 * Runs are started directly (as {@code POST /api/sync} does), never waited for by sleeping.
 */
class SyncTest {

  @TempDir Path dir;
  StrataHarness strata;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    strata = new StrataHarness(dir, Map.of("strata.cache.block-size", "64KiB", "strata.sync.interval", "1h"));
    strata.bean(EmbeddedServer.class).start();
  }

  @AfterEach
  void stop() throws Exception {
    strata.close();
  }

  @Test
  void changeUnderAPinnedPrefix_isPickedUpByTheNextRun_andReadableOffline() throws Exception {
    byte[] first = bytes(1, 200_000);
    strata.put("well-9/a.bin", first);
    Pins pins = strata.bean(Pins.class);
    KeptSelections.Kept pin = pins.add(new PrefetchRequest(StrataHarness.BUCKET, null, "well-9/", null, null, null));
    BackgroundSync sync = strata.bean(BackgroundSync.class);
    sync.runNow("test"); // waits for the pin's fetches
    assertThat(pins.get(pin.id()).orElseThrow().readiness()).isEqualTo(100.0);
    strata.client().getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key("well-9/a.bin"));

    byte[] second = bytes(2, 300_000);
    byte[] added = bytes(3, 100_000);
    strata.put("well-9/a.bin", second);
    strata.put("well-9/b.bin", added);

    BackgroundSync.Run run = sync.runNow("test");

    assertThat(run.errors()).isEmpty();
    assertThat(run.objectsChecked()).isGreaterThanOrEqualTo(1);
    assertThat(run.objectsChanged()).isEqualTo(1);
    // the changed object again (the new object's single block came with the look at its tail)
    assertThat(run.bytesFetched()).isGreaterThanOrEqualTo(second.length);
    KeptSelections.Kept after = pins.get(pin.id()).orElseThrow();
    assertThat(after.readiness()).isEqualTo(100.0);
    assertThat(after.bytes()).isEqualTo(second.length + added.length);
    List<SyncLog.Run> runs = sync.latest(5);
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).finishedAt()).isNotNull();
    assertThat(runs.get(0).objectsChanged()).isEqualTo(1);

    strata.assertCacheConsistent();
    strata.network.cut();
    strata.network.clearRequests();
    try {
      assertThat(strata.client().getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key("well-9/a.bin")).asByteArray())
          .isEqualTo(second);
      assertThat(strata.client().getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key("well-9/b.bin")).asByteArray())
          .isEqualTo(added);
      assertThat(strata.network.requests()).as("served from the cache").noneMatch(r -> r.startsWith("GET /logs/well-9"));
    } finally {
      strata.network.restore();
    }
  }

  @Test
  void adminApi_runsOneNow_andListsRuns() throws Exception {
    HttpResponse<String> ran = http.send(HttpRequest.newBuilder(admin("/api/sync")).POST(HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ran.statusCode()).as(ran.body()).isEqualTo(200);
    assertThat(ran.body()).contains("\"trigger\":\"api\"").contains("\"finishedAt\"");
    HttpResponse<String> listed = http.send(HttpRequest.newBuilder(admin("/api/sync")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(listed.body()).contains("\"trigger\":\"api\"");
    assertThat(http.send(HttpRequest.newBuilder(admin("/api/sync/current")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).as("no run in progress").isEqualTo(204);
  }

  private URI admin(String path) {
    return URI.create("http://127.0.0.1:" + strata.bean(EmbeddedServer.class).getPort() + path);
  }

  private static byte[] bytes(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
