package io.strata.proxy.parquet;

import io.micronaut.json.JsonMapper;
import io.strata.cache.BlockCache;
import io.strata.cache.Retention;
import io.strata.proxy.s3.CacheFiller;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Pins ("keep offline"): everything a pin selects is fetched and never evicted. A pin that would
 * make pinned bytes exceed the cache's cap is refused, since the cache could not hold it.
 */
@Singleton
public final class Pins extends KeptSelections {

  private final BlockCache cache;

  Pins(BlockCache cache, PrefetchJobs prefetch, PriorityBook priorities, CacheFiller filler, JsonMapper json,
      Clock clock) {
    super("pin", Retention.PROTECTED, cache, prefetch, priorities, filler, json, clock);
    this.cache = cache;
  }

  @Override
  void admit(long bytes) {
    long pinned = plannedBytes();
    long cap = cache.config().maxBytes();
    if (pinned + bytes > cap) {
      throw new IllegalStateException("the pin needs " + bytes + " bytes, and with the " + pinned
          + " bytes already pinned that exceeds the cache's cap of " + cap
          + " bytes (strata.cache.max-size); remove a pin or raise the cap");
    }
  }
}
