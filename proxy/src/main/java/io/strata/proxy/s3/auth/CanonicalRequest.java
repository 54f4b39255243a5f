package io.strata.proxy.s3.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds the SigV4 canonical request the way S3 does ("Create a canonical request for Signature
 * Version 4", https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html):
 *
 * <pre>
 * method \n canonicalUri \n canonicalQuery \n canonicalHeaders \n signedHeaders \n payloadHash
 * </pre>
 *
 * <p>S3 differs from other services: the URI is neither normalized ({@code //} and {@code ..}
 * are kept, they can be part of a key) nor encoded a second time; see {@link #uri}.
 */
final class CanonicalRequest {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private CanonicalRequest() {}

  /** One decoded query parameter, in wire order. */
  record Param(String name, String value) {}

  static String build(SignedRequest request, List<Param> query, List<String> signedHeaders,
      String payloadHash) {
    StringBuilder out = new StringBuilder(256);
    out.append(request.method()).append('\n');
    out.append(uri(request.rawPath())).append('\n');
    out.append(query(query)).append('\n');
    for (String name : signedHeaders) {
      out.append(name).append(':').append(headerValue(request.header(name))).append('\n');
    }
    out.append('\n');
    out.append(String.join(";", signedHeaders)).append('\n');
    out.append(payloadHash);
    return out.toString();
  }

  /**
   * The canonical URI: the path percent-decoded once and re-encoded with RFC 3986 unreserved
   * characters and {@code /} kept, never normalized ({@code //}, {@code .} and {@code ..} can be
   * part of a key) and never double-encoded (S3's exception in "Create a canonical request").
   *
   * <p>Why not the raw path byte for byte: AWS SDK for Java v2 signs a key {@code a//b} as
   * {@code /a//b} but sends {@code /a/%2Fb} so that HTTP clients do not collapse the slashes; S3
   * (and MinIO, which calls {@code EncodePath} on the decoded path) accept it, so S3 compares the
   * re-encoded path. A client that sends {@code %2F} for a slash inside a key signs the same way.
   */
  static String uri(String rawPath) {
    if (rawPath.isEmpty()) {
      return "/";
    }
    String decoded = decode(rawPath);
    StringBuilder out = new StringBuilder(rawPath.length() + 8);
    int start = 0;
    for (int slash = decoded.indexOf('/'); slash >= 0; slash = decoded.indexOf('/', start)) {
      out.append(encode(decoded.substring(start, slash))).append('/');
      start = slash + 1;
    }
    return out.append(encode(decoded.substring(start))).toString();
  }

  /**
   * Parses a raw query string into decoded parameters. {@code +} is kept as a literal plus: SDKs
   * encode spaces as {@code %20} and sign {@code +} as {@code %2B}, and S3 does the same.
   */
  static List<Param> parseQuery(String rawQuery) {
    List<Param> params = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.add(new Param(decode(name), decode(value)));
    }
    return params;
  }

  /**
   * The canonical query string: each name and value URI-encoded (RFC 3986 unreserved characters
   * kept), sorted by encoded name then encoded value, {@code name=value} joined with {@code &}.
   */
  static String query(List<Param> params) {
    List<Param> encoded = new ArrayList<>(params.size());
    for (Param p : params) {
      encoded.add(new Param(encode(p.name()), encode(p.value())));
    }
    // Sorting by code point; the encoded strings are ASCII, so this is byte order as AWS requires.
    encoded.sort(Comparator.comparing(Param::name).thenComparing(Param::value));
    StringBuilder out = new StringBuilder();
    for (Param p : encoded) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(p.name()).append('=').append(p.value());
    }
    return out.toString();
  }

  /** Trims the value and collapses runs of spaces to one ("Create a canonical request"). */
  static String headerValue(String value) {
    if (value == null) {
      return "";
    }
    String trimmed = value.strip();
    StringBuilder out = new StringBuilder(trimmed.length());
    boolean space = false;
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c == ' ') {
        if (!space) {
          out.append(c);
        }
        space = true;
      } else {
        out.append(c);
        space = false;
      }
    }
    return out.toString();
  }

  /** Percent-encodes UTF-8 bytes except RFC 3986 unreserved characters, upper-case hex. */
  static String encode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** Percent-decodes as UTF-8; a malformed escape is kept literally rather than rejected. */
  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      int hi = s.charAt(i) == '%' && i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (hi >= 0 && lo >= 0) {
        out.write(hi << 4 | lo);
        i += 3;
      } else {
        int cp = s.codePointAt(i);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Looks a parameter up by exact name; the first occurrence wins. */
  static String first(List<Param> params, String name) {
    for (Param p : params) {
      if (p.name().equals(name)) {
        return p.value();
      }
    }
    return null;
  }
}
