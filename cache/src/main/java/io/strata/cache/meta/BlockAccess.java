package io.strata.cache.meta;

/**
 * Reads of one block since the last flush to SQLite: accumulated in memory so that a cache hit
 * never costs a SQLite write.
 *
 * @param lastAccessMillis epoch millis of the latest read
 * @param hits number of reads
 */
public record BlockAccess(long lastAccessMillis, long hits) {

  /** One read at {@code millis}. */
  public static BlockAccess at(long millis) {
    return new BlockAccess(millis, 1);
  }

  /** Both accesses together: the later time, the summed hits. */
  public BlockAccess merge(BlockAccess other) {
    return new BlockAccess(Math.max(lastAccessMillis, other.lastAccessMillis), hits + other.hits);
  }
}
