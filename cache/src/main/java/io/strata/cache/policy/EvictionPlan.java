package io.strata.cache.policy;

import java.util.List;

/**
 * The outcome of one pass of an {@link EvictionPolicy}.
 *
 * @param victims blocks to evict, in eviction order
 * @param protectedBytes bytes of blocks the retention marks protected (never evicted)
 * @param complete whether the victims meet every target; false when what is left is protected or
 *     being read
 */
public record EvictionPlan(List<BlockUsage> victims, long protectedBytes, boolean complete) {

  public EvictionPlan {
    victims = List.copyOf(victims);
  }
}
