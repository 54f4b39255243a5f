package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.UploadQueue;
import io.strata.cache.uploads.UploadState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** A write parked as a conflict, shown and resolved through the admin API. */
class ConflictResolutionTest {

  @TempDir Path dir;
  StrataHarness strata;
  URI admin;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    strata = new StrataHarness(dir);
    EmbeddedServer server = strata.bean(EmbeddedServer.class);
    server.start();
    admin = URI.create("http://127.0.0.1:" + server.getPort());
  }

  @AfterEach
  void stop() throws Exception {
    strata.close();
  }

  @Test
  void overwrite_replacesTheirVersionWithOurs() throws Exception {
    PendingUpload parked = parkConflict("c/over.bin");
    HttpResponse<String> listed = get("/api/uploads");
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains("\"state\":\"conflict\"").contains("c/over.bin");

    HttpResponse<String> resolved = post("/api/uploads/" + parked.id() + "/resolve", "{\"action\":\"overwrite\"}");

    assertThat(resolved.statusCode()).isEqualTo(200);
    awaitDrained();
    assertThat(get("/api/uploads").body()).contains("\"count\":0").contains("\"writes\":[]");
    assertThat(strata.direct.getObjectAsBytes(b -> b.bucket("logs").key("c/over.bin")).asByteArray()).isEqualTo(mine);
  }

  @Test
  void uploadAs_keepsTheirsAndStoresOursUnderANewKey() throws Exception {
    PendingUpload parked = parkConflict("c/copy.bin");
    assertThat(post("/api/uploads/" + parked.id() + "/resolve", "{\"action\":\"upload-as\",\"key\":\"c/copy.mine.bin\"}").statusCode())
        .isEqualTo(200);
    awaitDrained();
    assertThat(strata.direct.getObjectAsBytes(b -> b.bucket("logs").key("c/copy.bin")).asByteArray()).isEqualTo(theirs);
    assertThat(strata.direct.getObjectAsBytes(b -> b.bucket("logs").key("c/copy.mine.bin")).asByteArray()).isEqualTo(mine);
  }

  @Test
  void discard_dropsOurs_andBadRequestsAreJsonErrors() throws Exception {
    PendingUpload parked = parkConflict("c/drop.bin");
    HttpResponse<String> bad = post("/api/uploads/" + parked.id() + "/resolve", "{\"action\":\"merge\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("\"message\"").contains("overwrite, discard or upload-as");
    assertThat(post("/api/uploads/999999/resolve", "{\"action\":\"discard\"}").statusCode()).isEqualTo(404);

    assertThat(post("/api/uploads/" + parked.id() + "/resolve", "{\"action\":\"discard\"}").statusCode()).isEqualTo(200);
    awaitDrained();
    assertThat(strata.client().getObjectAsBytes(b -> b.bucket("logs").key("c/drop.bin")).asByteArray()).isEqualTo(theirs);
  }

  private byte[] mine;
  private byte[] theirs;

  private PendingUpload parkConflict(String key) throws Exception {
    strata.put(key, bytes(500, 1));
    strata.client().headObject(b -> b.bucket("logs").key(key));
    strata.network.cut();
    mine = bytes(600, 2);
    strata.client().putObject(b -> b.bucket("logs").key(key), RequestBody.fromBytes(mine));
    theirs = bytes(700, 3);
    strata.put(key, theirs);
    strata.network.restore();
    UploadQueue queue = strata.bean(UploadQueue.class);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (PendingUpload w : queue.all()) {
        if (w.state() == UploadState.CONFLICT) {
          return w;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no conflict parked");
  }

  private void awaitDrained() throws Exception {
    UploadQueue queue = strata.bean(UploadQueue.class);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!queue.all().isEmpty()) {
      if (System.nanoTime() > deadline) throw new AssertionError("queue not drained: " + queue.all());
      Thread.sleep(50);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(admin.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(admin.resolve(path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
