package io.strata.cache.policy;

import static java.util.Objects.requireNonNull;

import io.strata.cache.BlockKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Least recently used eviction over an access-ordered {@link LinkedHashMap}. The order lives in
 * memory (exact, including reads not yet flushed to SQLite); at startup it is rebuilt from the
 * persisted {@code last_access} times.
 *
 * <p>Concurrency: every method synchronizes on {@code this}. Each is O(1) except
 * {@link #victims}, which walks from the eldest entry only as far as it needs.
 */
final class LruPolicy implements EvictionPolicy {

  /** Block to length, eldest access first. Guarded by {@code this}. */
  private final LinkedHashMap<BlockKey, Long> order =
      new LinkedHashMap<>(1024, 0.75f, /* accessOrder= */ true);

  @Override
  public synchronized void add(BlockKey key, long length) {
    requireNonNull(key, "key");
    order.put(key, length);
  }

  @Override
  public synchronized void touch(BlockKey key) {
    order.get(key); // an access-ordered map moves the entry to the young end on get
  }

  @Override
  public synchronized void remove(BlockKey key) {
    order.remove(key);
  }

  @Override
  public synchronized List<BlockKey> victims(long bytesToFree, BlockKey keep) {
    List<BlockKey> victims = new ArrayList<>();
    long freed = 0;
    for (Map.Entry<BlockKey, Long> e : order.entrySet()) {
      if (freed >= bytesToFree) {
        break;
      }
      if (e.getKey().equals(keep)) {
        continue;
      }
      victims.add(e.getKey());
      freed += e.getValue();
    }
    return victims;
  }
}
