package io.strata.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP/1.1 server on 127.0.0.1:0 that records each request's headers and raw body (after
 * undoing HTTP {@code Transfer-Encoding: chunked}, which is not the aws-chunked framing) and
 * answers 200 with an ETag, so a real AWS SDK client can be pointed at it.
 */
public final class CaptureServer implements AutoCloseable {

  /**
   * One recorded request: the request target unparsed (still percent-encoded), lower-case header
   * names (repeated headers joined with commas), and the body exactly as framed by the client.
   */
  public record Captured(String method, String target, Map<String, String> headers, byte[] body) {}

  /** Answers every non-HEAD request; an empty listing satisfies every S3 operation the tests use. */
  private static final byte[] EMPTY_LISTING = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket</Name>"
      + "<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
      + "</ListBucketResult>").getBytes(StandardCharsets.UTF_8);

  private final ServerSocket server;
  private final BlockingQueue<Captured> captured = new LinkedBlockingQueue<>();
  private final Thread acceptor;

  public CaptureServer() throws IOException {
    this(null);
  }

  /** With a TLS context, serves HTTPS: SDKs send unsigned (trailer) payloads only over TLS. */
  public CaptureServer(javax.net.ssl.SSLContext tls) throws IOException {
    server = tls == null
        ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
        : tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "capture-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The plain-HTTP endpoint URL. */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  public Captured take() throws InterruptedException {
    Captured c = captured.poll(30, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no request captured within 30 s");
    }
    return c;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread t = new Thread(() -> serve(socket), "capture-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
          return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
          int colon = line.indexOf(':');
          headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).trim(), (a, b) -> a + "," + b);
        }
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
          body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
          body = readHttpChunked(in);
        } else {
          body = new byte[0];
        }
        String[] parts = requestLine.split(" ");
        captured.add(new Captured(parts[0], parts[1], headers, body));
        boolean head = parts[0].equals("HEAD");
        out.write(("HTTP/1.1 200 OK\r\nETag: \"d41d8cd98f00b204e9800998ecf8427e\"\r\n"
            + "Content-Type: application/xml\r\nx-amz-request-id: capture\r\n"
            + "Content-Length: " + (head ? 0 : EMPTY_LISTING.length) + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        if (!head) {
          out.write(EMPTY_LISTING);
        }
        out.flush();
      }
    } catch (IOException e) {
      // The client went away; nothing to record.
    }
  }

  private static byte[] readHttpChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
      if (size == 0) {
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
          // HTTP trailers: none expected from the SDK.
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
