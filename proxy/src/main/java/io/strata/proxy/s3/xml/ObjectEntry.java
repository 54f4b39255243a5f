package io.strata.proxy.s3.xml;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One {@code <Contents>} entry of a listing.
 *
 * @param etag as stored; {@link S3Xml} adds the surrounding quotes if they are missing
 * @param storageClass {@code STANDARD} when null
 */
public record ObjectEntry(String key, Instant lastModified, String etag, long size,
    String storageClass) {
  public ObjectEntry {
    requireNonNull(key, "key");
    requireNonNull(lastModified, "lastModified");
    requireNonNull(etag, "etag");
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
    storageClass = storageClass == null ? "STANDARD" : storageClass;
  }
}
