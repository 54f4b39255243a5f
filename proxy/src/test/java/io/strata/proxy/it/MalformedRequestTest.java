package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests no SDK sends, over raw sockets: every one gets an S3 XML error (never a stack trace
 * or an HTML page), and the server keeps serving afterwards.
 */
class MalformedRequestTest {

  private static final byte[] OBJECT = "hello, strata".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  static StrataHarness strata;

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
  void stillServing() throws Exception {
    RawHttp.Response r = RawHttp.send(strata.endpoint(), "GET", "/logs/ok.txt", "127.0.0.1");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(OBJECT);
    strata.assertCacheConsistent();
  }

  @Test
  void garbageRequestLine_is400XmlError() throws Exception {
    RawHttp.Response r = exchange("THIS IS NOT HTTP AT ALL\r\n\r\n");
    assertS3Error(r, 400, 400);
  }

  @Test
  void binaryGarbage_is400XmlError_orClosed() throws Exception {
    byte[] junk = new byte[512];
    new java.util.Random(5).nextBytes(junk);
    junk[junk.length - 4] = '\r';
    junk[junk.length - 3] = '\n';
    junk[junk.length - 2] = '\r';
    junk[junk.length - 1] = '\n';
    try {
      assertS3Error(RawHttp.exchange(strata.endpoint(), junk, false), 400, 499);
    } catch (IOException closed) {
      // closing a connection that never spoke HTTP is acceptable too
    }
  }

  @Test
  void invalidPercentEncoding_isInvalidArgument() throws Exception {
    RawHttp.Response r = RawHttp.send(strata.endpoint(), "GET", "/logs/%zz", "127.0.0.1");
    assertS3Error(r, 400, 400);
    assertThat(r.text()).contains("<Code>InvalidArgument</Code>");
  }

  @Test
  void truncatedPercentEncoding_isInvalidArgument() throws Exception {
    RawHttp.Response r = RawHttp.send(strata.endpoint(), "GET", "/logs/ok%2", "127.0.0.1");
    assertS3Error(r, 400, 400);
  }

  @Test
  void unsupportedWriteWithBody_is501NotImplemented_andConnectionClosed() throws Exception {
    byte[] body = new byte[10_000];
    // CopyObject is not implemented; its (unexpected) body is never read
    String head =
        "PUT /logs/new.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
            + "x-amz-copy-source: /logs/other.bin\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", strata.endpoint().getPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      // keep-alive was asked for (HTTP/1.1 default), yet the server must close: the unread body
      // would otherwise be parsed as the next request
      String all;
      try {
        all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the connection was left open after a request with an unread body", e);
      }
      assertThat(all).startsWith("HTTP/1.1 501 ");
      assertThat(all).containsIgnoringCase("content-type: application/xml").contains("<Code>NotImplemented</Code>");
      assertThat(all).doesNotContain("Exception").doesNotContainIgnoringCase("<html");
    }
    assertThat(strata.direct.listObjectsV2(b -> b.bucket(StrataHarness.BUCKET)).contents())
        .extracting(o -> o.key()).doesNotContain("new.bin");
  }

  @Test
  void overlongHeader_isXmlError() throws Exception {
    String request = "GET /logs/ok.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(100_000) + "\r\nConnection: close\r\n\r\n";
    RawHttp.Response r = exchange(request);
    assertS3Error(r, 400, 431);
  }

  @Test
  void overlongRequestLine_isXmlError() throws Exception {
    String request = "GET /logs/" + "k".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    RawHttp.Response r = exchange(request);
    assertS3Error(r, 400, 414);
  }

  @Test
  void options_isXmlError() throws Exception {
    RawHttp.Response r = RawHttp.send(strata.endpoint(), "OPTIONS", "/logs/ok.txt", "127.0.0.1");
    assertS3Error(r, 400, 501);
  }

  @Test
  void unknownMethod_isXmlError() throws Exception {
    RawHttp.Response r = RawHttp.send(strata.endpoint(), "BREW", "/logs/ok.txt", "127.0.0.1");
    assertS3Error(r, 400, 501);
  }

  private static RawHttp.Response exchange(String request) throws IOException {
    URI endpoint = strata.endpoint();
    return RawHttp.exchange(endpoint, request.getBytes(StandardCharsets.ISO_8859_1), false);
  }

  private static void assertS3Error(RawHttp.Response r, int minStatus, int maxStatus) {
    String text = r.text();
    assertThat(r.status()).as(text).isBetween(minStatus, maxStatus);
    assertThat(r.headers().get("content-type")).as(text).contains("xml");
    assertThat(r.headers()).containsKey("x-amz-request-id");
    assertThat(text).startsWith("<?xml").contains("<Error>").contains("<Code>").contains("<RequestId>");
    assertThat(text).doesNotContain("Exception").doesNotContain("\tat ").doesNotContainIgnoringCase("<html");
  }
}
