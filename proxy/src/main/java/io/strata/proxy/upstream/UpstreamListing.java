package io.strata.proxy.upstream;

import io.strata.cache.ListedObject;
import java.util.List;

/** One page of an upstream ListObjectsV2 answer. */
public record UpstreamListing(
    List<ListedObject> objects,
    List<String> commonPrefixes,
    boolean truncated,
    String nextContinuationToken) {}
