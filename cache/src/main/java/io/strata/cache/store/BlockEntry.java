package io.strata.cache.store;

/**
 * What the in-memory index holds for a committed block: enough to verify its file without asking
 * SQLite. Compared by identity in the cache (a re-committed block gets a new instance), so a reader
 * that found a bad file drops only the entry it checked.
 */
record BlockEntry(long length, long crc32c) {}
