package io.strata.cache.meta;

import static java.util.Objects.requireNonNull;

import io.strata.cache.BlockKey;

/**
 * The recorded state of one committed block.
 *
 * @param crc32c the CRC32C of the block's bytes, as {@link java.util.zip.CRC32C#getValue()}
 * @param lastAccessMillis epoch millis of the last read (or the commit), for eviction order
 * @param accessCount reads of the block, for eviction order among equally recent blocks
 */
public record BlockRow(BlockKey key, long length, long crc32c, long lastAccessMillis, long accessCount) {

  public BlockRow {
    requireNonNull(key, "key");
    if (length <= 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: > 0)");
    }
    if (accessCount < 0) {
      throw new IllegalArgumentException("accessCount: " + accessCount + " (expected: >= 0)");
    }
  }

  /** A block not read yet: committed at {@code lastAccessMillis}. */
  public BlockRow(BlockKey key, long length, long crc32c, long lastAccessMillis) {
    this(key, length, crc32c, lastAccessMillis, 0);
  }
}
