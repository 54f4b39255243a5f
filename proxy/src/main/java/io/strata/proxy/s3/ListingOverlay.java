package io.strata.proxy.s3;

import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.UploadQueue;
import io.strata.proxy.s3.xml.ListObjectsV2Result;
import io.strata.proxy.s3.xml.ObjectEntry;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Read-your-writes for listings: lays the queued writes over one page of a listing (from the
 * upstream or from what Strata remembers). A queued PUT appears (or rolls up into its common
 * prefix), a queued DELETE disappears, for keys within the key span the page covers.
 *
 * <p>Known approximation: a common prefix whose every key is deleted in the queue still shows, and
 * a page may hold a few more entries than max-keys; the next page never repeats an entry.
 */
@Singleton
final class ListingOverlay {

  /** S3 orders keys by their UTF-8 bytes, which is not Java's UTF-16 order for all characters. */
  static final Comparator<String> UTF8_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final UploadQueue queue;

  ListingOverlay(UploadQueue queue) {
    this.queue = queue;
  }

  /**
   * @param after the page covers keys strictly after this (null: from the start)
   * @param upTo the page covers keys up to and including this (null: to the end)
   */
  ListObjectsV2Result apply(ListObjectsV2Result page, String after, String upTo) {
    List<PendingUpload> queued = queue.latestUnder(page.bucket(), page.prefix() == null ? "" : page.prefix());
    if (queued.isEmpty()) {
      return page;
    }
    Map<String, ObjectEntry> contents = new LinkedHashMap<>();
    page.contents().forEach(e -> contents.put(e.key(), e));
    TreeSet<String> prefixes = new TreeSet<>(UTF8_ORDER);
    prefixes.addAll(page.commonPrefixes());
    for (PendingUpload write : queued) {
      String key = write.key();
      if ((after != null && UTF8_ORDER.compare(key, after) <= 0) || (upTo != null && UTF8_ORDER.compare(key, upTo) > 0)) {
        continue;
      }
      String common = commonPrefix(key, page.prefix(), page.delimiter());
      if (write.isDelete()) {
        contents.remove(key);
      } else if (common != null) {
        if (after == null || UTF8_ORDER.compare(common, after) > 0) {
          prefixes.add(common);
        }
      } else {
        contents.put(key, new ObjectEntry(key, write.createdAt(), write.etag(), write.size(), "STANDARD"));
      }
    }
    List<ObjectEntry> sorted = new ArrayList<>(contents.values());
    sorted.sort(Comparator.comparing(ObjectEntry::key, UTF8_ORDER));
    return new ListObjectsV2Result(
        page.bucket(), page.prefix(), page.delimiter(), page.maxKeys(), page.startAfter(),
        page.continuationToken(), page.nextContinuationToken(), page.truncated(), page.encodingType(),
        sorted, new ArrayList<>(prefixes));
  }

  static String commonPrefix(String key, String prefix, String delimiter) {
    if (delimiter == null) {
      return null;
    }
    int from = prefix == null ? 0 : prefix.length();
    int at = key.indexOf(delimiter, from);
    return at < 0 ? null : key.substring(0, at + delimiter.length());
  }
}
