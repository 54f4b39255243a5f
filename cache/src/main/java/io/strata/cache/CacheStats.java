package io.strata.cache;

/**
 * A snapshot of the cache's size and activity since it was opened.
 *
 * @param bytes bytes of committed blocks on disk
 * @param maxBytes the size cap
 * @param blocks committed blocks
 * @param objects object versions with metadata
 * @param blockHits blocks served from disk
 * @param blockMisses blocks that had to be fetched
 * @param evictions blocks evicted to stay under the cap
 * @param corruptBlocks blocks dropped because their file was missing or failed its CRC32C
 */
public record CacheStats(
    long bytes,
    long maxBytes,
    long blocks,
    long objects,
    long blockHits,
    long blockMisses,
    long evictions,
    long corruptBlocks) {}
