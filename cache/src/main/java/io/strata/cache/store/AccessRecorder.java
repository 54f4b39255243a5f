package io.strata.cache.store;

import io.strata.cache.BlockKey;
import io.strata.cache.meta.BlockAccess;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads waiting to be persisted. A hit only merges into this map; a background flush writes the
 * batch to SQLite in one transaction, so the hit path never waits for a SQLite write. Losing the
 * last second of access times in a crash only makes the eviction order after restart slightly
 * less exact.
 */
final class AccessRecorder {

  private final ConcurrentHashMap<BlockKey, BlockAccess> pending = new ConcurrentHashMap<>();

  void record(BlockKey key, long millis) {
    pending.merge(key, BlockAccess.at(millis), BlockAccess::merge);
  }

  /** Removes and returns what was recorded; reads recorded meanwhile go to the next batch. */
  Map<BlockKey, BlockAccess> drain() {
    Map<BlockKey, BlockAccess> batch = new HashMap<>();
    for (BlockKey key : pending.keySet()) {
      BlockAccess access = pending.remove(key);
      if (access != null) {
        batch.put(key, access);
      }
    }
    return batch;
  }
}
