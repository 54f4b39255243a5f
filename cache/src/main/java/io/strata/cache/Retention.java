package io.strata.cache;

/**
 * What the application knows about a block's worth, which the cache cannot know: the priority
 * class it is evicted in (lowest first, then least recently used, then least often used), or that
 * it must never be evicted. The seed design's classes are visible 10, favorite 8, recent 5,
 * default 0; pinned data and the footers of pinned or visible objects are {@link #PROTECTED}.
 *
 * <p>Called from the evictor for many blocks per pass: implementations answer from memory,
 * quickly, and are thread-safe. They may change their answers at any time (a pin added, the
 * visible set replaced); the next eviction pass sees the new ones.
 */
@FunctionalInterface
public interface Retention {

  /** A block that is never evicted. */
  int PROTECTED = Integer.MAX_VALUE;

  /** Every block in the default class: plain LRU (then access count) order. */
  Retention NONE = block -> 0;

  /** The block's priority class (0 to 10), or {@link #PROTECTED}. */
  int priority(BlockKey block);
}
