package io.strata.proxy.testing;

import io.strata.proxy.s3.xml.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a fuzzer's bytes into an HTTP request head, so that corpus files read like the requests
 * they stand for:
 *
 * <pre>
 * METHOD request-target
 * name: value
 * ...
 * (blank line)
 * body bytes
 * </pre>
 *
 * Bytes are read as ISO-8859-1, one char per byte, as Netty hands header bytes to Strata. Lines
 * end at LF with an optional CR. Header names are lower-cased and the last of a repeated name
 * wins, as S3Handler builds its map. Nothing here rejects an input: a line without a colon is a
 * header with an empty value, a missing request line is an empty method and target, so the
 * fuzzer never wastes an input on the harness.
 */
public record FuzzInput(String method, String target, Map<String, String> headers, byte[] body) {

  public FuzzInput {
    headers = Map.copyOf(headers);
  }

  /** Parses {@code data} as described in the class comment. */
  public static FuzzInput parse(byte[] data) {
    int pos = 0;
    int end = lineEnd(data, pos);
    String requestLine = line(data, pos, end);
    pos = next(data, end);
    int space = requestLine.indexOf(' ');
    String method = space < 0 ? requestLine : requestLine.substring(0, space);
    String target = space < 0 ? "" : requestLine.substring(space + 1);
    Map<String, String> headers = new TreeMap<>();
    while (pos < data.length) {
      end = lineEnd(data, pos);
      String header = line(data, pos, end);
      pos = next(data, end);
      if (header.isEmpty()) {
        break;
      }
      int colon = header.indexOf(':');
      String name = colon < 0 ? header : header.substring(0, colon);
      String value = colon < 0 ? "" : header.substring(colon + 1);
      headers.put(name.strip().toLowerCase(Locale.ROOT), value.strip());
    }
    return new FuzzInput(method, target, headers, Arrays.copyOfRange(data, pos, data.length));
  }

  /** The request target before {@code ?}. */
  public String rawPath() {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** The request target after {@code ?}, or {@code null} when there is none. */
  public String rawQuery() {
    int q = target.indexOf('?');
    return q < 0 ? null : target.substring(q + 1);
  }

  /**
   * The fuzzing rule for every parser: a hostile input may be refused only with an S3 client
   * error (4xx), never with a 5xx or any other exception.
   */
  public static void assertClientError(S3Exception e) {
    int status = e.code().status();
    if (status < 400 || status > 499) {
      throw new AssertionError("a client's input produced " + status + " " + e.code().code()
          + ": " + e.getMessage(), e);
    }
  }

  private static int lineEnd(byte[] data, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == '\n') {
        return i;
      }
    }
    return data.length;
  }

  private static int next(byte[] data, int lineEnd) {
    return Math.min(lineEnd + 1, data.length);
  }

  private static String line(byte[] data, int from, int to) {
    int end = to > from && data[to - 1] == '\r' ? to - 1 : to;
    return new String(data, from, end - from, StandardCharsets.ISO_8859_1);
  }
}
