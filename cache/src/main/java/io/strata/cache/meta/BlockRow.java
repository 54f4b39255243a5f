package io.strata.cache.meta;

import static java.util.Objects.requireNonNull;

import io.strata.cache.BlockKey;

/**
 * The recorded state of one committed block.
 *
 * @param crc32c the CRC32C of the block's bytes, as {@link java.util.zip.CRC32C#getValue()}
 * @param lastAccessMillis epoch millis of the last read (or the commit), for eviction order
 */
public record BlockRow(BlockKey key, long length, long crc32c, long lastAccessMillis) {

  public BlockRow {
    requireNonNull(key, "key");
    if (length <= 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: > 0)");
    }
  }
}
