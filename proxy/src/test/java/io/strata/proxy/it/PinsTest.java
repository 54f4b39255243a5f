package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.strata.proxy.parquet.Pins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins over the admin API: offline readiness from 0 to 100 %, pinned bytes never evicted under a
 * small cap, a pin beyond the cap refused, pins surviving a restart, and removal.
 */
class PinsTest {

  private static final int SIZE = 384 << 10;

  @TempDir Path dir;
  StrataHarness strata;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    strata = new StrataHarness(dir, Map.of("strata.cache.block-size", "64KiB", "strata.cache.max-size", "1MiB",
        "strata.cache.project-max-size", "1MiB"));
    strata.bean(EmbeddedServer.class).start();
    for (String name : List.of("pinned", "a", "b", "c", "d")) {
      strata.put("pin/" + name + ".bin", bytes(name.hashCode(), SIZE));
    }
    strata.put("big/large.bin", bytes(7, 768 << 10));
  }

  @AfterEach
  void stop() throws Exception {
    strata.close();
  }

  @Test
  void pin_readinessGoesFrom0To100_neverEvicted_survivesRestart_andIsRemovable() throws Exception {
    // known to Strata, then the network goes: the pin is accepted but nothing can be fetched yet
    strata.client().headObject(b -> b.bucket(StrataHarness.BUCKET).key("pin/pinned.bin"));
    strata.network.cut();
    HttpResponse<String> added = post("/api/pins", "{\"bucket\":\"logs\",\"prefix\":\"pin/pinned\"}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    String id = field(added.body(), "id");
    assertThat(field(added.body(), "readiness")).isEqualTo("0.0");
    assertThat(field(added.body(), "bytes")).isEqualTo(Integer.toString(SIZE));

    strata.network.restore();
    awaitOnline();
    strata.bean(Pins.class).restore(new java.util.ArrayList<>()); // what a sync run does for every pin
    awaitReadiness(id, "100.0");

    for (String name : List.of("a", "b", "c", "d")) {
      strata.client().getObjectAsBytes(r -> r.bucket(StrataHarness.BUCKET).key("pin/" + name + ".bin"));
      strata.assertCacheConsistent();
    }
    awaitUnderCap();
    assertThat(field(get("/api/pins/" + id).body(), "readiness")).as("pinned bytes are never evicted").isEqualTo("100.0");

    HttpResponse<String> tooBig = post("/api/pins", "{\"bucket\":\"logs\",\"keys\":[\"big/large.bin\"]}");
    assertThat(tooBig.statusCode()).as(tooBig.body()).isEqualTo(409);
    assertThat(tooBig.body()).contains("exceeds the cache's cap").contains("strata.cache.max-size");

    strata.stopStrata();
    strata.startStrata();
    strata.bean(EmbeddedServer.class).start();
    HttpResponse<String> listed = get("/api/pins");
    assertThat(listed.body()).contains("\"id\":" + id).contains("\"readiness\":100.0");

    assertThat(http.send(HttpRequest.newBuilder(admin("/api/pins/" + id)).DELETE().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
    assertThat(get("/api/pins/" + id).statusCode()).isEqualTo(404);
    assertThat(get("/api/pins").body()).isEqualTo("[]");
  }

  @Test
  void favorites_listAndRemove_andBadInputIsA400() throws Exception {
    HttpResponse<String> added = post("/api/favorites", "{\"bucket\":\"logs\",\"keys\":[\"pin/a.bin\"]}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(get("/api/favorites").body()).contains("pin/a.bin");
    assertThat(post("/api/favorites", "{\"bucket\":\"logs\"}").statusCode()).isEqualTo(400);
    assertThat(post("/api/pins", "{not json").statusCode()).isEqualTo(400);
    assertThat(http.send(HttpRequest.newBuilder(admin("/api/favorites/999")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }

  private void awaitReadiness(String id, String readiness) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    String seen = null;
    while (System.nanoTime() < deadline) {
      seen = field(get("/api/pins/" + id).body(), "readiness");
      if (readiness.equals(seen)) {
        return;
      }
      Thread.sleep(20);
    }
    assertThat(seen).isEqualTo(readiness);
  }

  private void awaitUnderCap() throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (strata.cache().stats().bytes() > (1 << 20) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(strata.cache().stats().bytes()).isLessThanOrEqualTo(1 << 20);
  }

  private void awaitOnline() throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!strata.bean(io.strata.proxy.upstream.UpstreamHealth.class).isOnline() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
    assertThat(m.find()).as(name + " in " + json).isTrue();
    return m.group(1);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(admin(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(admin(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
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
