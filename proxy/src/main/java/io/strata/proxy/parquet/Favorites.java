package io.strata.proxy.parquet;

import io.micronaut.json.JsonMapper;
import io.strata.cache.BlockCache;
import io.strata.proxy.s3.CacheFiller;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Favorites: what they select is fetched and evicted only after default and recent data. */
@Singleton
public final class Favorites extends KeptSelections {

  Favorites(BlockCache cache, PrefetchJobs prefetch, PriorityBook priorities, CacheFiller filler, JsonMapper json,
      Clock clock) {
    super("favorite", PriorityClass.FAVORITE.value(), cache, prefetch, priorities, filler, json, clock);
  }
}
