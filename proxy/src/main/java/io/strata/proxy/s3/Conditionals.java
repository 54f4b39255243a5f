package io.strata.proxy.s3;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Conditional GET/HEAD (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since) against
 * the current version of an object.
 *
 * <p>Evaluated in the order of RFC 9110 §13.2.2, which is what the S3 GetObject reference
 * describes: If-Match true with If-Unmodified-Since false is 200 (step 2 only runs without
 * If-Match), and If-None-Match false with If-Modified-Since true is 304 (step 4 only runs without
 * If-None-Match).
 *
 * <ol>
 *   <li>If-Match present and false: 412.
 *   <li>Else If-Unmodified-Since present and false: 412.
 *   <li>If-None-Match present and false (a tag matches): 304, GET and HEAD being safe.
 *   <li>Else If-Modified-Since present and false (not modified): 304.
 *   <li>Otherwise proceed.
 * </ol>
 *
 * <p>Entity tags: a comma-separated list of quoted tags or {@code *}; quotes are optional
 * because clients send S3 ETags both ways, and a {@code W/} prefix is tolerated (S3 only issues
 * strong tags, so a weak one is a strong one an intermediary weakened). A blank header is treated
 * as absent. Dates: any HTTP-date format ({@link HttpDates}); an unparseable one makes that
 * condition ignored (§13.1.3, §13.1.4). Last-Modified is sent with second precision, so it is
 * compared truncated to the second: a client echoing it back must see "not modified".
 */
public final class Conditionals {
  private Conditionals() {}

  public enum Outcome {
    /** Serve the object (200/206). */
    PROCEED,
    /** 304 Not Modified, no body. */
    NOT_MODIFIED,
    /** 412 PreconditionFailed. */
    PRECONDITION_FAILED
  }

  /**
   * Evaluates the four conditional headers for GET/HEAD against the current version. Header
   * values are nullable; {@code etag} is the object's ETag with or without quotes.
   */
  public static Outcome evaluate(String ifMatch, String ifNoneMatch, String ifModifiedSince,
      String ifUnmodifiedSince, String etag, Instant lastModified) {
    Instant modified = lastModified == null ? null : lastModified.truncatedTo(ChronoUnit.SECONDS);
    if (present(ifMatch)) {
      if (!matches(ifMatch, etag)) {
        return Outcome.PRECONDITION_FAILED;
      }
    } else if (present(ifUnmodifiedSince) && modified != null) {
      Optional<Instant> since = HttpDates.parse(ifUnmodifiedSince);
      if (since.isPresent() && modified.isAfter(since.get())) {
        return Outcome.PRECONDITION_FAILED;
      }
    }
    if (present(ifNoneMatch)) {
      if (matches(ifNoneMatch, etag)) {
        return Outcome.NOT_MODIFIED;
      }
    } else if (present(ifModifiedSince) && modified != null) {
      Optional<Instant> since = HttpDates.parse(ifModifiedSince);
      if (since.isPresent() && !modified.isAfter(since.get())) {
        return Outcome.NOT_MODIFIED;
      }
    }
    return Outcome.PROCEED;
  }

  private static boolean present(String header) {
    return header != null && !header.isBlank();
  }

  /** True if the list is {@code *} or names {@code etag}; the object exists, so {@code *} holds. */
  static boolean matches(String list, String etag) {
    String current = etag == null ? null : opaque(etag.strip());
    int i = 0;
    int n = list.length();
    while (i < n) {
      char c = list.charAt(i);
      if (c == ',' || c == ' ' || c == '\t') {
        i++;
        continue;
      }
      int end;
      String tag;
      boolean quoted = false;
      if (list.startsWith("W/", i) || list.startsWith("w/", i)) {
        i += 2;
      }
      if (i < n && list.charAt(i) == '"') {
        // Quoted: read to the closing quote, so a comma inside a tag cannot split it.
        int close = list.indexOf('"', i + 1);
        end = close < 0 ? n : close + 1;
        tag = list.substring(i + 1, close < 0 ? n : close);
        quoted = true;
      } else {
        int comma = list.indexOf(',', i);
        end = comma < 0 ? n : comma;
        tag = list.substring(i, end).strip();
      }
      // Only a bare * is the wildcard (RFC 9110 §13.1.1); "*" is an ordinary tag.
      if ((!quoted && tag.equals("*")) || (current != null && tag.equals(current))) {
        return true;
      }
      i = end;
    }
    return false;
  }

  /** The opaque part of a stored ETag: without {@code W/} and surrounding quotes. */
  private static String opaque(String etag) {
    String t = etag.startsWith("W/") ? etag.substring(2) : etag;
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }
}
