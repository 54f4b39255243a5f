package io.strata.cache;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Settings of one block cache.
 *
 * @param dir root of the cache's files and its SQLite database
 * @param maxBytes size cap for block bytes; past it, a background evictor frees blocks
 * @param blockSize size of aligned blocks
 * @param minTailSize minimum length of the end-anchored tail block (see {@link BlockLayout})
 * @param clock source of time for access and validation stamps (tests inject a fixed one)
 * @param projectMaxBytes size cap for the blocks of one project, evicted within the project
 * @param projectDepth how many '/'-separated key segments (after the bucket) name a project
 * @param warnRatio fraction of {@code maxBytes} past which the cache logs a warning
 * @param retention the application's priority classes and protected blocks
 */
public record CacheConfig(
    Path dir,
    long maxBytes,
    long blockSize,
    long minTailSize,
    Clock clock,
    long projectMaxBytes,
    int projectDepth,
    double warnRatio,
    Retention retention) {

  /** 256 KiB: covers the footer reads of DuckDB, Arrow and Trino in one piece. */
  public static final long DEFAULT_MIN_TAIL_SIZE = 256 * 1024;

  /** A project is the first key segment: {@code bucket/project/...}. */
  public static final int DEFAULT_PROJECT_DEPTH = 1;

  /** Warn at 80% full. */
  public static final double DEFAULT_WARN_RATIO = 0.8;

  public CacheConfig {
    requireNonNull(dir, "dir");
    requireNonNull(clock, "clock");
    requireNonNull(retention, "retention");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
    }
    if (blockSize < 4096) {
      throw new IllegalArgumentException("blockSize: " + blockSize + " (expected: >= 4096)");
    }
    if (minTailSize < 0) {
      throw new IllegalArgumentException("minTailSize: " + minTailSize + " (expected: >= 0)");
    }
    // The in-memory index keeps a block's length in an int (a million blocks; BlockUsage).
    if (blockSize + minTailSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("blockSize + minTailSize: " + (blockSize + minTailSize)
          + " (expected: <= " + Integer.MAX_VALUE + ")");
    }
    if (projectMaxBytes <= 0) {
      throw new IllegalArgumentException("projectMaxBytes: " + projectMaxBytes + " (expected: > 0)");
    }
    if (projectDepth < 1) {
      throw new IllegalArgumentException("projectDepth: " + projectDepth + " (expected: >= 1)");
    }
    if (!(warnRatio > 0 && warnRatio <= 1)) {
      throw new IllegalArgumentException("warnRatio: " + warnRatio + " (expected: > 0 and <= 1)");
    }
  }

  /**
   * No project cap stricter than {@code maxBytes}, projects at depth 1, a warning at 80% and no
   * priority classes ({@link Retention#NONE}): plain LRU, then access count.
   */
  public CacheConfig(Path dir, long maxBytes, long blockSize, long minTailSize, Clock clock) {
    this(dir, maxBytes, blockSize, minTailSize, clock, maxBytes, DEFAULT_PROJECT_DEPTH,
        DEFAULT_WARN_RATIO, Retention.NONE);
  }

  public CacheConfig withProjectCap(long projectMaxBytes, int projectDepth) {
    return new CacheConfig(dir, maxBytes, blockSize, minTailSize, clock, projectMaxBytes,
        projectDepth, warnRatio, retention);
  }

  public CacheConfig withWarnRatio(double warnRatio) {
    return new CacheConfig(dir, maxBytes, blockSize, minTailSize, clock, projectMaxBytes,
        projectDepth, warnRatio, retention);
  }

  public CacheConfig withRetention(Retention retention) {
    return new CacheConfig(dir, maxBytes, blockSize, minTailSize, clock, projectMaxBytes,
        projectDepth, warnRatio, retention);
  }

  /** The size past which the cache warns: {@code maxBytes * warnRatio}, rounded down. */
  public long warnBytes() {
    return (long) (maxBytes * warnRatio);
  }
}
