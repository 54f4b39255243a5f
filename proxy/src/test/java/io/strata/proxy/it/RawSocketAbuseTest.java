package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that misbehave at the socket level: too slow, gone mid-download, not reading, or
 * sending a thousand kinds of broken HTTP. Each is answered with a 4xx S3 XML error or cut off,
 * never a 5xx, and afterwards the server serves normally with no file descriptor left behind.
 *
 * <p>The limits are short here (2 s for heads and bodies, 3 s for unread responses, 4 s idle) so
 * that the clocks are seen to work; assertions only bound what must happen eventually, with room
 * for a loaded machine.
 */
class RawSocketAbuseTest {

  private static final int BIG = 24 << 20;
  private static final byte[] OK = "hello, strata".getBytes(StandardCharsets.UTF_8);
  private static final Duration HANG = Duration.ofSeconds(20);
  /** File descriptors a settled server may hold beyond the baseline (pool churn, GC timing). */
  private static final int FD_SLACK = 12;

  @TempDir static Path dir;
  static StrataHarness strata;
  static byte[] big;

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir, Map.of(
        "strata.auth.anonymous", "true",
        "strata.s3.header-timeout", "2s",
        "strata.s3.body-timeout", "2s",
        "strata.s3.write-timeout", "3s",
        "strata.s3.idle-timeout", "4s"));
    big = new byte[BIG];
    new Random(7).nextBytes(big);
    strata.put("big.bin", big);
    strata.put("ok.bin", OK);
    // Cache the big object whole, so downloads below are served from block files.
    assertThat(strata.raw("GET", "/logs/big.bin").body()).isEqualTo(big);
    strata.assertCacheConsistent();
  }

  @AfterAll
  static void stop() throws Exception {
    strata.close();
  }

  @Test
  void slowLoris_oneHeaderBytePerSecond_isCutOffByTheHeadTimeout() throws Exception {
    byte[] request = "GET /logs/ok.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: loris\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    AtomicInteger sent = new AtomicInteger();
    try (Socket socket = connect()) {
      socket.setSoTimeout((int) HANG.toMillis());
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = socket.getOutputStream();
          for (byte b : request) {
            out.write(b);
            out.flush();
            sent.incrementAndGet();
            Thread.sleep(1000);
          }
        } catch (IOException | InterruptedException stopped) {
          // cut off, as intended
        }
      });
      writer.start();
      RawExchange.Outcome outcome = RawExchange.read(socket.getInputStream(), false);
      writer.interrupt();
      writer.join();
      if (outcome instanceof RawExchange.Answer answer) {
        assertS3Error(answer);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).contains("<Code>RequestTimeout</Code>");
        assertThat(answer.headers()).containsEntry("connection", "close");
      }
      assertClosed(socket);
    }
    assertThat(sent.get()).as("bytes of the head sent before the cut").isLessThan(request.length);
  }

  @Test
  void keptAliveConnection_leftIdle_isClosed() throws Exception {
    try (Socket socket = connect()) {
      socket.setSoTimeout((int) HANG.toMillis());
      socket.getOutputStream().write(get("/logs/ok.bin"));
      RawExchange.Outcome outcome = RawExchange.read(socket.getInputStream(), false);
      assertThat(outcome).isInstanceOfSatisfying(RawExchange.Answer.class, a -> assertThat(a.body()).isEqualTo(OK));
      assertClosed(socket); // idle limit 4 s, well inside the read timeout
    }
  }

  @Test
  void stalledRequestBody_failsWithRequestTimeout_andCloses() throws Exception {
    try (Socket socket = connect()) {
      socket.setSoTimeout((int) HANG.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("PUT /logs/stalled.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n0123456789")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      RawExchange.Outcome outcome = RawExchange.read(socket.getInputStream(), false);
      assertThat(outcome).isInstanceOfSatisfying(RawExchange.Answer.class, a -> {
        assertS3Error(a);
        assertThat(a.text()).contains("<Code>RequestTimeout</Code>");
      });
      assertClosed(socket);
    }
    assertThat(strata.raw("GET", "/logs/stalled.bin").statusCode()).isEqualTo(404);
  }

  @Test
  void clientThatStopsReading_isDisconnected_andLeaksNothing() throws Exception {
    int baseline = settledFds(Integer.MAX_VALUE);
    long received = 0;
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(32 << 10);
      socket.connect(new InetSocketAddress("127.0.0.1", strata.endpoint().getPort()));
      socket.setSoTimeout((int) HANG.toMillis());
      socket.getOutputStream().write(get("/logs/big.bin"));
      socket.getOutputStream().flush();
      Thread.sleep(10_000); // write limit 3 s: the server gives up long before this
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[64 << 10];
      try {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          received += n;
        }
      } catch (SocketException reset) {
        // also a disconnect
      }
    }
    assertThat(received).as("bytes received before the disconnect").isLessThan(BIG);
    assertServesNormally();
    settledFds(baseline + FD_SLACK);
  }

  @Test
  void clientResettingMidDownload_leaksNoFileHandles() throws Exception {
    int baseline = settledFds(Integer.MAX_VALUE);
    for (int i = 0; i < 20; i++) {
      try (Socket socket = connect()) {
        socket.setSoTimeout((int) HANG.toMillis());
        socket.getOutputStream().write(get("/logs/big.bin"));
        socket.getInputStream().readNBytes(100_000 + i * 50_000);
        socket.setSoLinger(true, 0); // close with RST, mid-body
      }
    }
    assertServesNormally();
    HttpResponse<byte[]> whole = strata.raw("GET", "/logs/big.bin");
    assertThat(whole.headers().firstValue("x-strata-cache")).hasValue("hit");
    assertThat(whole.body()).isEqualTo(big);
    strata.assertCacheConsistent();
    settledFds(baseline + FD_SLACK);
  }

  @Test
  void contentLengthWithChunked_isRefused_andTheSmuggledRequestNeverRuns() throws Exception {
    String smuggled = "GET /logs/ok.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    String request = "POST /logs?delete HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled;
    try (Socket socket = connect()) {
      socket.setSoTimeout((int) HANG.toMillis());
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      RawExchange.Outcome outcome = RawExchange.read(socket.getInputStream(), false);
      assertThat(outcome).isInstanceOfSatisfying(RawExchange.Answer.class, a -> {
        assertS3Error(a);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.text()).contains("<Code>InvalidRequest</Code>").contains("Transfer-Encoding");
      });
      assertThat(socket.getInputStream().readAllBytes()).as("a second response").isEmpty();
    }
  }

  @Test
  void http10Connection_isClosedAfterItsResponse() throws Exception {
    try (Socket socket = connect()) {
      socket.setSoTimeout((int) HANG.toMillis());
      socket.getOutputStream().write(
          "GET /logs/ok.bin HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      RawExchange.Outcome outcome = RawExchange.read(socket.getInputStream(), false);
      assertThat(outcome).isInstanceOfSatisfying(RawExchange.Answer.class, a -> {
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.headers()).containsEntry("connection", "close");
      });
      assertClosed(socket);
    }
  }

  /** S3 ignores a Range it cannot use and serves the whole object; so does Strata, end to end. */
  @Test
  void unusableRangeHeaders_serveTheWholeObjectWith200() throws Exception {
    for (String range : List.of("bytes=0-1,3-4", "bytes=0-1, 5-", "bytes=abc", "bytes=5-2", "items=0-1", "bytes=--1")) {
      HttpResponse<byte[]> r = strata.raw("GET", "/logs/ok.bin", "Range", range);
      assertThat(r.statusCode()).as(range).isEqualTo(200);
      assertThat(r.headers().firstValue("content-range")).as(range).isEmpty();
      assertThat(r.body()).as(range).isEqualTo(OK);
    }
  }

  @Test
  void thousandMalformedRequests_eachRefusedWith4xxOrClosed_thenServesNormally() throws Exception {
    // Warm the upstream connection pool to the parallelism used below, so that it is part of the baseline.
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> warm = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int n = i;
        warm.add(pool.submit(() -> strata.raw("GET", "/logs/missing-" + n)));
      }
      for (Future<?> f : warm) {
        f.get();
      }
      int baseline = settledFds(Integer.MAX_VALUE);

      Random random = new Random(20260101);
      List<byte[]> requests = IntStream.range(0, 1000).mapToObj(i -> hostile(random, i)).toList();
      List<Future<String>> results = new ArrayList<>();
      for (byte[] request : requests) {
        results.add(pool.submit(() -> judge(request)));
      }
      List<String> failures = new ArrayList<>();
      for (Future<String> f : results) {
        String failure = f.get();
        if (failure != null) {
          failures.add(failure);
        }
      }
      assertThat(failures).isEmpty();

      assertServesNormally();
      strata.assertCacheConsistent();
      settledFds(baseline + FD_SLACK);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Null when the server refused {@code request} properly, else what went wrong. */
  private static String judge(byte[] request) {
    String shown = new String(request, 0, Math.min(request.length, 120), StandardCharsets.ISO_8859_1);
    try {
      RawExchange.Outcome outcome = RawExchange.send(strata.endpoint(), request, HANG);
      if (outcome instanceof RawExchange.Answer a) {
        boolean head = shown.startsWith("HEAD ");
        boolean clientError = a.status() >= 400 && a.status() <= 499;
        // 501 NotImplemented is S3's own answer to an unknown method or transfer coding
        boolean notImplemented = a.status() == 501 && a.text().contains("<Code>NotImplemented</Code>");
        if (!clientError && !notImplemented) {
          return a.status() + " for " + shown + "\n" + a.text();
        }
        String type = a.headers().getOrDefault("content-type", "");
        if (head) {
          return a.body().length == 0 ? null : "a body on a HEAD error for " + shown;
        }
        if (!type.contains("xml") || !a.text().contains("<Error>") || a.text().contains("Exception")) {
          return "not an S3 XML error for " + shown + ": " + a.text();
        }
      }
      return null;
    } catch (IOException e) {
      return e + " for " + shown;
    }
  }

  private static final List<String> BAD_REQUEST_LINES = List.of(
      "GET\r\n\r\n", "GET /logs/ok.bin\r\n\r\n", "GET /logs/ok.bin HTTP/1.1 extra\r\nHost: h\r\n\r\n",
      "GET /logs/ok.bin HTTQ/1.1\r\nHost: h\r\n\r\n", "GET logs/ok.bin HTTP/1.1\r\nHost: h\r\n\r\n",
      "GET * HTTP/1.1\r\nHost: h\r\n\r\n", "GET file:///etc/passwd HTTP/1.1\r\nHost: h\r\n\r\n",
      "GET /logs/ok.bin HTTP/2.0\r\nHost: h\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
      "G\u0000T /logs/ok.bin HTTP/1.1\r\nHost: h\r\n\r\n", "GET /logs/ok.bin HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
      "GET /logs/ok.bin HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n", "GET //logs/ok.bin HTTP/1.1\r\nHost: h\r\n\r\n",
      "GET /logs/ok%zz HTTP/1.1\r\nHost: h\r\n\r\n", "\r\n\r\n\r\n");
  private static final List<String> BAD_BUCKETS = List.of(
      "..", ".", "ab", "a..b", "-logs", "logs-", "192.168.5.4", "xn--logs", "%2e%2e", "lo%00gs", "LOGS%2F..",
      "b".repeat(64), "lo gs".replace(" ", "%20"), "%C3%28");
  private static final List<String> BAD_KEYS = List.of(
      "a%00b", "..%2F..%2Fetc%2Fpasswd", "%2e%2e/x", "%2Fabs", "a/./b", "a%0d%0aSet-Cookie:%20x", "x%7F",
      "%C3%28", "%FF%FE", "%ED%A0%80", "k".repeat(1100), "..%5C..%5Cwindows");
  private static final List<String> BAD_CHUNKS = List.of(
      "zz\r\nhello\r\n0\r\n\r\n", "-1\r\nx\r\n0\r\n\r\n", "ffffffffffffffffff\r\n", "5\r\nhel", "\r\n\r\n",
      "1;" + "e".repeat(9000) + "\r\nx\r\n0\r\n\r\n");
  private static final List<String> BAD_LENGTHS = List.of(
      "Content-Length: 5\r\nContent-Length: 6", "Content-Length: -1", "Content-Length: 1e3",
      "Content-Length: 99999999999999999999", "Content-Length: +5", "Content-Length: 5, 5",
      "Transfer-Encoding: chunked, gzip", "Transfer-Encoding: gzip", "Transfer-Encoding: identity",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked",
      "Content-Length: 4\r\nTransfer-Encoding: chunked");

  /** The {@code i}-th hostile request: sixteen kinds in turn, details drawn from {@code r}. */
  private static byte[] hostile(Random r, int i) {
    String head = "HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    String text = switch (i % 16) {
      case 0, 1 -> {
        byte[] junk = new byte[1 + r.nextInt(600)];
        r.nextBytes(junk);
        yield new String(junk, StandardCharsets.ISO_8859_1) + "\r\n\r\n";
      }
      case 2, 3 -> pick(r, BAD_REQUEST_LINES);
      case 4 -> "GET /logs/ok.bin " + head + "X-Big: " + "a".repeat(70_000 + r.nextInt(10_000)) + "\r\n\r\n";
      case 5 -> "GET /logs/" + "k".repeat(9_000 + r.nextInt(20_000)) + " " + head + "\r\n";
      case 6 -> "PUT /logs/chunky.bin " + head + "Transfer-Encoding: chunked\r\n\r\n" + pick(r, BAD_CHUNKS);
      case 7 -> pick(r, List.of("GET", "PUT", "DELETE", "HEAD")) + " /" + pick(r, BAD_BUCKETS) + "/k " + head
          + "Content-Length: 0\r\n\r\n";
      case 8, 9 -> pick(r, List.of("GET", "PUT", "DELETE", "POST")) + " /logs/" + pick(r, BAD_KEYS)
          + (r.nextBoolean() ? "?uploads" : "") + " " + head + "Content-Length: 0\r\n\r\n";
      case 10 -> "GET /logs/raw\u0000nul " + head + "\r\n";
      case 11 -> "PUT /logs/framing.bin " + head + pick(r, BAD_LENGTHS) + "\r\n\r\n0\r\n\r\nhello";
      case 12 -> "PUT /logs/short.bin " + head + "Content-Length: 100\r\n\r\n0123456789";
      case 13 -> "PUT /logs/..%2F..%2Fexpect " + head + "Expect: 100-continue\r\nContent-Length: 1000000\r\n\r\n";
      case 14 -> "GET /logs?list-type=2&prefix=" + pick(r, List.of("a%00", "%C3%28", "%zz")) + " " + head + "\r\n";
      default -> "GET /logs/ok.bin " + head + "X-Nul: a\u0000b\r\nX-Ctl: \u0001\u0002\r\n\r\n";
    };
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static <T> T pick(Random r, List<T> options) {
    return options.get(r.nextInt(options.size()));
  }

  private static void assertS3Error(RawExchange.Answer a) {
    assertThat(a.status()).as(a.text()).isBetween(400, 499);
    assertThat(a.headers().get("content-type")).contains("xml");
    assertThat(a.headers()).containsKey("x-amz-request-id");
    assertThat(a.text()).startsWith("<?xml").contains("<Error>").doesNotContain("Exception");
  }

  private static void assertServesNormally() throws Exception {
    try (Socket socket = connect()) {
      socket.setSoTimeout((int) HANG.toMillis());
      socket.getOutputStream().write(get("/logs/ok.bin"));
      RawExchange.Outcome outcome = RawExchange.read(socket.getInputStream(), false);
      assertThat(outcome).isInstanceOfSatisfying(RawExchange.Answer.class, a -> {
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo(OK);
      });
    }
  }

  /** The server closes: EOF, or a reset, well before the read timeout. */
  private static void assertClosed(Socket socket) throws IOException {
    try {
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    } catch (SocketException reset) {
      // closed too
    }
  }

  private static Socket connect() throws IOException {
    URI endpoint = strata.endpoint();
    return new Socket(endpoint.getHost(), endpoint.getPort());
  }

  private static byte[] get(String path) {
    return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * This JVM's open file descriptors (Strata runs in it) once they stop falling, failing unless they
   * reach {@code atMost} within 20 s; skips the test where {@code /proc/self/fd} does not exist.
   */
  private static int settledFds(int atMost) throws Exception {
    Path fds = Path.of("/proc/self/fd");
    Assumptions.assumeTrue(Files.isDirectory(fds), "counting file descriptors needs Linux /proc");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int previous = Integer.MAX_VALUE;
    while (true) {
      int count;
      try (Stream<Path> open = Files.list(fds)) {
        count = (int) open.count();
      }
      boolean settled = count >= previous && count <= atMost;
      if (settled || System.nanoTime() > deadline) {
        assertThat(count).as("open file descriptors").isLessThanOrEqualTo(atMost);
        return count;
      }
      previous = count;
      Thread.sleep(500);
    }
  }
}
