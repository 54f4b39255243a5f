package io.strata.proxy.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** HTTP/1.1 over a plain socket, for requests a normal client will not send (any Host, malformed lines). */
final class RawHttp {

  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {}

  static Response send(URI endpoint, String method, String path, String host, String... headers) throws IOException {
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    request.append("\r\n");
    return exchange(endpoint, request.toString().getBytes(StandardCharsets.UTF_8), "HEAD".equals(method));
  }

  /** Sends exactly {@code bytes} and reads the answer until the server closes or the body ends. */
  static Response exchange(URI endpoint, byte[] bytes, boolean head) throws IOException {
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = readLine(in);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, String> h = new TreeMap<>();
      String line;
      while (!(line = readLine(in)).isEmpty()) {
        int colon = line.indexOf(':');
        h.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      byte[] body = new byte[0];
      if (!head && status != 304) {
        if (h.containsKey("content-length")) {
          body = in.readNBytes(Integer.parseInt(h.get("content-length")));
        } else {
          body = in.readAllBytes();
        }
      }
      return new Response(status, h, body);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') break;
      if (c != '\r') line.write(c);
    }
    if (c < 0 && line.size() == 0) {
      throw new IOException("connection closed before a response");
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
