package io.strata.cache;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Settings of one block cache.
 *
 * @param dir root of the cache's files and its SQLite database
 * @param maxBytes size cap for block bytes; filling past it evicts least recently used blocks
 * @param blockSize size of aligned blocks
 * @param minTailSize minimum length of the end-anchored tail block (see {@link BlockLayout})
 * @param clock source of time for access and validation stamps (tests inject a fixed one)
 */
public record CacheConfig(Path dir, long maxBytes, long blockSize, long minTailSize, Clock clock) {

  /** 256 KiB: covers the footer reads of DuckDB, Arrow and Trino in one piece. */
  public static final long DEFAULT_MIN_TAIL_SIZE = 256 * 1024;

  public CacheConfig {
    requireNonNull(dir, "dir");
    requireNonNull(clock, "clock");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
    }
    if (blockSize < 4096) {
      throw new IllegalArgumentException("blockSize: " + blockSize + " (expected: >= 4096)");
    }
    if (minTailSize < 0) {
      throw new IllegalArgumentException("minTailSize: " + minTailSize + " (expected: >= 0)");
    }
  }
}
