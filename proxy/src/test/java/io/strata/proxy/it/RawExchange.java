package io.strata.proxy.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One hostile exchange over a fresh socket, where "no answer, connection closed" is a legitimate
 * outcome (unlike {@link RawHttp}, which expects a response). A read that times out is a hang and
 * propagates as {@link java.net.SocketTimeoutException}.
 */
final class RawExchange {

  /** What the server did with the request. */
  sealed interface Outcome permits Answer, Closed {}

  /** A response (1xx interim responses skipped). */
  record Answer(int status, Map<String, String> headers, byte[] body) implements Outcome {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** The connection ended (EOF or reset) before a status line. */
  record Closed(String how) implements Outcome {}

  private RawExchange() {}

  static Outcome send(URI endpoint, byte[] request, Duration timeout) throws IOException {
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout((int) timeout.toMillis());
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (SocketException e) {
        // the server may answer and close before reading everything (e.g. an oversized head)
      }
      return read(socket.getInputStream(), request.length >= 4 && new String(request, 0, 4, StandardCharsets.ISO_8859_1)
          .equals("HEAD"));
    }
  }

  /** Reads one response from {@code in}; a HEAD response has no body whatever its Content-Length. */
  static Outcome read(InputStream in, boolean head) throws IOException {
    try {
      while (true) {
        String statusLine = readLine(in);
        if (statusLine == null) {
          return new Closed("EOF");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
          throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new TreeMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
          int colon = line.indexOf(':');
          headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (status >= 100 && status < 200) {
          continue;
        }
        byte[] body = new byte[0];
        if (!head && status != 204 && status != 304) {
          String length = headers.get("content-length");
          body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
        }
        return new Answer(status, headers, body);
      }
    } catch (SocketException reset) {
      return new Closed(reset.getMessage());
    }
  }

  /** A CRLF- or LF-terminated line, or null at EOF before any byte. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        return line.toString(StandardCharsets.ISO_8859_1);
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}
