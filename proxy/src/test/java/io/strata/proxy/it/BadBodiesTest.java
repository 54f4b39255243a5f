package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.uploads.UploadQueue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PUT bodies that fail verification, over raw sockets: each is refused with S3's error, and
 * leaves nothing behind (no queued write, no file, the key still absent), and the server keeps
 * serving the same connection or closes it, never reading a rejected body as the next request.
 */
class BadBodiesTest {

  private static final byte[] OBJECT = "hello, strata".getBytes(StandardCharsets.UTF_8);
  private static final String KEY = "bad/body.bin";

  @TempDir static Path dir;
  static StrataHarness strata;
  final byte[] body = bytes(10_000, 3);

  @BeforeAll
  static void start() throws Exception {
    // Hand-written raw requests test HTTP and body handling, not signatures (AuthenticationTest
    // covers those): anonymous access lets them through unsigned.
    strata = new StrataHarness(dir, java.util.Map.of("strata.auth.anonymous", "true"));
    strata.put("ok.txt", OBJECT);
  }

  @AfterAll
  static void stop() throws Exception {
    strata.close();
  }

  @AfterEach
  void nothingLeftBehind_andStillServing() throws Exception {
    UploadQueue queue = strata.bean(UploadQueue.class);
    long deadline = System.nanoTime() + 5_000_000_000L; // a dropped connection is noticed asynchronously
    while (!(queue.all().isEmpty() && files("staging").isEmpty() && files("data").isEmpty()) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(queue.all()).isEmpty();
    assertThat(queue.pendingBytes()).isZero();
    assertThat(files("staging")).isEmpty();
    assertThat(files("data")).isEmpty();
    assertThat(RawHttp.send(strata.endpoint(), "GET", "/logs/" + KEY, "127.0.0.1").status()).isEqualTo(404);
    RawHttp.Response ok = RawHttp.send(strata.endpoint(), "GET", "/logs/ok.txt", "127.0.0.1");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(OBJECT);
  }

  @Test
  void put_wrongContentMd5_isBadDigest() throws Exception {
    String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(OBJECT));
    assertRefused(plainPut(body, "Content-MD5", wrong), 400, "BadDigest");
  }

  @Test
  void put_malformedContentMd5_isInvalidDigest() throws Exception {
    assertRefused(plainPut(body, "Content-MD5", "not-base64-md5!"), 400, "InvalidDigest");
  }

  @Test
  void put_contentMd5OfWrongLength_isInvalidDigest() throws Exception {
    assertRefused(plainPut(body, "Content-MD5", Base64.getEncoder().encodeToString(new byte[8])), 400, "InvalidDigest");
  }

