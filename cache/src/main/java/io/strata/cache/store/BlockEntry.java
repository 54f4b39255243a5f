package io.strata.cache.store;

import io.strata.cache.policy.BlockUsage;

/**
 * What the in-memory index holds for a committed block: enough to verify its file without asking
 * SQLite, and its eviction facts. Compared by identity in the cache (a re-committed block gets a
 * new instance), so a reader that found a bad file drops only the entry it checked.
 */
record BlockEntry(long crc32c, BlockUsage usage) {

  long length() {
    return usage.length();
  }
}
