package io.strata.proxy.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.strata.cache.ObjectVersion;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * WireMock in front of the real upstream (s3proxy): everything is proxied through unchanged
 * except what a test stubs (a 5xx, a reset, garbage), and WireMock's request journal counts what
 * really reached the upstream.
 *
 * <p>Strata signs for WireMock's host:port; WireMock keeps that Host header when it proxies
 * ({@code preserveHostHeader}), so s3proxy's SigV4 check still passes.
 */
class WireMockFaultsTest {

  private static final String KEY = "f.bin";
  private static final String PATH = "/" + StrataHarness.BUCKET + "/" + KEY;
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  WireMockServer wireMock;
  StrataHarness strata;
  byte[] data;

  @BeforeEach
  void start() throws Exception {
    wireMock = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().preserveHostHeader(true));
    wireMock.start();
    // Strata's upstream is WireMock; the harness's own upstream is what WireMock proxies to.
    strata = new StrataHarness(dir, Map.of("strata.upstream.endpoint", wireMock.baseUrl()));
    wireMock.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(strata.upstream.endpoint().toString())));
    data = new byte[3 * MIB + 4321];
    new Random(21).nextBytes(data);
    strata.put(KEY, data);
    awaitUpstreamHealthy();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      strata.assertCacheConsistent();
    } finally {
      strata.close();
      wireMock.stop();
    }
  }

  @Test
  void rangedGet_upstream500_clientGetsInternalErrorXml_nothingCached_thenRecovers() throws Exception {
    strata.raw("HEAD", PATH); // object metadata known, so only the block fetch fails
    StubMapping failing =
        wireMock.stubFor(get(urlPathEqualTo(PATH)).withHeader("Range", matching("bytes=.*")).atPriority(1)
            .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code>"
                    + "<Message>We encountered an internal error. Please try again.</Message></Error>")));

    HttpResponse<byte[]> r = strata.raw("GET", PATH, "Range", "bytes=100-199");

    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(500);
    assertThat(r.headers().firstValue("content-type").orElse("")).contains("xml");
    assertThat(body).contains("<Code>InternalError</Code>").doesNotContain("Exception");
    assertThat(rangedGets()).as("Strata asked the upstream, at most with one retry").isBetween(1L, 2L);
    strata.assertCacheConsistent();
    assertThat(strata.cache().contains(version().block(0))).isFalse();

    wireMock.removeStub(failing);
    HttpResponse<byte[]> again = strata.raw("GET", PATH, "Range", "bytes=100-199");
    assertThat(again.statusCode()).isEqualTo(206);
    assertThat(again.body()).isEqualTo(Arrays.copyOfRange(data, 100, 200));
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "RANDOM_DATA_THEN_CLOSE", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK"})
  void rangedGet_upstreamFault_neverWrongBytes_nothingPartialCached(Fault fault) throws Exception {
    strata.raw("HEAD", PATH);
    StubMapping failing =
        wireMock.stubFor(get(urlPathEqualTo(PATH)).withHeader("Range", matching("bytes=.*")).atPriority(1)
            .willReturn(aResponse().withFault(fault)));

    int from = MIB + 17;
    int to = 2 * MIB + 99; // spans two blocks
    try {
      HttpResponse<byte[]> r = strata.raw("GET", PATH, "Range", "bytes=" + from + "-" + to);
      if (r.statusCode() == 206) {
        // only acceptable if the bytes are right (e.g. a retry succeeded)
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(data, from, to + 1));
      } else {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(body).isBetween(500, 599);
        assertThat(body).startsWith("<?xml").contains("<Code>").doesNotContain("Exception");
      }
    } catch (IOException truncated) {
      // a response cut mid-body is an error the client sees; never silently wrong bytes
    }
    strata.assertCacheConsistent();
    ObjectVersion version = version();
    assertThat(strata.cache().contains(version.block(1))).as("block 1").isFalse();
    assertThat(strata.cache().contains(version.block(2))).as("block 2").isFalse();

    wireMock.removeStub(failing);
    // A reset after connecting is a failed request (500), not an outage; a fault that looks like
    // one (no answer) marks the upstream offline until the next probe, 200 ms here.
    HttpResponse<byte[]> again = awaitStatus(206, "bytes=" + from + "-" + to);
    assertThat(again.body()).isEqualTo(Arrays.copyOfRange(data, from, to + 1));
  }

  @Test
  void cachedRanges_reread_makeNoUpstreamGets() throws Exception {
    String[] ranges = {"bytes=0-99", "bytes=-8", "bytes=" + MIB + "-" + (2 * MIB + 5), "bytes=3000000-3000999"};
    for (String range : ranges) {
      assertThat(strata.raw("GET", PATH, "Range", range).statusCode()).isEqualTo(206);
    }
    assertThat(strata.raw("GET", PATH).body()).isEqualTo(data);
    assertThat(rangedGets()).as("warm-up reached the upstream").isPositive();
    strata.assertCacheConsistent(); // the last block is committed just after the response ends
    wireMock.resetRequests();

    for (String range : ranges) {
      HttpResponse<byte[]> r = strata.raw("GET", PATH, "Range", range);
      assertThat(r.statusCode()).isEqualTo(206);
      assertThat(r.headers().firstValue("x-strata-cache").orElse("")).as(range).startsWith("hit");
    }
    assertThat(strata.raw("GET", PATH).body()).isEqualTo(data);
    assertThat(strata.raw("HEAD", PATH).statusCode()).isEqualTo(200);

    List<String> gets =
        wireMock.getAllServeEvents().stream()
            .map(ServeEvent::getRequest)
            .filter(req -> req.getMethod().getName().equals("GET") && req.getUrl().startsWith(PATH))
            .map(req -> req.getUrl() + " " + req.getHeader("Range"))
            .toList();
    assertThat(gets).as("object GETs reaching the upstream").isEmpty();
  }

  private HttpResponse<byte[]> awaitStatus(int status, String range) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    HttpResponse<byte[]> r = strata.raw("GET", PATH, "Range", range);
    while (r.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(50);
      r = strata.raw("GET", PATH, "Range", range);
    }
    return r;
  }

  private long rangedGets() {
    return wireMock.getAllServeEvents().stream()
        .map(ServeEvent::getRequest)
        .filter(req -> req.getMethod().getName().equals("GET") && req.getUrl().startsWith(PATH) && req.containsHeader("Range"))
        .count();
  }

  private ObjectVersion version() {
    return strata.cache().object(StrataHarness.BUCKET, KEY).orElseThrow();
  }

  /** Strata probed WireMock before the proxy stub existed; wait until it sees the upstream as up. */
  private void awaitUpstreamHealthy() throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (strata.raw("HEAD", PATH).statusCode() != 200) {
      if (System.nanoTime() > deadline) throw new AssertionError("Strata never reached the upstream through WireMock");
      Thread.sleep(50);
    }
    wireMock.resetRequests();
  }
}
