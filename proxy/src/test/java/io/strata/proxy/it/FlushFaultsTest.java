package io.strata.proxy.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.UploadQueue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The flusher against an upstream that fails: WireMock in front of s3proxy answers some PUTs
 * with 5xx, a reset, or too late, and proxies the rest. Every acknowledged write still arrives,
 * once, byte for byte; WireMock's journal counts the attempts.
 */
class FlushFaultsTest {

  private static final String BUCKET = StrataHarness.BUCKET;
  private static final String INTERNAL_ERROR = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code>"
      + "<Message>We encountered an internal error. Please try again.</Message></Error>";

  @TempDir Path dir;
  WireMockServer wireMock;
  StrataHarness strata;

  @BeforeEach
  void start() throws Exception {
    wireMock = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().preserveHostHeader(true));
    wireMock.start();
    strata = new StrataHarness(dir, Map.of(
        "strata.upstream.endpoint", wireMock.baseUrl(),
        "strata.upstream.read-timeout", "1s",
        "strata.uploads.max-backoff", "2s"));
    wireMock.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(strata.upstream.endpoint().toString())));
    awaitUpstreamHealthy();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      strata.close();
    } finally {
      wireMock.stop();
    }
  }

  @Test
  void put_upstream500Twice_resetOnce_slowOnce_allDelivered_noExtraPuts() throws Exception {
    failPutsOnce("/logs/ff/500.bin", aResponse().withStatus(500).withHeader("Content-Type", "application/xml").withBody(INTERNAL_ERROR), 2);
    failPutsOnce("/logs/ff/reset.bin", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), 1);
    // answered after Strata stopped waiting (read-timeout 1 s): the upstream has it, Strata does not know
    failPutsOnce("/logs/ff/slow.bin", aResponse().proxiedFrom(strata.upstream.endpoint().toString()).withFixedDelay(2_500), 1);
    S3Client s3 = strata.client();
    Map<String, byte[]> last = new LinkedHashMap<>();
    Map<String, Integer> failures = Map.of("ff/500.bin", 2, "ff/reset.bin", 1, "ff/slow.bin", 1, "ff/clean.bin", 0, "ff/twice.bin", 0);
    Random random = new Random(7);
    for (String key : failures.keySet()) {
      byte[] data = new byte[50_000 + random.nextInt(200_000)];
      random.nextBytes(data);
      String etag = s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(data)).eTag();
      assertThat(etag).isEqualTo('"' + md5(data) + '"');
      last.put(key, data);
    }
    byte[] second = "the second version".getBytes(StandardCharsets.UTF_8);
    s3.putObject(b -> b.bucket(BUCKET).key("ff/twice.bin"), RequestBody.fromBytes(second));
    last.put("ff/twice.bin", second);

    awaitQueueEmpty();

    // every stubbed failure really happened
    assertThat(wireMock.getAllScenarios().getScenarios()).extracting(sc -> sc.getName() + " -> " + sc.getState())
        .containsExactlyInAnyOrder("fail /logs/ff/500.bin -> failed 2", "fail /logs/ff/reset.bin -> failed 1",
            "fail /logs/ff/slow.bin -> failed 1");
    for (Map.Entry<String, byte[]> e : last.entrySet()) {
      String key = e.getKey();
      assertThat(strata.direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).as(key).isEqualTo(e.getValue());
      assertThat(strata.direct.headObject(b -> b.bucket(BUCKET).key(key)).eTag()).as(key).isEqualTo('"' + md5(e.getValue()) + '"');
      List<LoggedRequest> puts = puts("/logs/" + key);
      if (key.equals("ff/twice.bin")) {
        // the first version may be superseded before it is sent, or sent and then replaced
        assertThat(puts).as(key).hasSizeBetween(1, 2);
        assertThat(decodedBody(puts.get(puts.size() - 1))).as(key).isEqualTo(second);
        continue;
      }
      int failed = failures.get(key);
      if (key.equals("ff/slow.bin")) {
        // the late answer is a lost response: one more identical PUT (refused by If-None-Match) is allowed
        assertThat(puts).as(key).hasSizeBetween(failed + 1, failed + 2);
      } else {
        assertThat(puts).as(key + " PUTs: failures + 1 success").hasSize(failed + 1);
      }
      for (LoggedRequest put : puts) {
        assertThat(decodedBody(put)).as(key + ": every attempt carries the same bytes").isEqualTo(e.getValue());
        if (put.getHeader("If-None-Match") != null) {
          assertThat(put.getHeader("If-None-Match")).isEqualTo("*");
        }
      }
    }
  }

  @Test
  void put_upstreamFailing_queueShowsRetriesAndLastError_thenDelivered() throws Exception {
    StubMapping failing = wireMock.stubFor(put(urlPathEqualTo("/logs/ff/stuck.bin")).atPriority(1)
        .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/xml")
            .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>ServiceUnavailable</Code>"
                + "<Message>Please reduce your request rate.</Message></Error>")));
    byte[] data = new byte[123_456];
    new Random(9).nextBytes(data);
    strata.client().putObject(b -> b.bucket(BUCKET).key("ff/stuck.bin"), RequestBody.fromBytes(data));
    UploadQueue queue = strata.bean(UploadQueue.class);

    PendingUpload retrying = await(() -> queue.all().stream()
        .filter(w -> w.key().equals("ff/stuck.bin") && w.retryCount() >= 2).findFirst().orElse(null));

    assertThat(retrying.lastError()).isNotBlank();
    assertThat(retrying.nextAttemptAt()).isNotNull();
    assertThat(strata.client().getObjectAsBytes(b -> b.bucket(BUCKET).key("ff/stuck.bin")).asByteArray())
        .as("read-your-writes while it is retried").isEqualTo(data);
    wireMock.removeStub(failing);
    awaitQueueEmpty();
    assertThat(strata.direct.getObjectAsBytes(b -> b.bucket(BUCKET).key("ff/stuck.bin")).asByteArray()).isEqualTo(data);
  }

  /** The first {@code times} PUTs to {@code path} get {@code failure}; later ones fall through to the proxy. */
  private void failPutsOnce(String path, ResponseDefinitionBuilder failure, int times) {
    String scenario = "fail " + path;
    for (int i = 0; i < times; i++) {
      wireMock.stubFor(put(urlPathEqualTo(path)).atPriority(1)
          .inScenario(scenario)
          .whenScenarioStateIs(i == 0 ? STARTED : "failed " + i)
          .willSetStateTo("failed " + (i + 1))
          .willReturn(failure));
    }
  }

  private List<LoggedRequest> puts(String path) {
    List<LoggedRequest> puts = wireMock.getAllServeEvents().stream()
        .map(ServeEvent::getRequest)
        .filter(r -> r.getMethod().getName().equals("PUT") && r.getUrl().split("\\?")[0].equals(path))
        .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate))
        .toList();
    return puts;
  }

  /** The payload of a PUT as the upstream sees it, aws-chunked framing removed. */
  private static byte[] decodedBody(LoggedRequest put) {
    byte[] body = put.getBody();
    String encoding = put.getHeader("Content-Encoding");
    if (encoding == null || !encoding.contains("aws-chunked")) {
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (true) {
      int eol = indexOfCrlf(body, i);
      String sizeLine = new String(body, i, eol - i, StandardCharsets.US_ASCII);
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      i = eol + 2;
      if (size == 0) return out.toByteArray();
      out.write(body, i, size);
      i += size + 2;
    }
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') return i;
    }
    throw new AssertionError("no CRLF in aws-chunked body after " + from);
  }

  private void awaitQueueEmpty() throws Exception {
    UploadQueue queue = strata.bean(UploadQueue.class);
    await(() -> queue.all().isEmpty() ? Boolean.TRUE : null);
  }

  private <T> T await(Supplier<T> probe) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) return value;
      Thread.sleep(50);
    }
    throw new AssertionError("condition not reached within 30 s; queue: " + strata.bean(UploadQueue.class).all());
  }

  /** Strata probed WireMock before the proxy stub existed; wait until it sees the upstream as up. */
  private void awaitUpstreamHealthy() throws Exception {
    strata.put("health.txt", new byte[1]);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (strata.raw("HEAD", "/logs/health.txt").statusCode() != 200) {
      if (System.nanoTime() > deadline) throw new AssertionError("Strata never reached the upstream through WireMock");
      Thread.sleep(50);
    }
    wireMock.resetRequests();
  }

  private static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }
}
