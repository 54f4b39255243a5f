package io.strata.proxy.config;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code strata.buckets}: the buckets Strata serves. Strata signs upstream requests with its own
 * credentials, which may reach more buckets than its clients should; with a list set, every other
 * bucket is {@code AccessDenied} and left out of ListBuckets. Unset, it serves every bucket the
 * upstream credentials can see.
 */
@Singleton
public final class BucketAllowList {

  /** The allowed bucket names, or null for all. */
  private final Set<String> allowed;

  public BucketAllowList(@Property(name = "strata.buckets") @Nullable List<String> buckets) {
    Set<String> names = buckets == null ? Set.of()
        : buckets.stream().map(String::strip).filter(b -> !b.isEmpty()).collect(Collectors.toSet());
    this.allowed = names.isEmpty() ? null : Set.copyOf(names);
  }

  /** Whether requests for {@code bucket} are served. */
  public boolean allows(String bucket) {
    return allowed == null || allowed.contains(bucket);
  }

  /** The configured names, empty when every bucket is served. */
  public Set<String> names() {
    return allowed == null ? Set.of() : allowed;
  }
}
