package io.strata.cache;

import static java.util.Objects.requireNonNull;

/** Block {@code index} of the object version {@code bucket/key@etag}. */
public record BlockKey(String bucket, String key, String etag, int index) {

  public BlockKey {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    requireNonNull(etag, "etag");
    if (index < 0) {
      throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
    }
  }
}
