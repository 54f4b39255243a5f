package io.strata.cache;

import java.time.Instant;

/** An object Strata has seen in a listing, HEAD or GET: enough to answer a listing offline. */
public record ListedObject(String key, String etag, long size, Instant lastModified) {}
