package io.strata.cache;

import java.time.Instant;

/**
 * An object the cache holds metadata for, and when a client last read it.
 *
 * @param lastAccess the last read (persisted about once a second), or null if never read
 */
public record CachedObject(ObjectVersion version, Instant lastAccess) {}
