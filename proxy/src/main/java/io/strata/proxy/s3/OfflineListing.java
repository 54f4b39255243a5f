package io.strata.proxy.s3;

import io.strata.cache.BlockCache;
import io.strata.cache.ListedObject;
import io.strata.proxy.s3.xml.ListObjectsV2Result;
import io.strata.proxy.s3.xml.ObjectEntry;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Answers ListObjectsV2 from the objects Strata has seen (in listings, HEADs and GETs) while the
 * upstream is unreachable, with S3's prefix, delimiter, max-keys, start-after and continuation
 * semantics. Continuation tokens it issues are its own ({@value #TOKEN_PREFIX}...), carrying the
 * last key or common prefix returned.
 */
@Singleton
final class OfflineListing {

  static final String TOKEN_PREFIX = "strata-offline:";
  private static final int PAGE = 1000;

  private final BlockCache cache;

  OfflineListing(BlockCache cache) {
    this.cache = cache;
  }

  ListObjectsV2Result list(ListObjectsV2.Params p) {
    if (!cache.knownBuckets().contains(p.bucket())) {
      throw Offline.unavailable(
              "The upstream is unreachable and bucket " + p.bucket() + " has never been read through Strata")
          .with("BucketName", p.bucket());
    }
    if (p.maxKeys() == 0) {
      return new ListObjectsV2Result(p.bucket(), p.prefix(), p.delimiter(), 0, p.startAfter(),
          p.continuationToken(), null, false, p.encodingType(), List.of(), List.of());
    }
    String after = p.startAfter();
    if (p.continuationToken() != null) {
      after = decodeToken(p.continuationToken());
    }
    List<ObjectEntry> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    boolean truncated = false;
    String cursor = after;
    scan:
    while (true) {
      List<ListedObject> page = cache.knownObjects(p.bucket(), p.prefix(), cursor, PAGE);
      for (ListedObject o : page) {
        cursor = o.key();
        // keys under a common prefix already returned (e.g. when resuming after it) are skipped
        if (last != null && last.equals(commonPrefix(o.key(), p)) || after != null && isUnder(o.key(), after, p)) {
          continue;
        }
        String common = commonPrefix(o.key(), p);
        if (contents.size() + prefixes.size() == p.maxKeys()) {
          truncated = true;
          break scan;
        }
        if (common != null) {
          prefixes.add(common);
          last = common;
        } else {
          contents.add(ListObjectsV2.entry(o));
          last = o.key();
        }
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    String next = truncated ? TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(last.getBytes(StandardCharsets.UTF_8)) : null;
    return new ListObjectsV2Result(
        p.bucket(), p.prefix(), p.delimiter(), p.maxKeys(), p.startAfter(), p.continuationToken(), next,
        truncated, p.encodingType(), contents, prefixes);
  }

  /** The common prefix a key rolls up into under the delimiter, or null if it is listed itself. */
  private static String commonPrefix(String key, ListObjectsV2.Params p) {
    if (p.delimiter() == null) {
      return null;
    }
    int at = key.indexOf(p.delimiter(), p.prefix().length());
    return at < 0 ? null : key.substring(0, at + p.delimiter().length());
  }

  /** Whether {@code key} lies under {@code marker} when the marker is a common prefix. */
  private static boolean isUnder(String key, String marker, ListObjectsV2.Params p) {
    return p.delimiter() != null && marker.endsWith(p.delimiter()) && key.startsWith(marker);
  }

  private static String decodeToken(String token) {
    if (!token.startsWith(TOKEN_PREFIX)) {
      throw Offline.unavailable(
          "The upstream is unreachable and this continuation token came from it; restart the listing");
    }
    try {
      return new String(
          Base64.getUrlDecoder().decode(token.substring(TOKEN_PREFIX.length())), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
          .with("ArgumentName", "continuation-token");
    }
  }
}
