package io.strata.proxy.s3.auth;

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
 * A raw-socket HTTP/1.1 server on 127.0.0.1:0 that records each request as the client put it on
 * the wire (request target unparsed, lower-case header names, body after HTTP chunked framing)
 * and answers 200 with an empty S3 listing, which every operation the tests use accepts.
 */
final class WireCapture implements AutoCloseable {

  /** One request as sent. */
  record Request(String method, String target, Map<String, String> headers, byte[] body) {

    /** The request as {@link SigV4Verifier} sees it: the raw path and query, split at '?'. */
    SignedRequest signed() {
      int q = target.indexOf('?');
      return new SignedRequest(method, q < 0 ? target : target.substring(0, q),
          q < 0 ? null : target.substring(q + 1), headers);
    }
  }

  private static final byte[] LISTING = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket</Name>"
      + "<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
      + "</ListBucketResult>").getBytes(StandardCharsets.UTF_8);

  private final ServerSocket server;
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

  WireCapture() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "wire-capture");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  Request take() throws InterruptedException {
    Request r = requests.poll(30, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request captured within 30 s");
    }
    return r;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread t = new Thread(() -> serve(socket), "wire-capture-conn");
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
      for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
        String[] requestLine = line.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
          int colon = h.indexOf(':');
          headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              h.substring(colon + 1).trim(), (a, b) -> a + "," + b);
        }
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        byte[] body = headers.containsKey("content-length")
            ? in.readNBytes(Integer.parseInt(headers.get("content-length")))
            : "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
                ? readHttpChunked(in) : new byte[0];
        requests.add(new Request(requestLine[0], requestLine[1], headers, body));
        boolean head = requestLine[0].equals("HEAD");
        out.write(("HTTP/1.1 200 OK\r\nETag: \"d41d8cd98f00b204e9800998ecf8427e\"\r\n"
            + "Content-Type: application/xml\r\nx-amz-request-id: capture\r\n"
            + "Content-Length: " + (head ? 0 : LISTING.length) + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        if (!head) {
          out.write(LISTING);
        }
        out.flush();
      }
    } catch (IOException e) {
      // The client went away; nothing more to record.
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
          // HTTP trailers: none expected.
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
        // Header values may carry UTF-8 (x-amz-meta-*); the request target is ASCII.
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
