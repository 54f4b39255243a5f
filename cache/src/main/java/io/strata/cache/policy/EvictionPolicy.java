package io.strata.cache.policy;

import io.strata.cache.Retention;

/**
 * Decides which committed blocks to evict when the cache or a project is over its cap. The cache
 * keeps the per-block facts ({@link BlockUsage}, updated by reads without a lock) and hands them
 * all to the policy on each pass; the policy only chooses, the cache deletes. So the application's
 * opinion of a block ({@link Retention}) is asked when victims are chosen, not when the block was
 * committed: a pin added since counts.
 */
public interface EvictionPolicy {

  /**
   * By retention class (lowest first), then last access (oldest first), then access count (fewest
   * first); never a {@link Retention#PROTECTED} block or one being read.
   */
  static EvictionPolicy prioritized(Retention retention) {
    return new PriorityPolicy(retention);
  }

  /**
   * Chooses the blocks to evict to meet {@code targets}. One pass at a time (the cache runs them
   * on its evictor thread); does not change the blocks.
   */
  EvictionPlan plan(Iterable<BlockUsage> blocks, EvictionTargets targets);

  /** Bytes of {@code blocks} the retention marks protected now. Any thread. */
  long protectedBytes(Iterable<BlockUsage> blocks);
}
