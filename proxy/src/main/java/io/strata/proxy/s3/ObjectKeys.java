package io.strata.proxy.s3;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.nio.charset.StandardCharsets;

/**
 * Which object keys Strata accepts, for every operation that names one (the request path and each
 * key of a DeleteObjects document).
 *
 * <p>Keys never become file paths in Strata: block files are named by a SHA-256 of bucket, key and
 * ETag ({@code BlockPaths} in {@code cache/}), and queued uploads by the queue's own ids. The
 * upstream, though, may be a filesystem-backed server (s3proxy's {@code filesystem} store, MinIO
 * in FS mode), so keys a filesystem would read as navigation are refused the way MinIO refuses
 * them ({@code hasBadPathComponent}, {@code checkObjectNameForLengthAndSlash}): a {@code .} or
 * {@code ..} segment (surrounding whitespace ignored, {@code \} counted as a separator too, for
 * Windows backends), a leading {@code /}, and, beyond MinIO, C0 controls and DEL, which no sane
 * key holds and which NUL-terminated APIs cut short. Invalid UTF-8 never gets this far:
 * {@link S3RequestParser} refuses it while percent-decoding. Slashes elsewhere, {@code //} and a
 * trailing {@code /} (S3A directory markers) stay valid, as in S3.
 */
final class ObjectKeys {

  /** S3's limit on key length, in UTF-8 bytes. */
  static final int MAX_BYTES = 1024;
  /** How much of a refused key an error repeats. */
  private static final int ECHO_CHARS = 64;

  private ObjectKeys() {}

  /** Throws the S3 error for an unacceptable key; does nothing for a valid one. */
  static void requireValid(String key) {
    S3Exception problem = problem(key);
    if (problem != null) {
      throw problem;
    }
  }

  /** The error a key is refused with, or null when it is valid. */
  static S3Exception problem(String key) {
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return new S3Exception(S3ErrorCode.KEY_TOO_LONG).with("Key", abbreviate(key));
    }
    if (key.startsWith("/")) {
      return invalid(key, "Object key must not start with '/'");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        return invalid(key, "Object key must not contain control characters (U+0000-U+001F, U+007F)");
      }
      if (Character.isSurrogate(c) && !isPairedSurrogate(key, i)) {
        return invalid(key, "Object key must be valid UTF-8");
      }
    }
    if (hasDotSegment(key)) {
      return invalid(key, "Object key must not contain '.' or '..' path segments");
    }
    return null;
  }

  private static boolean hasDotSegment(String key) {
    int start = 0;
    for (int i = 0; i <= key.length(); i++) {
      if (i == key.length() || key.charAt(i) == '/' || key.charAt(i) == '\\') {
        String segment = key.substring(start, i).strip();
        if (segment.equals(".") || segment.equals("..")) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  private static boolean isPairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private static S3Exception invalid(String key, String message) {
    return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message).with("Key", abbreviate(key));
  }

  /** The first characters of a key for an error body (never splitting a surrogate pair). */
  static String abbreviate(String key) {
    if (key.length() <= ECHO_CHARS) {
      return key;
    }
    int end = Character.isHighSurrogate(key.charAt(ECHO_CHARS - 1)) ? ECHO_CHARS - 1 : ECHO_CHARS;
    return key.substring(0, end) + "...";
  }
}
