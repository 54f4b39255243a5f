package io.strata.cache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of the cache's size and activity since it was opened.
 *
 * @param bytes bytes of committed blocks on disk
 * @param maxBytes the size cap
 * @param warnBytes the warn level: above it the cache logged a warning ({@link #aboveWarnLevel})
 * @param protectedBytes bytes of committed blocks the {@link Retention} marks protected now
 * @param projectMaxBytes the size cap of one project
 * @param blocks committed blocks
 * @param objects object versions with metadata
 * @param blockHits blocks served from disk
 * @param blockMisses blocks that had to be fetched
 * @param evictions blocks evicted to stay under the caps
 * @param corruptBlocks blocks dropped because their file was missing or failed its CRC32C
 * @param projects bytes per project, the largest {@link #MAX_PROJECTS} only, largest first
 */
public record CacheStats(
    long bytes,
    long maxBytes,
    long warnBytes,
    long protectedBytes,
    long projectMaxBytes,
    long blocks,
    long objects,
    long blockHits,
    long blockMisses,
    long evictions,
    long corruptBlocks,
    Map<String, Long> projects) {

  /** How many projects {@link #projects} lists at most. */
  public static final int MAX_PROJECTS = 100;

  public CacheStats {
    projects = Collections.unmodifiableMap(new LinkedHashMap<>(projects)); // keeps the order
  }

  public boolean aboveWarnLevel() {
    return bytes > warnBytes;
  }
}
