package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection over a blocking socket: the cheapest client the JDK offers,
 * so that with two cores shared by every party the load generator costs as little CPU as it can.
 * A response body is read into a reused scratch buffer and dropped (or handed to a sink).
 *
 * <p>Why not {@code java.net.http.HttpClient}: it allocates per request and hops threads; a
 * blocking socket per connection spends its time in {@code read(2)} like {@code wrk} does.
 */
final class HttpConnection implements AutoCloseable {

  /** Receives body bytes; {@code null} to discard them. */
  interface BodySink {
    void accept(byte[] buffer, int offset, int length) throws IOException;
  }

  /** Status, and the body length actually read. */
  record Response(int status, long bodyBytes, String contentRange) {}

  private static final int BUFFER = 64 * 1024;

  private final String host;
  private final int port;
  private final byte[] scratch = new byte[BUFFER];
  private final StringBuilder line = new StringBuilder(128);
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  HttpConnection(URI endpoint) {
    requireNonNull(endpoint, "endpoint");
    this.host = endpoint.getHost();
    this.port = endpoint.getPort();
  }

  /** GET {@code path} with an optional Range header value ({@code bytes=a-b}); body discarded. */
  Response get(String path, String range) throws IOException {
    return exchange("GET", path, range, null, 0, null);
  }

  Response get(String path, String range, BodySink sink) throws IOException {
    return exchange("GET", path, range, null, 0, sink);
  }

  /** PUT a body of {@code length} bytes read from {@code body}. */
  Response put(String path, InputStream body, long length) throws IOException {
    return exchange("PUT", path, null, body, length, null);
  }

  private Response exchange(String method, String path, String range, InputStream body, long length, BodySink sink)
      throws IOException {
    try {
      return exchangeOnce(method, path, range, body, length, sink);
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private Response exchangeOnce(String method, String path, String range, InputStream body, long length,
      BodySink sink) throws IOException {
    connectIfNeeded();
    StringBuilder head = new StringBuilder(160)
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append(':').append(port).append("\r\n");
    if (range != null) {
      head.append("Range: ").append(range).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(length).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    if (body != null) {
      long left = length;
      while (left > 0) {
        int n = body.read(scratch, 0, (int) Math.min(scratch.length, left));
        if (n < 0) {
          throw new EOFException("request body ended " + left + " bytes early");
        }
        out.write(scratch, 0, n);
        left -= n;
      }
    }
    out.flush();

    String statusLine = readLine();
    if (statusLine == null) {
      throw new EOFException("connection closed before the status line");
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long contentLength = -1;
    boolean chunked = false;
    boolean close = false;
    String contentRange = null;
    for (String header = readLine(); header != null && !header.isEmpty(); header = readLine()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        case "content-range" -> contentRange = value;
        default -> {}
      }
    }
    long read;
    if (method.equals("HEAD") || status == 204 || status == 304) {
      read = 0;
    } else if (chunked) {
      read = readChunked(sink);
    } else if (contentLength >= 0) {
      read = readBody(contentLength, sink);
    } else {
      read = readBody(Long.MAX_VALUE, sink);
      close = true;
    }
    if (close) {
      close();
    }
    return new Response(status, read, contentRange);
  }

  private long readChunked(BodySink sink) throws IOException {
    long total = 0;
    while (true) {
      String size = readLine();
      if (size == null) {
        throw new EOFException("chunked body ended early");
      }
      int semicolon = size.indexOf(';');
      long chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (chunk == 0) {
        for (String trailer = readLine(); trailer != null && !trailer.isEmpty(); trailer = readLine()) {
          // trailers are ignored
        }
        return total;
      }
      total += readBody(chunk, sink);
      readLine(); // CRLF after each chunk
    }
  }

  private long readBody(long length, BodySink sink) throws IOException {
    long left = length;
    long total = 0;
    while (left > 0) {
      int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
      if (n < 0) {
        if (length == Long.MAX_VALUE) {
          return total;
        }
        throw new EOFException("body ended after " + total + " of " + length + " bytes");
      }
      if (sink != null) {
        sink.accept(scratch, 0, n);
      }
      left -= n;
      total += n;
    }
    return total;
  }

  private String readLine() throws IOException {
    line.setLength(0);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) c);
    }
    return line.length() == 0 ? null : line.toString();
  }

  /** Opens the connection now rather than with the first request. */
  void connect() throws IOException {
    connectIfNeeded();
  }

  private void connectIfNeeded() throws IOException {
    if (socket != null) {
      return;
    }
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress(host, port), 5_000);
    s.setSoTimeout(120_000);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), BUFFER);
    out = new BufferedOutputStream(s.getOutputStream(), 8 * 1024);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a socket we are done with
      }
      socket = null;
    }
  }
}
