package io.strata.proxy.s3;

import io.strata.cache.BlockCache;
import io.strata.cache.ListedObject;
import io.strata.proxy.s3.xml.ListObjectsV2Result;
import io.strata.proxy.s3.xml.ObjectEntry;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers ListObjectsV2 from the objects Strata has seen (in listings, HEADs and GETs) while the
 * upstream is unreachable, with S3's prefix, delimiter, max-keys and start-after semantics;
 * {@link ListObjectsV2} turns the page's last entry into a continuation token.
 */
@Singleton
final class OfflineListing {

  private static final int PAGE = 1000;

  private final BlockCache cache;

  OfflineListing(BlockCache cache) {
    this.cache = cache;
  }

  /** One page of keys after {@code after} (exclusive; null from the start). */
  ListObjectsV2Result list(ListObjectsV2.Params p, String after) {
    if (!cache.knownBuckets().contains(p.bucket())) {
      throw Offline.unavailable(
              "The upstream is unreachable and bucket " + p.bucket() + " has never been read through Strata")
          .with("BucketName", p.bucket());
    }
    List<ObjectEntry> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    if (p.maxKeys() == 0) {
      return ListObjectsV2.result(p, contents, prefixes, false);
    }
    String last = null;
    boolean truncated = false;
    String cursor = after;
    scan:
    while (true) {
      List<ListedObject> page = cache.knownObjects(p.bucket(), p.prefix(), cursor, PAGE);
      for (ListedObject o : page) {
        cursor = o.key();
        String common = ListingOverlay.commonPrefix(o.key(), p.prefix(), p.delimiter());
        // keys under a common prefix already returned (or resumed after) are skipped
        if (common != null && (common.equals(last) || common.equals(after))) {
          continue;
        }
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
    return ListObjectsV2.result(p, contents, prefixes, truncated);
  }

}
