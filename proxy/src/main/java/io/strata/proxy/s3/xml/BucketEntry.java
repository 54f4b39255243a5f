package io.strata.proxy.s3.xml;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One {@code <Bucket>} of ListBuckets. */
public record BucketEntry(String name, Instant creationDate) {
  public BucketEntry {
    requireNonNull(name, "name");
    requireNonNull(creationDate, "creationDate");
  }
}
