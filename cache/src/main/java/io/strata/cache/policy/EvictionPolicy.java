package io.strata.cache.policy;

import io.strata.cache.BlockKey;
import java.util.List;

/**
 * Decides which committed blocks to evict when the cache is over its size cap. The cache tells the
 * policy about every block it holds and every read; the policy only chooses, the cache deletes.
 *
 * <p>Implementations are thread-safe: reads call {@link #touch} concurrently with everything else.
 * This seam exists so that priority classes and pins can replace plain LRU without touching the
 * block store.
 */
public interface EvictionPolicy {

  /** Least recently used first. */
  static EvictionPolicy lru() {
    return new LruPolicy();
  }

  /**
   * A block was committed (or loaded at startup, oldest access first). Adding a held block
   * updates its length and counts as an access.
   */
  void add(BlockKey key, long length);

  /** A block was read. Ignored for blocks the policy does not hold. */
  void touch(BlockKey key);

  /** A block is gone (evicted, corrupt, or its object changed). */
  void remove(BlockKey key);

  /**
   * Blocks to evict, in eviction order, whose lengths add up to at least {@code bytesToFree}
   * (fewer if the policy runs out), never {@code keep}. Does not remove them: the cache calls
   * {@link #remove} for each block it actually drops.
   */
  List<BlockKey> victims(long bytesToFree, BlockKey keep);
}