  @Test
  void put_wrongContentSha256_isXAmzContentSHA256Mismatch() throws Exception {
    String wrong = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(OBJECT));
    assertRefused(plainPut(body, "x-amz-content-sha256", wrong), 400, "XAmzContentSHA256Mismatch");
  }

  @Test
  void put_bodyShorterThanContentLength_clientCloses_nothingStored() throws Exception {
    String head = "PUT /logs/" + KEY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length + "\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", strata.endpoint().getPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();
      socket.shutdownOutput(); // the client gives up half way
      String status = readStatusLineOrNull(socket.getInputStream());
      assertThat(status).as("no success for half a body").satisfiesAnyOf(
          s -> assertThat(s).isNull(), s -> assertThat(s).doesNotContain(" 200 "));
    }
  }

  @Test
  void put_awsChunked_validTrailer_isAccepted_controlCase() throws Exception {
    // The control for the two broken variants below: the same framing, well-formed, is a 200.
    RawHttp.Response r = RawHttp.exchange(strata.endpoint(), chunkedPut(chunkedBody(body, crc32(body), false)), false);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.headers().get("etag")).isEqualTo('"' + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + '"');
    assertThat(strata.client().getObjectAsBytes(b -> b.bucket("logs").key(KEY)).asByteArray()).isEqualTo(body);
    // leave nothing for the checks after each test (which wait for both writes to be flushed)
    strata.client().deleteObject(b -> b.bucket("logs").key(KEY));
  }

  @Test
  void put_awsChunked_brokenFraming_is400() throws Exception {
    RawHttp.Response r = RawHttp.exchange(strata.endpoint(), chunkedPut(chunkedBody(body, crc32(body), true)), false);
    assertS3Error(r, 400, null);
  }

  @Test
  void put_awsChunked_wrongTrailerChecksum_isBadDigest() throws Exception {
    RawHttp.Response r = RawHttp.exchange(strata.endpoint(), chunkedPut(chunkedBody(body, crc32(OBJECT), false)), false);
    assertS3Error(r, 400, "BadDigest");
  }

  @Test
  void rejectedBody_onKeepAliveConnection_isNeverParsedAsTheNextRequest() throws Exception {
    // the rejected body looks like a request; a server that stopped reading early must not run it
    byte[] smuggled = "DELETE /logs/ok.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    String head = "PUT /logs/" + KEY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-MD5: garbage\r\nContent-Length: "
        + smuggled.length + "\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", strata.endpoint().getPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(smuggled);
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(readStatusLineOrNull(in)).startsWith("HTTP/1.1 400");
      boolean closing = skipHeadersAndBody(in);
      if (!closing) {
        // kept open: then the body was consumed, and the next request is the next request
        out.write("GET /logs/ok.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readStatusLineOrNull(in)).startsWith("HTTP/1.1 200");
      }
    }
    assertThat(strata.bean(UploadQueue.class).all()).as("no DELETE was queued").isEmpty();
  }

  @Test
  void rejectedBody_pipelinedNextRequest_getsItsResponseInOrder() throws Exception {
    byte[] smuggled = "DELETE /logs/ok.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    String head = "PUT /logs/" + KEY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-MD5: garbage\r\nContent-Length: "
        + smuggled.length + "\r\n\r\n";
    String get = "GET /logs/ok.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    for (int i = 0; i < 10; i++) {
      try (Socket socket = new Socket("127.0.0.1", strata.endpoint().getPort())) {
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(concat(concat(head.getBytes(StandardCharsets.US_ASCII), smuggled), get.getBytes(StandardCharsets.US_ASCII)));
        out.flush();
        InputStream in = socket.getInputStream();
        assertThat(readStatusLineOrNull(in)).as("attempt %d: first response", i).startsWith("HTTP/1.1 400");
        if (!skipHeadersAndBody(in)) {
          assertThat(readStatusLineOrNull(in)).as("attempt %d: second response", i).startsWith("HTTP/1.1 200");
        }
      }
    }
  }

  private byte[] plainPut(byte[] payload, String... headers) {
    StringBuilder head = new StringBuilder("PUT /logs/" + KEY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Length: " + payload.length + "\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    head.append("\r\n");
    return concat(head.toString().getBytes(StandardCharsets.US_ASCII), payload);
  }

  /** An SDK-style unsigned aws-chunked PUT with a CRC32 trailer. */
  private byte[] chunkedPut(byte[] encoded) {
    String head = "PUT /logs/" + KEY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Length: " + encoded.length + "\r\n"
        + "x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n"
        + "Content-Encoding: aws-chunked\r\n"
        + "x-amz-decoded-content-length: " + body.length + "\r\n"
        + "x-amz-trailer: x-amz-checksum-crc32\r\n\r\n";
    return concat(head.getBytes(StandardCharsets.US_ASCII), encoded);
  }

  /** Two data chunks, the final chunk, and the trailer; {@code broken} gives the second a bad size line. */
  private static byte[] chunkedBody(byte[] payload, String crc32Base64, boolean broken) {
    int half = payload.length / 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(payload, 0, half);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    String size = broken ? "zz" : Integer.toHexString(payload.length - half);
    out.writeBytes((size + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(payload, half, payload.length - half);
    out.writeBytes(("\r\n0\r\nx-amz-checksum-crc32:" + crc32Base64 + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static String crc32(byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(data);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private void assertRefused(byte[] request, int status, String code) throws IOException {
    assertS3Error(RawHttp.exchange(strata.endpoint(), request, false), status, code);
  }

  private static void assertS3Error(RawHttp.Response r, int status, String code) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.text()).startsWith("<?xml").contains("<Error>").doesNotContain("Exception");
    if (code != null) {
      assertThat(r.text()).contains("<Code>" + code + "</Code>");
    }
    assertThat(r.headers()).containsKey("x-amz-request-id");
  }

  private static String readStatusLineOrNull(InputStream in) throws IOException {
    try {
      String line = readLine(in);
      return line.isEmpty() ? null : line;
    } catch (SocketTimeoutException | java.net.SocketException e) {
      return null;
    }
  }

  /** Reads past one response; returns whether it announced {@code Connection: close}. */
  private static boolean skipHeadersAndBody(InputStream in) throws IOException {
    long length = 0;
    boolean close = false;
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Long.parseLong(line.substring(15).trim());
      } else if (line.regionMatches(true, 0, "connection:", 0, 11)) {
        close = line.substring(11).trim().equalsIgnoreCase("close");
      }
    }
    in.readNBytes((int) length);
    return close;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') line.write(c);
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static List<Path> files(String sub) throws IOException {
    Path d = dir.resolve("uploads").resolve(sub);
    if (!Files.isDirectory(d)) return List.of();
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
