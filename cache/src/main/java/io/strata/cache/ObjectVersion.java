package io.strata.cache;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * One version of one object as the upstream last described it. Blocks belong to exactly one
 * version: the ETag is part of every {@link BlockKey}, so a new version never overwrites old bytes.
 *
 * @param validatedAt when the upstream last confirmed this version (HEAD, GET or a 304)
 */
public record ObjectVersion(
    String bucket,
    String key,
    String etag,
    long size,
    Instant lastModified,
    String contentType,
    Map<String, String> userMetadata,
    Instant validatedAt) {

  public ObjectVersion {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    requireNonNull(etag, "etag");
    requireNonNull(lastModified, "lastModified");
    requireNonNull(validatedAt, "validatedAt");
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
    contentType = contentType == null ? "binary/octet-stream" : contentType;
    userMetadata = userMetadata == null ? Map.of() : Map.copyOf(userMetadata);
  }

  /** The key of block {@code index} of this version. */
  public BlockKey block(int index) {
    return new BlockKey(bucket, key, etag, index);
  }

  /** The same version, confirmed by the upstream at {@code when}. */
  public ObjectVersion validated(Instant when) {
    return new ObjectVersion(bucket, key, etag, size, lastModified, contentType, userMetadata, when);
  }
}
